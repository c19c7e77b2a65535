/** User tasks: queries, claiming and assignment, completion, and task (local) variables. */
import { InvalidRequestError, NullValueError, ProcessEngineError, RestError, TaskAlreadyClaimedError, CamundaError } from '../core/errors.js';
import { fromPlainValue, parseVariableDto, toPlainValue, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import { deleteTask, findSubtasks, findTask, isProcessTask, lockStandaloneTask, updateTask, type ProcessTaskRow, type TaskRow } from '../persistence/task-repository.js';
import { insertIdentityLinkLogs } from '../persistence/identity-link-log-repository.js';
import { findVariable, findVariableHeader, listVariables, storedValueOf } from '../persistence/variable-repository.js';
import { variableDataOf, type VariableData } from './variable-data.js';
import { findOpenActivityInstances, updateHistoricActivityInstance } from '../persistence/history-repository.js';
import type { Db } from '../persistence/database.js';
import { updateHistoricTaskInstance } from '../persistence/historic-task-repository.js';
import { insertFormFields, type NewFormFieldRow } from '../persistence/historic-detail-repository.js';
import { newId } from '../core/ids.js';
import type { Knex } from 'knex';
import { hasListeners, runListeners, type EngineCommand, type TaskRecord } from '../engine/index.js';
import { advanceInstance, evaluateConditionalEvents, runInScopes, type AdvanceResult } from './instance-advancer.js';
import { processModelOf } from './instance-identity.js';
import { parsedVariables, suspendedEntityError } from './runtime-service.js';
import { runOnEntity, type LockedInstance } from './command-kernel.js';
import { candidateChanges, identityLinkLogRows, userLinkChanges, type IdentityLinkChange } from './identity-link-log.js';
import { runCommand } from './run-command.js';
import type { CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import type { InstanceIdentity } from './instance-identity.js';
import { listenerAttributesOf, taskRecordOf } from './task-record.js';
import { instanceScope, removeVariable, taskScope, writeVariable, writeVariables } from './variable-writer.js';
import { instanceTarget, logUserOperation, type PropertyChange } from './user-operation-log.js';
import { commandOperationId } from './command-operation.js';

/** Records a task operation (Camunda's category TaskWorker) with the ids of the task and its instance. */
export async function logTaskOperation(ctx: ServiceContext, tx: Knex.Transaction, task: TaskRow, lock: LockedInstance | null, operationType: string, entityType: 'Task' | 'Variable' | 'IdentityLink' | 'Comment' | 'Attachment', properties?: PropertyChange[]): Promise<void> {
  const instance = lock ? instanceTarget({ processInstanceId: lock.identity.processInstanceId, rootProcessInstanceId: lock.row.root_process_instance_id, definition: lock.identity.definition }) : { tenantId: task.tenant_id };
  const target = { ...instance, executionId: task.execution_id, taskId: task.id };
  await logUserOperation(ctx, tx, { operationType, entityType, category: 'TaskWorker', target, properties });
}

export function taskIsNull(taskId: string): string {
  return `Cannot find task with id ${taskId}: task is null`;
}

/** An existing task as its listeners see it, with its stored task-local variables. */
async function taskRecordWithLocals(db: Knex.Transaction, task: ProcessTaskRow): Promise<TaskRecord> {
  const variables = await listVariables(db, task.id);
  return taskRecordOf(task, Object.fromEntries(variables.map((variable) => [variable.name, toPlainValue(storedValueOf(variable))])));
}

/** Stores what listeners changed on a task that lives on: its attributes (runtime and history) and its local variables. */
async function saveListenerChanges(tx: Knex.Transaction, identity: InstanceIdentity, task: ProcessTaskRow, record: TaskRecord, now: Date): Promise<void> {
  const changes = listenerAttributesOf(record);
  if (Object.entries(changes).some(([key, value]) => JSON.stringify(value) !== JSON.stringify(task[key as keyof TaskRow]))) await updateTask(tx, task.id, changes);
  await historizeListenerChanges(tx, task, record);
  for (const [name, value] of record.localChanges) {
    const previous = await findVariable(tx, task.id, name);
    await writeVariable(tx, identity, taskScope(task), name, fromPlainValue(value, previous === undefined ? undefined : storedValueOf(previous)), now);
  }
}

/** Keeps /history/task (and the activity instance's assignee) equal to what listeners left on the task. */
async function historizeListenerChanges(tx: Knex.Transaction, task: ProcessTaskRow, record: TaskRecord): Promise<void> {
  const { name, assignee, priority } = record;
  if (name !== task.name || assignee !== task.assignee || priority !== task.priority) await updateHistoricTaskInstance(tx, task.id, { name, assignee, priority });
  if (assignee !== task.assignee) await updateHistoricActivityInstance(tx, task.activity_instance_id, { assignee });
}

export async function getTask(ctx: ServiceContext, taskId: string): Promise<TaskRow> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new InvalidRequestError(404, `No matching task with id ${taskId}`);
  return task;
}

/** Camunda's resources without a catch let the engine's NullValueException through (claim). */
const nullValue = (message: string): CamundaError => new NullValueError(message);

/** Operaton's unclaim and assignee commands check the task with a NotFoundException, which its REST layer answers 400. */
const notFound = (message: string): CamundaError => new CamundaError(400, 'NotFoundException', message, { code: 0 });

/** Resources that catch it wrap the message in a 500 RestException (complete, variables). */
function restError(describe: (message: string) => string): (message: string) => CamundaError {
  return (message) => new RestError(500, describe(message));
}

/**
 * Runs a command on a task (the command kernel: lock its instance, re-read the task, which a second command finds
 * gone); a stand-alone task has no instance, so its own row is locked, and `lock` is null.
 */
export async function onTask<T>(ctx: ServiceContext, taskId: string, name: string, missing: (message: string) => CamundaError,
  work: (tx: Knex.Transaction, task: TaskRow, lock: LockedInstance | null, command: CommandScope) => Promise<T>): Promise<T> {
  const unlocked = await findTask(ctx.database.knex, taskId);
  if (!unlocked) throw missing(taskIsNull(taskId));
  if (!isProcessTask(unlocked)) {
    return runCommand(ctx, name, async (command) => {
      const task = await lockStandaloneTask(command.tx, taskId);
      if (!task) throw missing(taskIsNull(taskId));
      return work(command.tx, task, null, command);
    });
  }
  const access = { find: findProcessTask, instanceOf: (task: ProcessTaskRow) => task.process_instance_id, missing: () => missing(taskIsNull(taskId)) };
  return runOnEntity(ctx, name, taskId, access, (command, task, lock) => work(command.tx, task, lock, command), unlocked);
}

async function findProcessTask(db: Db, id: string): Promise<ProcessTaskRow | undefined> {
  const task = await findTask(db, id);
  return task && isProcessTask(task) ? task : undefined;
}

/** A command that only a task of a process instance takes (throwing BPMN errors, instance variables). */
function onProcessTask<T>(ctx: ServiceContext, taskId: string, name: string, missing: (message: string) => CamundaError,
  work: (tx: Knex.Transaction, task: ProcessTaskRow, lock: LockedInstance, command: CommandScope) => Promise<T>): Promise<T> {
  return onTask(ctx, taskId, name, missing, (tx, task, lock, command) => {
    if (!lock || !isProcessTask(task)) throw new ProcessEngineError(`Task ${taskId} is a stand-alone task: it has no process instance to ${name} in`);
    return work(tx, task, lock, command);
  });
}

/** Writes the identity link log rows of a task's link changes. */
export async function logLinkChanges(tx: Knex.Transaction, task: TaskRow, lock: LockedInstance | null, changes: IdentityLinkChange[], now: Date): Promise<void> {
  if (changes.length > 0) await insertIdentityLinkLogs(tx, identityLinkLogRows(task, lock?.row.root_process_instance_id ?? null, changes, now));
}

/** Sets a task's assignee (and with `owner` its owner): runtime, history, the identity link log and assignment listeners. */
export async function assign(ctx: ServiceContext, tx: Knex.Transaction, task: TaskRow, lock: LockedInstance | null, assignee: string | null, owner: string | null = task.owner): Promise<void> {
  if (task.suspended) throw suspendedEntityError('task', task.id);
  const now = ctx.clock.now();
  // Camunda's triggerUpdateEvent: lastUpdated moves and the task's state becomes 'Updated'.
  await updateTask(tx, task.id, { assignee, owner, last_updated: now });
  await updateHistoricTaskInstance(tx, task.id, { assignee, owner, task_state: 'Updated' });
  await logLinkChanges(tx, task, lock, [...userLinkChanges('owner', task.owner, owner), ...userLinkChanges('assignee', task.assignee, assignee)], now);
  if (!lock || !isProcessTask(task)) return;
  await updateHistoricActivityInstance(tx, task.activity_instance_id, { assignee });
  if (assignee === null || assignee === task.assignee) return;
  // Camunda runs 'assignment' task listeners whenever a task gets a (new) assignee.
  const behaviour = ctx.cache.behaviourOf(processModelOf(lock.identity), task.task_definition_key);
  const target = { id: task.task_definition_key, executionId: task.engine_execution_id, behaviour, parentScope: null };
  const record = await taskRecordWithLocals(tx, { ...task, assignee });
  await runInScopes(ctx, tx, lock.identity, (scope) => runListeners(scope, target, task.engine_execution_id, 'camunda:TaskListener', 'assignment', record));
  await saveListenerChanges(tx, lock.identity, { ...task, assignee }, record, now);
  const changed = listenerAttributesOf(record);
  await logLinkChanges(tx, task, lock, [...userLinkChanges('assignee', assignee, changed.assignee), ...candidateChanges(task, changed)], now);
}

/** Camunda's triggerUpdateEvent: lastUpdated moves and the task's history state becomes 'Updated'. */
export async function markTaskUpdated(tx: Knex.Transaction, taskId: string, now: Date): Promise<void> {
  await updateTask(tx, taskId, { last_updated: now });
  await updateHistoricTaskInstance(tx, taskId, { task_state: 'Updated' });
}

export async function claimTask(ctx: ServiceContext, taskId: string, userId: string | null | undefined): Promise<void> {
  await onTask(ctx, taskId, 'claim task', nullValue, async (tx, task, lock) => {
    if (task.assignee !== null && userId && task.assignee !== userId) throw new TaskAlreadyClaimedError(task.id);
    await logTaskOperation(ctx, tx, task, lock, 'Claim', 'Task', [{ property: 'assignee', orgValue: task.assignee, newValue: userId ?? null }]);
    await assign(ctx, tx, task, lock, userId ?? null);
  });
}

export async function unclaimTask(ctx: ServiceContext, taskId: string): Promise<void> {
  // Camunda records an unclaim as an assignment to nobody.
  await onTask(ctx, taskId, 'unclaim task', notFound, async (tx, task, lock) => {
    await logTaskOperation(ctx, tx, task, lock, 'Assign', 'Task', [{ property: 'assignee', orgValue: task.assignee, newValue: null }]);
    await assign(ctx, tx, task, lock, null);
  });
}

export async function setTaskAssignee(ctx: ServiceContext, taskId: string, userId: string | null | undefined): Promise<void> {
  await onTask(ctx, taskId, 'set assignee', notFound, async (tx, task, lock) => {
    await logTaskOperation(ctx, tx, task, lock, 'Assign', 'Task', [{ property: 'assignee', orgValue: task.assignee, newValue: userId ?? null }]);
    await assign(ctx, tx, task, lock, userId ?? null);
  });
}

export interface IdentityLink {
  userId: string | null;
  groupId: string | null;
  type: string;
}

/** The users and groups related to a task as Camunda lists them: candidates, other links, then the assignee and the owner. */
export async function getTaskIdentityLinks(ctx: ServiceContext, taskId: string): Promise<IdentityLink[]> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new NullValueError(taskIsNull(taskId));
  return [
    ...task.candidate_users.map((userId) => ({ userId, groupId: null, type: 'candidate' })),
    ...task.candidate_groups.map((groupId) => ({ userId: null, groupId, type: 'candidate' })),
    ...task.identity_links,
    ...(task.assignee !== null ? [{ userId: task.assignee, groupId: null, type: 'assignee' as const }] : []),
    ...(task.owner !== null ? [{ userId: task.owner, groupId: null, type: 'owner' as const }] : []),
  ];
}

