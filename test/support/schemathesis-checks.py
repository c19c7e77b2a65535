"""Schemathesis checks for test/server/schemathesis.test.ts: 5xx only as Camunda answers them, no SQL or stack trace."""
import json
import re

import schemathesis

# The 5xx errors Camunda 7 itself answers for these requests (type, message); the README lists the same.
CAMUNDA_SERVER_ERRORS = [
    ("NullValueException", r"(workerId|topicName) is null"),
    ("NullValueException", r"Cannot find task with id .*: task is null"),
    ("NullValueException", r"task .* doesn't exist: task is null"),
    ("ProcessEngineException", r"execution .* doesn't exist: execution is null"),
    # The deployed model's own expressions, evaluated without the variables they need (e.g. a start without `amount`).
    ("ProcessEngineException", r".*Unknown property used in expression: .*"),
    ("RestException", r"Cannot instantiate process definition .*: .*Unknown property used in expression: .*"),
    ("NullValueException", r"execution .* doesn't exist: execution is null"),
    ("RestException", r"Cannot (get|put|delete) (process instance|execution) variable .*: execution .* doesn't exist: execution is null"),
    ("RestException", r"Cannot modify variables for (process instance|execution) .*: execution .* doesn't exist: execution is null"),
    ("RestException", r"Cannot complete task .*: Cannot find task with id .*: task is null"),
    ("RestException", r"Cannot get task variable .*: task .* doesn't exist: task is null"),
    ("RestException", r"Cannot modify variables for task .*: task .* doesn't exist: task is null"),
    ("RestException", r"Cannot delete task variable .*: Cannot find task with id .*: task is null"),
    # Signals, conditions and execution signals (as Operaton answers them; test/reference/messages-and-signals.test.ts).
    ("NullValueException", r"Cannot find execution with id '.*': execution is null"),
    ("RestException", r"Execution '.*' has not subscribed to a signal event with name '.*'\. is empty"),
    ("ProcessEngineException", r"ENGINE-13043 No subscriptions were found during evaluation of the conditional start events\."),
    ("ProcessEngineException", r"ENGINE-13042 Process definition with id '.*' does not declare conditional start event\."),
    ("ProcessEngineException", r"Error while evaluating expression: .*"),
    ("RestException", r"Cannot signal execution .*: execution .* doesn't exist: execution is null"),
    ("RestException", r"Cannot signal execution .*: cannot signal execution .*: it has no current activity"),
    # Operaton answers these with status 500 (the differential suite, test/reference/timer-and-job.test.ts, checks them).
    ("InvalidRequestException", r"ENGINE-13053 No job found with id '.*'\.'"),
    ("InvalidRequestException", r"No job found with id '.*'\."),
    # Identity: Camunda's IdentityService refuses a second membership or one of someone unknown with these 500s.
    ("ProcessEnginePersistenceException", r"The user '.*' is already a member of group '.*'\."),
    ("NullValueException", r"No (user|group) found with id '.*'\.: (user|group) is null"),
    ("NullValueException", r"groupId is null"),
    ("ProcessEngineException", r"(User|Group) has an invalid id: '.*' is not a valid resource identifier\."),
    # Tasks, forms and messages of issue 18, as Operaton answers them once the seeded task, instance or definition is
    # gone (schemathesis completes, deletes and cascades them along the way): test/reference/task-operations,
    # forms and runtime-operations compare them.
    ("NullValueException", r"Task '.*' not found: task is null"),
    ("RestException", r"Cannot put task variable .*: task .* doesn't exist: task is null"),
    ("RestException", r"Cannot submit task form .*: Cannot find task with id .*: task is null"),
    ("RestException", r"Cannot instantiate process definition .*: no deployed process definition found with id '.*': processDefinition is null"),
    ("RestException", r"Cannot trigger message .* for execution .*: Execution with id '.*' does not have a subscription to a message event with name '.*': eventSubscriptions is empty"),
    ("NullValueException", r"type is required when adding a new task identity link: type is null"),
    # RepositoryService.getResourceAsStreamById: the data of a resource the deployment lacks (test/reference/definition-resources).
    ("NullValueException", r"no resource found with id '.*' in deployment '.*': resource is null"),
    # TaskEntity insert of an id that exists: Camunda's persistence layer fails the flush.
    ("ProcessEnginePersistenceException", r"Task with id .* already exists"),
    # The task query's variable conditions: a boolean or null in an ordering comparison (test/reference/task-and-instance-variables).
    ("ProcessEngineException", r"Booleans and null cannot be used in '.*' condition"),
    # ExternalTaskService.getExternalTaskErrorDetails of an unknown task (test/reference/external-tasks-jobs-and-history-queries).
    ("NullValueException", r"No external task found with id .*: externalTask is null"),
    # HistoricTaskInstanceQueryImpl: a due date filter together with withoutTaskDueDate (the same suite compares it).
    ("ProcessEngineException", r"Invalid query usage: cannot set both task due date \(equal to, before, or after\) and withoutTaskDueDate filters\."),
    # MetricsQueryImpl.setMaxResults: an interval list longer than 200 rows.
    ("ProcessEngineException", r"Metrics interval query row limit can't be set larger than 200\."),
]

LEAKS = [
    ("a stack trace", re.compile(r"(\n|\\n)\s+at \S|\(file://|node_modules/|\.ts:\d+:\d+|\.js:\d+:\d+")),
    ("SQL", re.compile(r"\bselect [\w*,.\" ]+ from \w|\binsert into \w|\bupdate \"?\w+\"? set \"?\w+\"? =|\bdelete from \w|syntax error at or near|violates .* constraint|relation \"|column \"|invalid input syntax for|out of range for type|knex|pglite", re.IGNORECASE)),
]


def _body(response):
    try:
        return json.loads(response.text)
    except ValueError:
        return None


@schemathesis.check
def camunda_server_error(ctx, response, case):
    """A 5xx only where Camunda answers one: a known exception type with its known message."""
    if response.status_code < 500:
        return None
    body = _body(response)
    if isinstance(body, dict):
        kind, message = body.get("type"), body.get("message")
        if isinstance(message, str) and any(kind == t and re.fullmatch(m, message, re.DOTALL) for t, m in CAMUNDA_SERVER_ERRORS):
            return None
    raise AssertionError(f"{response.status_code} that Camunda does not answer: {response.text[:500]}")


@schemathesis.check
def no_internals_leaked(ctx, response, case):
    """No response shows SQL or a stack trace."""
    content_type = response.headers.get("content-type", [""])
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    # Resources and XML are the user's own deployed documents: whatever they contain is theirs.
    if "json" not in content_type:
        return None
    for what, pattern in LEAKS:
        found = pattern.search(response.text)
        if found:
            raise AssertionError(f"the response shows {what} ({found.group(0)!r}): {response.text[:500]}")
    return None
