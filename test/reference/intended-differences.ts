/**
 * Where this engine answers differently from Operaton on purpose, each with its reason; the README's "Where we
 * differ" section lists the same items. A difference the suite can observe rewrites Operaton's normalized answer
 * into what this engine answers instead; nothing else is forgiven.
 */

export interface Call {
  method: string;
  path: string;
}

export interface IntendedDifference {
  /** What differs. */
  what: string;
  /** Why we differ on purpose. */
  reason: string;
  /** Rewrites Operaton's normalized answer body for `call` into this engine's; absent where no scenario sees it. */
  adjustOperaton?(body: unknown, call: Call): unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Applies `change` to every object inside `value`, depth first. */
function everyObject(value: unknown, change: (object: Json) => Json): unknown {
  if (Array.isArray(value)) return value.map((item) => everyObject(item, change));
  if (!isObject(value)) return value;
  return change(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, everyObject(v, change)])));
}

/** Applies `change` to the answer's object, or to each object of a list answer. */
function eachOf(body: unknown, change: (object: Json) => Json): unknown {
  const one = (item: unknown) => (isObject(item) ? change(item) : item);
  return Array.isArray(body) ? body.map(one) : one(body);
}

/** `/task`, `/task/{id}` (and their POST query), but not the sub-resources of a task such as identity links. */
const TASK_RESOURCE = /^\/task(\/[^/?]+)?(\?|$)/;
const TASK_LEVEL_ROUTES = new Set(['count', 'create']);

function isTaskCall(call: Call): boolean {
  const match = TASK_RESOURCE.exec(call.path);
  return match !== null && !TASK_LEVEL_ROUTES.has((match[1] ?? '').slice(1));
}