/** A submitted form's fields as Camunda historizes them: one per String value (others are variable updates only). */
function formFieldsOf(task: TaskRow, identity: InstanceIdentity, values: Map<string, StoredValue>, now: Date): NewFormFieldRow[] {
  return [...values].filter(([, value]) => value.type === 'String' && value.text !== null).map(([name, value]) => ({
    id: newId(),
    process_instance_id: identity.processInstanceId,
    process_definition_id: identity.definition.id,
    process_definition_key: identity.definition.key,
    activity_instance_id: task.activity_instance_id,
    execution_id: task.execution_id ?? identity.processInstanceId,
    task_id: task.id,
    tenant_id: identity.tenantId,
    time: now,
    name,
    text_value: value.text,
  }));
}

/** Completes the task: variables go to the instance, then its wait is signalled, all in one transaction. */
export async function completeTask(
  ctx: ServiceContext,
  taskId: string,
  dtos: Record<string, VariableValueDto> | null | undefined,
  withVariablesInReturn: boolean,
  options: { submitForm?: boolean } = {},
): Promise<Map<string, StoredValue> | null> {
  const describe = (message: string) => `Cannot complete task ${taskId}: ${message}`;
  const variables = parsedVariables(dtos, describe);
  return onTask(ctx, taskId, 'complete task', restError(describe), async (tx, task, lock, command) => {
    if (task.suspended) throw restError(describe)(suspendedEntityError('task', task.id).message);
    if (!lock || !isProcessTask(task)) {
      // A stand-alone task has nothing to continue: it ends, and the variables passed along end with it, as in Camunda.
      await logTaskOperation(ctx, tx, task, null, 'Complete', 'Task', [{ property: 'delete', orgValue: false, newValue: true }]);
      await endStandaloneTask(tx, task, 'completed', ctx.clock.now());
      return withVariablesInReturn ? new Map<string, StoredValue>() : null;
    }
    // Written before the instance may end, so its removal time is stamped on the entry too; variables passed along are not logged.
    await logTaskOperation(ctx, tx, task, lock, 'Complete', 'Task', [{ property: 'delete', orgValue: false, newValue: true }]);
    const now = ctx.clock.now();
    await writeVariables(tx, lock.identity, instanceScope(lock.identity), variables.stored, now);
    if (options.submitForm) await insertFormFields(tx, formFieldsOf(task, lock.identity, variables.stored, now).map((field) => ({ ...field, user_operation_id: commandOperationId(tx) })));
    const behaviour = ctx.cache.behaviourOf(processModelOf(lock.identity), task.task_definition_key);
    // The task ends in this command, so what its complete listeners set on it (setVariableLocal) ends with it; without
    // such listeners nothing reads its local variables.
    const record = hasListeners(behaviour, 'camunda:TaskListener', 'complete') ? await taskRecordWithLocals(tx, task) : taskRecordOf(task, {});
    const result = await advanceInstance(ctx, command, lock.running, { kind: 'signal', activityId: task.task_definition_key, executionId: task.engine_execution_id }, {
      transientVariables: variables.transient,
      variablesWithContent: withVariablesInReturn,
      beforeRun: (scope) => {
        const target = { id: task.task_definition_key, executionId: task.engine_execution_id, behaviour, parentScope: null };
        runListeners(scope, target, task.engine_execution_id, 'camunda:TaskListener', 'complete', record);
      },
    });
    // The task is gone, but its history ends as its complete listeners left it (Camunda historizes it after them).
    await historizeListenerChanges(tx, task, record);
    return withVariablesInReturn ? result.variables : null;
  });
}

