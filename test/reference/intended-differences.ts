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
    what: '`POST /history/process-instance/delete` deletes the chosen finished instances\' history within the request and answers a Batch DTO (type `historic-instance-deletion`) whose job definitions exist only as ids; running and unknown instances are left alone, where Operaton\'s batch jobs would fail on them later',
    reason: 'this engine has no batch resource or batch jobs; clients read the Batch DTO Camunda answers, and the deletion is done by the time they look',
  },
  {
    what: 'Job log entries (`/history/job-log`) have `hostname: null`, where Operaton writes `<ip address>$<engine name>` (e.g. `127.0.0.1$default`)',
    reason: 'no node of this engine has such a name, and a made-up one would mislead operators looking for the node that ran a job',
    adjustOperaton: (body, call) => (/^\/history\/job-log/.test(call.path) ? eachOf(body, (entry) => ('hostname' in entry ? { ...entry, hostname: null } : entry)) : body),
  },
];

/** Operaton's normalized answer body with every intended difference applied. */
export function asThisEngineWouldAnswer(body: unknown, call: Call): unknown {
  return INTENDED_DIFFERENCES.reduce((adjusted, difference) => (difference.adjustOperaton ? difference.adjustOperaton(adjusted, call) : adjusted), body);
}