export const INTENDED_DIFFERENCES: readonly IntendedDifference[] = [
  {
    what: 'Error bodies always carry a numeric `code`: 0 unless Camunda defines another (1 for optimistic locking), where Camunda and Operaton send `null` for REST-layer errors (InvalidRequestException, RestException)',
    reason: 'Camunda\'s OpenAPI description declares `code` a number, and clients generated from it reject `null`',
    adjustOperaton: (body) => (isObject(body) && 'type' in body && 'message' in body && body.code === null ? { ...body, code: 0 } : body),
  },
  {
    what: 'Responses carry every property of the DTO that Camunda\'s OpenAPI description declares, `null` or `false` when unset: `variables: null` on a start answer without `withVariablesInReturn` and on a message correlation result without `variablesInResultEnabled`; `attachment: false`, `comment: false` and `variables: null` on every task; `inputs: null` and `outputs: null` on historic decision instances without `includeInputs`/`includeOutputs`',
    reason: 'one fixed shape per resource, as the OpenAPI documents it, where Camunda\'s Java leaves these out unless asked for (`withCommentAttachmentInfo`, `withTaskVariablesInReturn`, `includeInputs`, …)',
    adjustOperaton: (body, call) => {
      if (call.method === 'POST' && /\/start$/.test(call.path) && isObject(body) && 'definitionId' in body && !('variables' in body)) return { ...body, variables: null };
      if (isTaskCall(call)) return eachOf(body, (task) => ('taskDefinitionKey' in task ? { attachment: false, comment: false, variables: null, ...task } : task));
      if (/^\/history\/decision-instance(\?|$)/.test(call.path)) return eachOf(body, (decision) => ('decisionDefinitionKey' in decision ? { inputs: null, outputs: null, ...decision } : decision));
      if (call.method === 'POST' && call.path === '/message') return eachOf(body, (result) => ('resultType' in result ? { variables: null, ...result } : result));
      return body;
    },
  },
  {
    what: 'Exception class names in error messages are Camunda\'s (`org.camunda.bpm.engine.MismatchingMessageCorrelationException`), where Operaton writes `org.operaton.bpm.…`',
    reason: 'we implement Camunda 7\'s REST API; clients match these messages as Camunda writes them',
    adjustOperaton: (body) => (isObject(body) && typeof body.message === 'string' ? { ...body, message: body.message.replaceAll('org.operaton.bpm.', 'org.camunda.bpm.') } : body),
  },
  {
    what: 'Tasks carry `camundaFormRef`, where Operaton renamed the field `operatonFormRef`',
    reason: 'we implement Camunda 7\'s REST API, whose clients (Tasklist-style UIs, generated OpenAPI clients) read `camundaFormRef`',
    adjustOperaton: (body) => everyObject(body, (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k === 'operatonFormRef' ? 'camundaFormRef' : k, v]))),
  },
  {
    what: '`GET /version` answers 7.24.0, where Operaton answers its own release (1.0.x)',
    reason: 'this engine implements Camunda 7.24\'s REST API, and clients that check the version know Camunda\'s numbers',
    adjustOperaton: (body, call) => (call.path === '/version' && isObject(body) ? { ...body, version: '7.24.0' } : body),
  },
  {
    what: 'Historic incidents of failed external tasks and failed jobs carry `historyConfiguration: null`, where Camunda names the id of the failure\'s entry in the external task log or the job log',
    reason: 'there is no external task log (`/history/external-task-log`) or job log (`/history/job-log`) yet, so there is no entry to name; the id would point nowhere',
    adjustOperaton: (body, call) => (/^\/history\/incident(\?|$)/.test(call.path)
      ? eachOf(body, (incident) => (incident.incidentType === 'failedExternalTask' || incident.incidentType === 'failedJob' ? { ...incident, historyConfiguration: null } : incident))
      : body),
  },
  {
    what: 'A call without body or Content-Type to an endpoint that reads a body answers 415 NotSupportedException, where Operaton fails with a 500 NullPointerException (its DTO is null)',
    reason: 'a clear refusal instead of an internal error; neither changes anything (test/reference/errors.test.ts compares both answers)',
  },
  {
    what: 'A deployment with no executable process is refused',
    reason: 'Camunda accepts it and deploys nothing, which hides a modelling mistake',
  },
  {
    what: 'A process that ends at a terminate end event is `COMPLETED` in history, with the other branches cancelled',
    reason: 'the instance reached an end event of its model; listed before the differential suite existed, not yet compared with Operaton',
  },
  {
    what: 'Objects and arrays sent without a type, or as `Json`, are stored as Json',
    reason: 'Camunda would try Java serialization, which no JavaScript client can read back',
  },
  {
    what: 'An unexpected error answers 500 `ProcessEngineException` with a generic message naming an error id (the log has the details under it), where Camunda sends the exception\'s own message',
    reason: 'a database error\'s message holds the SQL statement and values, which must not reach a client',
  },
  {
    what: 'A JSON body of the wrong shape (e.g. fetchAndLock `topics` that is not a list) answers 400 `InvalidRequestException` naming the property, in Camunda\'s JSON error format, where Operaton answers 400 either with Jackson\'s message naming Java classes as `text/plain` or with an `InvalidRequestException` whose message is empty (which varies between runs)',
    reason: 'clients parse Camunda\'s `{type, message, code}` errors; a Java class path in plain text helps none of them',
  },
  {
    what: 'Two resources with one name in a deployment are refused with 400',
    reason: 'Camunda keeps the last of them silently, which hides the other',
  },
  {
    what: 'Error messages name Camunda\'s extension attributes (`camunda:formRef`), where Operaton writes `operaton:formRef`',
    reason: 'we implement Camunda 7\'s REST API; models and clients use the `camunda:` namespace',
    adjustOperaton: (body) => (isObject(body) && typeof body.message === 'string' ? { ...body, message: body.message.replaceAll('operaton:formRef', 'camunda:formRef') } : body),
  },
  {
    what: '`GET /task/{id}/deployed-form` of an unknown task answers 404 InvalidRequestException `No matching task with id …`, where Operaton fails with a 500 NullPointerException',
    reason: 'a missing task is the client\'s mistake, not an internal error',
  },
  {
    what: '`POST /process-instance/delete` and `POST /process-instance/delete-historic-query-based` delete the instances before they answer; the Batch DTO they answer describes the batch as done (`jobsCreated` equal to `totalJobs`, an `executionStartTime`) and names no seed, monitor or batch job definition (`null`), and `GET /batch/{id}` does not know it, where Operaton answers a batch that its job executor works off later',
    reason: 'there are no batches here: deleting one instance is one short command, so the request does the work; ids of job definitions that do not exist would point nowhere',
    adjustOperaton: (body, call) => (call.method === 'POST' && /^\/process-instance\/delete(-historic-query-based)?$/.test(call.path) && isObject(body) && body.type === 'instance-deletion'
      ? { ...body, jobsCreated: body.totalJobs, seedJobDefinitionId: null, monitorJobDefinitionId: null, batchJobDefinitionId: null, executionStartTime: '<date>' }
      : body),
  },
  {
    what: 'Batch deletion with `skipSubprocesses: true` is refused with 400, where Camunda leaves the instances called by a deleted instance running',
    reason: 'the instances a deleted instance called are deleted with it here; deleting them when the request asked to keep them would lose data',
  },
  {
    what: '`DELETE /job/{id}` refuses (500) the job of a running instance (a timer or an async continuation it waits at); only a timer start event\'s job can be deleted, where Camunda deletes any job and leaves the instance waiting for good',
    reason: 'a job is part of the waiting instance\'s state here: the next command on the instance would create it again; deleting or modifying the instance says what is meant',
  },
  {
    what: '`PUT /job-definition/suspended` with an `executionDate` in the future is refused with 400, where Camunda schedules the change as a job',
    reason: 'there are no scheduled suspension jobs here; changing the state at once instead would not be what was asked',
  },
  {
    what: '`PUT /job-definition/{id}/jobPriority` without `includeJobs` leaves the priority of the definition\'s existing jobs as it is, where Operaton 1.0 changes them too',
    reason: 'Camunda 7 documents and tests that only new jobs get an overriding priority unless `includeJobs` (cascade) is set; the REST layer passes it on, so Operaton\'s change of existing jobs is not Camunda\'s behaviour',
  },
  {
    what: '`POST /task/{id}/identity-links` without a `type` is refused with 500 `NullValueException` "type is required when adding a new task identity link: type is null" (Operaton\'s answer to the same body on `…/identity-links/delete`), where Operaton stores a link without a type, after which `GET /task/{id}/identity-links` answers 500 `NullPointerException`',
    reason: 'a link without a type means nothing and broke the task\'s identity links for good',
  },
  {
    what: 'Adding an identity link a task already has (same type, user and group) answers 204 and changes nothing, where Operaton answers 500 `NullPointerException`',
    reason: 'a task\'s links are a set: asking for one it has is already done',
  },
  {
    what: 'Variables of stand-alone tasks are not kept: setting one answers 500 `ProcessEngineException` naming the task, and variables passed to complete or resolve such a task are dropped (complete) or refused (resolve)',
    reason: 'variables live in a process instance\'s scopes here; a stand-alone task has none (Operaton keeps them on the task)',
  },
  {
    what: 'PUT …/history-time-to-live of an unknown process or decision definition id answers 404 with the lookup\'s not-found message, where Operaton answers 500 `NullPointerException`',
    reason: 'an unknown id is the client\'s mistake, answered as GET of the same id answers it',
  },
  {
    what: '`GET /deployment/registered` answers every deployment in the database, where Operaton answers those deployed through its node since it started',
    reason: 'every node sharing the database runs the jobs of every deployment; there is no per-node registration',
  },
  {
    what: 'Suspending or activating process definitions with an `executionDate` is refused with 400, where Operaton schedules a job that does it then',
    reason: 'this engine has no delayed suspension job; acting at once would do something the client did not ask for',
  },
  {
    what: 'A task attachment or binary variable upload larger than MAX_UPLOAD_BYTES (10 MiB by default) is refused with 413 `InvalidRequestException`, where Operaton takes uploads of any size',
    reason: 'one configured bound on what a request may make the server hold; nothing is stored from a refused upload',
  },
  {
    what: 'An upload to `…/variables/{name}/data` with a `valueType` other than Bytes or File answers 400 `InvalidRequestException`, where Operaton fails converting the bytes (or deserializes an Object `type` part, which this engine does not take)',
    reason: 'only binary values can come as data; a typed value is set with `PUT …/variables/{name}`',
  },
  {
    what: 'Tasks a filter answers (`/filter/{id}/list`, `/filter/{id}/singleResult`) carry `attachment: false`, `comment: false` and `variables: null`, as every task of `/task` does',
    reason: 'one fixed task shape wherever a task is answered, as the OpenAPI documents TaskDto',
    adjustOperaton: (body, call) => (/^\/filter\/[^/]+\/(list|singleResult)(\?|$)/.test(call.path)
      ? eachOf(body, (task) => ('taskDefinitionKey' in task ? { attachment: false, comment: false, variables: null, ...task } : task))
      : body),
  },
  {
    what: 'A filter created without `properties` answers `properties: {}`, where Operaton answers `null` on creation (and `{}` on every later read)',
    reason: 'the OpenAPI declares FilterDto `properties` an object, not nullable; the filter reads the same at once and later',
    adjustOperaton: (body, call) => (call.method === 'POST' && call.path === '/filter/create' && isObject(body) && body.properties === null ? { ...body, properties: {} } : body),
  },
  {
    what: 'A filter whose query uses a task query property this engine\'s `GET /task` does not filter by (due and follow-up dates, variables, owner, description, or-queries, …), or an expression other than `${currentUser()}`/`${currentUserGroups()}`, is refused with 400 "Unable to create filter with invalid content: …" naming it',
    reason: 'saved and ignored, the filter would list more tasks than its query says; empty lists and `false` (what Camunda echoes for unset properties) pass',
  },
  {
    what: 'A filter\'s query echoes `taskId`, `taskIdIn` and `tenantIdIn` when set, where Operaton leaves them out of its answer (it still applies them)',
    reason: 'a client that reads a filter and saves it back (Tasklist\'s edit dialog) would otherwise drop them',
  },
  {
    what: '`/schema/log` lists this engine\'s migrations (id, the time it ran, and its name as `version`, e.g. `0019-filters`), where Operaton has one entry for its schema version (`7.24.0`)',
    reason: 'the log shows how this database\'s schema came to be; its versions are this engine\'s, not Camunda\'s',
  },
  {
    what: '`GET /telemetry/data` names this engine (`Camunda BPM Runtime` 7.24.0), its database and Node.js as `application-server`, with `jdk: null`, `license-key: null` and no command counts',
    reason: 'it describes this engine as it is; telemetry stays off in both and nothing is ever sent',
  },
  {
    what: '`/identity/password-policy` answers 404 with Camunda\'s JSON error body "No password policy is configured.", where Operaton\'s 404 has no entity and its servlet container sends an HTML page',
    reason: 'clients parse Camunda\'s `{type, message, code}` errors; both answer 404 (test/reference/variable-instances-and-misc.test.ts compares the status)',
  },
  {
    what: '`POST /telemetry/configuration` without `enableTelemetry` answers 400 InvalidRequestException, where Operaton fails with a 500 NullPointerException',
    reason: 'a clear refusal instead of an internal error; neither changes anything',
  },
  {
    what: '`POST /history/process-instance/delete` deletes the chosen finished instances\' history within the request and answers a Batch DTO (type `historic-instance-deletion`) whose job definitions exist only as ids; running and unknown instances are left alone, where Operaton\'s batch jobs would fail on them later',
    reason: 'this engine has no batch resource or batch jobs; clients read the Batch DTO Camunda answers, and the deletion is done by the time they look',
  },
  {
    what: 'Job log entries (`/history/job-log`) have `hostname: null`, where Operaton writes `<ip address>$<engine name>` (e.g. `127.0.0.1$default`)',
    reason: 'no node of this engine has such a name, and a made-up one would mislead operators looking for the node that ran a job',
    adjustOperaton: (body, call) => (/^\/history\/job-log/.test(call.path) ? eachOf(body, (entry) => ('hostname' in entry ? { ...entry, hostname: null } : entry)) : body),
  },
  {
    what: 'Statistics results name Camunda\'s DTO classes in `@class` (`org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto`), where Operaton writes `org.operaton.bpm.…`',
    reason: 'we implement Camunda 7\'s REST API; clients that read `@class` know Camunda\'s class names',
    adjustOperaton: (body) => eachOf(body, (item) => (typeof item['@class'] === 'string' ? { ...item, '@class': item['@class'].replace('org.operaton.bpm.', 'org.camunda.bpm.') } : item)),
  },
  {
    what: 'A Json variable read with deserialized values (the default of `GET …/variables`) answers its JSON text, as with `deserializeValues=false`, where Operaton answers the bean properties of its Spin node (`nodeType`, `object`, `array`, …, `dataFormatName`), which leave out the content',
    reason: 'a client reads the document only from its text; test/reference/task-and-instance-variables.test.ts compares the node type the text parses to',
  },
  {
    what: 'An Object variable read with deserialized values answers the `objectTypeName` it was stored with, where Operaton names the type its JSON mapper built from it: a raw generic Java class gets `java.lang.Object` parameters (`java.util.LinkedHashMap<java.lang.Object,java.lang.Object>` for `java.util.LinkedHashMap`)',
    reason: 'there are no Java classes here to build; the stored name is the one the client set, which both answer with `deserializeValues=false`',
    adjustOperaton: (body) => everyObject(body, (object) => {
      const valueInfo = object.valueInfo;
      if (object.type !== 'Object' || typeof object.value === 'string' || !isObject(valueInfo) || typeof valueInfo.objectTypeName !== 'string') return object;
      return { ...object, valueInfo: { ...valueInfo, objectTypeName: valueInfo.objectTypeName.replace(/<java\.lang\.Object(,java\.lang\.Object)*>$/, '') } };
    }),
  },
  {
    what: 'Adding a member a group already has answers 500 `ProcessEnginePersistenceException` "The user \'…\' is already a member of group \'…\'.", where Operaton\'s message of the same type only says that "an exception occurred in the persistence layer"',
    reason: 'Operaton\'s message sends the client to server logs that would only show a duplicate key; ours says which membership exists',
    adjustOperaton: (body, call) => {
      const member = /^\/group\/([^/]+)\/members\/([^/?]+)$/.exec(call.path);
      return call.method === 'PUT' && member && isObject(body) && body.type === 'ProcessEnginePersistenceException'
        ? { ...body, message: `The user '${decodeURIComponent(member[2])}' is already a member of group '${decodeURIComponent(member[1])}'.` }
        : body;
    },
  },
  {
    what: '`PUT /user/{id}/profile` and `PUT /group/{id}` change the user or group the path names: a body without `id` means it too, where Operaton fails with a 500 NullPointerException; a body naming another id is refused with 400 InvalidRequestException, where Operaton answers 500 OptimisticLockingException (code 1) for the other id; neither changes anything',
    reason: 'the path already names the entity, and ids never change; an optimistic locking conflict tells a client to retry what can never succeed',
  },
  {
    what: '`POST /identity/verify` of a user who has no password answers `authenticated: false`, where Operaton fails with a 500 NullPointerException',
    reason: 'a user without a password cannot sign in; that is an answer, not an internal error',
  },
  {
    what: '`GET /metrics` with an `interval` below 1 or a negative `firstResult` or `maxResults` is refused with 400 InvalidRequestException, where Operaton answers `[]` while its meter log is empty',
    reason: 'an interval of 0 seconds cuts time into no intervals and a negative page means nothing; a refusal says so whether or not the meter log has rows yet',
  },
];

/** Operaton's normalized answer body with every intended difference applied. */
export function asThisEngineWouldAnswer(body: unknown, call: Call): unknown {
  return INTENDED_DIFFERENCES.reduce((adjusted, difference) => (difference.adjustOperaton ? difference.adjustOperaton(adjusted, call) : adjusted), body);
}