/**
 * Throws a BPMN error or an escalation reported for a task: its variables are set on the instance, then the engine
 * throws it at the task's activity; `judge` decides what the result means (an uncaught one may fail the command).
 */
async function throwAtTask(
  ctx: ServiceContext,
  taskId: string,
  what: string,
  variableDtos: Record<string, VariableValueDto> | null | undefined,
  engineCommandOf: (task: ProcessTaskRow) => EngineCommand,
  judge: (result: AdvanceResult, task: ProcessTaskRow) => void,
): Promise<void> {
  const describe = (message: string) => `Cannot throw ${what} for task ${taskId}: ${message}`;
  const variables = parsedVariables(variableDtos, describe);
  await onProcessTask(ctx, taskId, `${what.toLowerCase()} task`, (message) => new RestError(404, message), async (tx, task, lock, command) => {
    if (task.suspended) throw restError(describe)(suspendedEntityError('task', task.id).message);
    await writeVariables(tx, lock.identity, instanceScope(lock.identity), variables.stored, ctx.clock.now());
    judge(await advanceInstance(ctx, command, lock.running, engineCommandOf(task), { transientVariables: variables.transient }), task);
  });
}

/**
 * A BPMN error reported for a user task (`POST /task/{id}/bpmnError`): the innermost catcher with its code catches it,
 * or (none catching) the task's execution ends with a warning, as Camunda does; with UNHANDLED_BPMN_ERROR=incident the
 * command fails instead (a user task has no retries to exhaust).
 */
export async function throwTaskBpmnError(ctx: ServiceContext, taskId: string, report: { errorCode?: string | null; errorMessage?: string | null; variables?: Record<string, VariableValueDto> | null }): Promise<void> {
  // Camunda's resource answers the engine's NullValueException as a 400 RestException with its message alone.
  if (!report.errorCode) throw new RestError(400, 'errorCode is null');
  const errorCode = report.errorCode;
  const endIfUncaught = ctx.options.unhandledBpmnError === 'end';
  await throwAtTask(ctx, taskId, 'BPMN error', report.variables, (task) => ({
    kind: 'bpmnError', activityId: task.task_definition_key, executionId: task.engine_execution_id, errorCode, errorMessage: report.errorMessage ?? null, endIfUncaught,
  }), (result, task) => {
    if (!result.uncaughtBpmnError) return;
    const message = `BPMN error '${errorCode}' thrown for task ${taskId} at activity '${task.task_definition_key}' of process instance ${task.process_instance_id} was not caught by any error boundary event`;
    if (!endIfUncaught) throw new ProcessEngineError(`${message}, and UNHANDLED_BPMN_ERROR=incident leaves the task waiting`);
    ctx.logger.warn(`${message}; the execution ended`, { command: 'BPMN error', processInstanceId: task.process_instance_id, taskId });
  });
}

/**
 * An escalation reported for a user task (`POST /task/{id}/bpmnEscalation`): the innermost escalation boundary event
 * or event sub-process with the code (or any code) catches it; with none, Camunda refuses it.
 */
export async function throwTaskBpmnEscalation(ctx: ServiceContext, taskId: string, report: { escalationCode?: string | null; variables?: Record<string, VariableValueDto> | null }): Promise<void> {
  if (!report.escalationCode) throw new RestError(400, 'escalationCode is null');
  const escalationCode = report.escalationCode;
  await throwAtTask(ctx, taskId, 'BPMN escalation', report.variables, (task) => ({
    kind: 'bpmnEscalation', activityId: task.task_definition_key, executionId: task.engine_execution_id, escalationCode,
  }), (result, task) => {
    if (!result.uncaughtEscalation) return;
    throw new ProcessEngineError(`ENGINE-02043 Execution with id '${task.task_definition_key}' throws an escalation event with escalationCode '${escalationCode}', but no escalation handler was defined. `);
  });
}

/**
 * The scopes a task sees, outermost first: the instance, each enclosing activity instance (sub-processes,
 * multi-instance bodies and iterations, the task's own activity with its input mappings), then the task itself.
 */
async function taskScopes(db: Db, task: TaskRow): Promise<string[]> {
  if (!isProcessTask(task)) return [task.id];
  const parents = new Map((await findOpenActivityInstances(db, task.process_instance_id)).map((row) => [row.id, row.parent_activity_instance_id]));
  const chain: string[] = [];
  for (let id: string | undefined = task.activity_instance_id; id && id !== task.process_instance_id && !chain.includes(id); id = parents.get(id)) chain.unshift(id);
  return [task.process_instance_id, ...chain, task.id];
}

/** Variables visible from the task: the instance's, overridden by nearer scopes', and the task's local ones. */
export async function getTaskVariables(ctx: ServiceContext, taskId: string, options: { local: boolean }): Promise<Map<string, StoredValue>> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new NullValueError(`task ${taskId} doesn't exist: task is null`);
  const scopes = options.local ? [task.id] : await taskScopes(ctx.database.knex, task);
  const values = new Map<string, StoredValue>();
  for (const scopeId of scopes) for (const row of await listVariables(ctx.database.knex, scopeId)) values.set(row.name, storedValueOf(row));
  return values;
}

/** The variable a task sees under `name` (its own, else the nearest enclosing scope's), read by `find`. */
async function findTaskVariable<R>(ctx: ServiceContext, taskId: string, name: string, options: { local: boolean }, find: (db: Db, scopeId: string, name: string) => Promise<R | undefined>): Promise<R> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new RestError(500, `Cannot get task variable ${name}: task ${taskId} doesn't exist: task is null`);
  let row = await find(ctx.database.knex, task.id, name);
  if (!row && !options.local) {
    for (const scopeId of (await taskScopes(ctx.database.knex, task)).reverse().slice(1)) {
      row = await find(ctx.database.knex, scopeId, name);
      if (row) break;
    }
  }
  if (!row) throw new InvalidRequestError(404, `task variable with name ${name} does not exist`);
  return row;
}

export async function getTaskVariable(ctx: ServiceContext, taskId: string, name: string, options: { local: boolean }): Promise<StoredValue> {
  return storedValueOf(await findTaskVariable(ctx, taskId, name, options, findVariable));
}

/** A task variable's binary content for `…/data`, read in pieces. */
export async function getTaskVariableData(ctx: ServiceContext, taskId: string, name: string, options: { local: boolean }): Promise<VariableData> {
  return variableDataOf(ctx.database.knex, await findTaskVariable(ctx, taskId, name, options, findVariableHeader));
}

/** Sets and removes task variables; non-local writes go where Camunda puts them: an existing local, else the instance. */
export async function modifyTaskVariables(ctx: ServiceContext, taskId: string, modifications: Record<string, VariableValueDto> | null | undefined, deletions: string[] | null | undefined, options: { local: boolean; operationType?: 'ModifyVariable' | 'SetVariable' | 'RemoveVariable' }): Promise<void> {
  // As Camunda's resource: a value it cannot read names no task, a failing command does.
  const values = parsedVariables(modifications, (message) => `Cannot modify variables for task: ${message}`).stored;
  await writeTaskVariables(ctx, taskId, values, deletions, options, (message) => `Cannot modify variables for task ${taskId}: ${message}`);
}

/** Sets a task variable from its stored form (an uploaded Bytes or File value: no base64 copy of its content). */
export async function putTaskStoredVariable(ctx: ServiceContext, taskId: string, name: string, value: StoredValue, options: { local: boolean }): Promise<void> {
  await writeTaskVariables(ctx, taskId, new Map([[name, value]]), [], { ...options, operationType: 'SetVariable' }, (message) => `Cannot put task variable ${name}: ${message}`);
}

/** `missingTask` is how Camunda's command names a task that is not there: the set commands and the remove command differ. */
async function writeTaskVariables(ctx: ServiceContext, taskId: string, values: Map<string, StoredValue>, deletions: string[] | null | undefined, options: { local: boolean; operationType?: 'ModifyVariable' | 'SetVariable' | 'RemoveVariable' }, describe: (message: string) => string, missingTask = `task ${taskId} doesn't exist: task is null`): Promise<void> {
  const missing = () => new RestError(500, describe(missingTask));
  await onProcessTask(ctx, taskId, 'modify task variables', missing, async (tx, task, lock, command) => {
    await logTaskOperation(ctx, tx, task, lock, options.operationType ?? 'ModifyVariable', 'Variable');
    const now = ctx.clock.now();
    let localsChanged = false;
    for (const [name, value] of values) {
      const local = options.local || (await findVariable(tx, task.id, name)) !== undefined;
      await writeVariable(tx, lock.identity, local ? taskScope(task) : instanceScope(lock.identity), name, value, now);
      localsChanged ||= local;
    }
    for (const name of deletions ?? []) {
      const removed = await removeVariable(tx, task.id, name);
      localsChanged ||= removed;
      if (!removed && !options.local) await removeVariable(tx, task.process_instance_id, name);
    }
    // As Camunda, only a change of the task's own variables counts as an update of the task.
    if (localsChanged) await markTaskUpdated(tx, task.id, now);
    await evaluateConditionalEvents(ctx, command, lock.identity);
  });
}

export async function putTaskVariable(ctx: ServiceContext, taskId: string, name: string, dto: VariableValueDto, options: { local: boolean }): Promise<void> {
  let value: StoredValue;
  try {
    value = parseVariableDto(dto);
  } catch (error) {
    throw new InvalidRequestError(400, `Cannot put task variable ${name}: ${(error as Error).message}`, { cause: error });
  }
  await putTaskStoredVariable(ctx, taskId, name, value, options);
}

export async function deleteTaskVariable(ctx: ServiceContext, taskId: string, name: string, options: { local: boolean }): Promise<void> {
  await writeTaskVariables(ctx, taskId, new Map(), [name], { ...options, operationType: 'RemoveVariable' }, (message) => `Cannot delete task variable ${name}: ${message}`, taskIsNull(taskId));
}

/** Ends a stand-alone task (completed or deleted): its row goes, its history ends with Camunda's reason. */
export async function endStandaloneTask(tx: Knex.Transaction, task: TaskRow, reason: 'completed' | 'deleted', now: Date): Promise<void> {
  // As Camunda's TaskManager: a task's subtasks (and theirs) are deleted with it, however it ends.
  for (const subtask of await findSubtasks(tx, task.id)) await endStandaloneTask(tx, subtask, 'deleted', now);
  await deleteTask(tx, task.id);
  await updateHistoricTaskInstance(tx, task.id, {
    end_time: now,
    duration_in_millis: now.getTime() - task.create_time.getTime(),
    delete_reason: reason,
    task_state: reason === 'completed' ? 'Completed' : 'Deleted',
  });
}
