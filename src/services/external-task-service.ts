/** External tasks: claiming for workers, complete, failure with retries and incidents, BPMN errors, locks, retries. */
import type { Knex } from 'knex';
import { BadUserRequestError, InvalidRequestError, NullValueError, RestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import {
  claimExternalTasks,
  hasClaimableExternalTask,
  findExternalTask,
  listTopicNames,
  recordExternalTaskWork,
  updateExternalTask,
  failExternalTaskRow,
  type ClaimRequest,
  type ExternalTaskRow,
} from '../persistence/external-task-repository.js';
import { logExternalTaskSuccess } from '../persistence/external-task-log-repository.js';
import type { IncidentRow } from '../persistence/incident-repository.js';
import type { Db } from '../persistence/database.js';
import { listVariablesOfScopes, storedValueOf } from '../persistence/variable-repository.js';
import { announceExternalTasks } from './external-task-delivery.js';
import { advanceInstance } from './instance-advancer.js';
import { parsedVariables, suspendedEntityError } from './runtime-service.js';
import { lockInstance, runOnEntity, type LockedInstance } from './command-kernel.js';
import { runCommand, type CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceTarget, logUserOperation, type PropertyChange } from './user-operation-log.js';
import { instanceScope, writeVariables } from './variable-writer.js';
import { manageIncidentsOnRetries } from './incident-lifecycle.js';
import type { Attributes } from '@opentelemetry/api';
import { ENGINE_ATTRIBUTES, ENGINE_SPANS, inSpan, linksTo } from '../telemetry/engine-spans.js';

export type { ClaimRequest, ExternalTaskRow, TopicClaim } from '../persistence/external-task-repository.js';

/** What a worker asked to receive with each locked task. */
export interface TopicVariables {
  topicName: string;
  /** Variable names to return; undefined or null means all. */
  variables?: string[] | null;
  /** Only variables local to the task's execution. */
  localVariables?: boolean;
  deserializeValues?: boolean;
  includeExtensionProperties?: boolean;
}

export interface LockedExternalTask {
  task: ExternalTaskRow;
  variables: Map<string, StoredValue>;
  deserializeValues: boolean;
  includeExtensionProperties: boolean;
}

export interface WorkerRequest {
  workerId?: string | null;
  /** A Kafka result: the delivery it answers. Its attempt is checked instead of the worker holding the lock. */
  attempt?: number;
  variables?: Record<string, VariableValueDto> | null;
  localVariables?: Record<string, VariableValueDto> | null;
}

function activityScope(task: ExternalTaskRow) {
  return { scopeId: task.activity_instance_id, activityInstanceId: task.activity_instance_id, taskId: null };
}

function notFound(id: string): RestError {
  return new RestError(404, `External task with id ${id} does not exist`);
}

function requireWorker(workerId: string | null | undefined): string {
  if (workerId === undefined || workerId === null || workerId === '') throw new NullValueError('workerId is null');
  return workerId;
}

/** A Kafka result for an earlier delivery of a task (a duplicate, or late after the task was delivered again). */
export class StaleResultError extends RestError {
  constructor(task: ExternalTaskRow, attempt: number) {
    super(409, `External task ${task.id} is at delivery attempt ${task.delivery_attempt}, not ${attempt}`);
  }
}

/**
 * Camunda checks the worker, not the lock's expiry, when a worker reports on a task; then that the task is active.
 * A Kafka result names the delivery it answers instead: the attempt is the fence.
 */
function ensureLockedBy(task: ExternalTaskRow, workerId: string, verb: string, attempt?: number, refusal = `External Task ${task.id} cannot be ${verb} by worker '${workerId}'`): void {
  if (attempt !== undefined) {
    if (task.delivery_attempt !== attempt) throw new StaleResultError(task, attempt);
  } else if (task.worker_id !== workerId) {
    throw new BadUserRequestError(`${refusal}. It is locked by worker '${task.worker_id}'.`);
  }
  if (task.suspended) throw suspendedEntityError('ExternalTask', task.id);
}

/** Runs a worker's report on a task as one command (the command kernel: lock its instance, re-read the task). */
/** Records an operator's operation on an external task (Camunda's entity ExternalTask). */
async function logExternalTaskOperation(ctx: ServiceContext, tx: Db, task: ExternalTaskRow, lock: LockedInstance, operationType: string, properties?: PropertyChange[]): Promise<void> {
  const target = { ...instanceTarget({ processInstanceId: task.process_instance_id, rootProcessInstanceId: lock.row.root_process_instance_id, definition: lock.identity.definition }), externalTaskId: task.id };
  await logUserOperation(ctx, tx, { operationType, entityType: 'ExternalTask', category: 'Operator', target, properties });
}

function onExternalTask<T>(ctx: ServiceContext, id: string, name: string, work: (command: CommandScope, task: ExternalTaskRow, lock: LockedInstance) => Promise<T>): Promise<T> {
  return runOnEntity(ctx, name, id, { find: findExternalTask, instanceOf: (task) => task.process_instance_id, missing: () => notFound(id) }, work);
}

/** A worker's report on a task in its span: the task, the worker and, over Kafka, the delivery attempt it answers. */
function reportSpan<T>(spanName: string, id: string, request: { workerId?: string | null; attempt?: number }, extra: Attributes, work: (describe: (task: ExternalTaskRow) => void) => Promise<T>): Promise<T> {
  const attributes = (): Attributes => ({
    [ENGINE_ATTRIBUTES.externalTaskId]: id,
    ...extra,
    ...(request.workerId ? { [ENGINE_ATTRIBUTES.workerId]: request.workerId } : {}),
    ...(request.attempt === undefined ? {} : { [ENGINE_ATTRIBUTES.externalTaskAttempt]: request.attempt }),
  });
  return inSpan(spanName, attributes, (span) => work((task) => span?.setAttributes(taskAttributes(task))));
}

function taskAttributes(task: ExternalTaskRow): Attributes {
  return {
    [ENGINE_ATTRIBUTES.externalTaskTopic]: task.topic_name,
    [ENGINE_ATTRIBUTES.activityId]: task.activity_id,
    [ENGINE_ATTRIBUTES.activityInstanceId]: task.activity_instance_id,
    [ENGINE_ATTRIBUTES.processInstanceId]: task.process_instance_id,
    [ENGINE_ATTRIBUTES.definitionKey]: task.process_definition_key,
    ...(task.retries === null ? {} : { [ENGINE_ATTRIBUTES.externalTaskRetries]: task.retries }),
  };
}

/**
 * Locked tasks with the variables each one's topic asks for, read in one query for them all: for a REST claim and
 * for a Kafka delivery alike.
 */
export async function withRequestedVariables(db: Db, tasks: readonly ExternalTaskRow[], topicOf: (task: ExternalTaskRow) => TopicVariables): Promise<LockedExternalTask[]> {
  // Local variables are the task activity's own scope: its input mappings and what workers set locally.
  const scopeOf = (task: ExternalTaskRow) => (topicOf(task).localVariables ? task.activity_instance_id : task.process_instance_id);
  const byScope = await listVariablesOfScopes(db, tasks.map(scopeOf));
  return tasks.map((task) => {
    const topic = topicOf(task);
    const wanted = topic.variables ? new Set(topic.variables) : null;
    const rows = (byScope.get(scopeOf(task)) ?? []).filter((row) => !wanted || wanted.has(row.name));
    return {
      task,
      variables: new Map(rows.map((row) => [row.name, storedValueOf(row)])),
      deserializeValues: topic.deserializeValues ?? false,
      includeExtensionProperties: topic.includeExtensionProperties ?? false,
    };
  });
}

/** One attempt to claim tasks: a single UPDATE … FOR UPDATE SKIP LOCKED, committed on its own (only when there is work). */
export async function claimTasks(ctx: ServiceContext, request: Omit<ClaimRequest, 'now'>, topics: TopicVariables[]): Promise<LockedExternalTask[]> {
  // A plain read first: a poll that finds nothing opens no transaction, so only a claim that locks tasks commits.
  if (!(await hasClaimableExternalTask(ctx.database.knex, { ...request, now: ctx.clock.now() }))) return [];
  return inSpan(ENGINE_SPANS.fetchAndLock, () => ({ [ENGINE_ATTRIBUTES.workerId]: request.workerId, [ENGINE_ATTRIBUTES.externalTaskTopic]: request.topics.map((topic) => topic.topicName) }), async (span) => {
    const claimed = await runCommand(ctx, 'fetch and lock', ({ tx }) => claimExternalTasks(tx, { ...request, now: ctx.clock.now() }));
    // Each task links to the trace that created it: the worker's answer continues that trace, not the poll's.
    span?.setAttributes({ [ENGINE_ATTRIBUTES.externalTaskCount]: claimed.length, [ENGINE_ATTRIBUTES.externalTaskId]: claimed.map((task) => task.id) });
    span?.addLinks(linksTo(claimed.map((task) => task.traceparent)));
    const byTopic = new Map(topics.map((topic) => [topic.topicName, topic]));
    return withRequestedVariables(ctx.database.knex, claimed, (task) => byTopic.get(task.topic_name) ?? { topicName: task.topic_name });
  });
}

export async function getExternalTask(ctx: ServiceContext, id: string): Promise<ExternalTaskRow> {
  const task = await findExternalTask(ctx.database.knex, id);
  if (!task) throw notFound(id);
  return task;
}

/** Camunda's getExternalTaskErrorDetails: the engine's own lookup, so an unknown id is its NullValueException, not a 404. */
export async function getExternalTaskErrorDetails(ctx: ServiceContext, id: string): Promise<string | null> {
  const task = await findExternalTask(ctx.database.knex, id);
  if (!task) throw new NullValueError(`No external task found with id ${id}: externalTask is null`);
  return task.error_details;
}

export async function completeExternalTask(ctx: ServiceContext, id: string, request: WorkerRequest): Promise<void> {
  const workerId = requireWorker(request.workerId);
  const describe = (message: string) => `Cannot complete external task ${id}: ${message}`;
  const variables = parsedVariables(request.variables, describe);
  const local = parsedVariables(request.localVariables, describe);
  await reportSpan(ENGINE_SPANS.complete, id, request, {}, (describe) => onExternalTask(ctx, id, 'complete external task', async (command, task, lock) => {
    describe(task);
    ensureLockedBy(task, workerId, 'completed', request.attempt);
    const now = ctx.clock.now();
    await writeVariables(command.tx, lock.identity, instanceScope(lock.identity), variables.stored, now);
    // Local variables live in the task activity's scope; output mappings read them, and they end with it.
    await writeVariables(command.tx, lock.identity, activityScope(task), local.stored, now);
    await logExternalTaskSuccess(command.tx, task.id, now);
    await advanceInstance(ctx, command, lock.running, { kind: 'signal', activityId: task.activity_id, executionId: task.engine_execution_id }, { transientVariables: { ...variables.transient, ...local.transient } });
    recordExternalTaskWork(command.tx, 'completed', [task]);
  }));
}

export interface FailureReport extends WorkerRequest {
  errorMessage?: string | null;
  errorDetails?: string | null;
  retries?: number | null;
  retryTimeout?: number | null;
}

function failedTaskIncident(task: ExternalTaskRow, message: string | null, now: Date): IncidentRow {
  return {
    id: newId(),
    incident_type: 'failedExternalTask',
    incident_message: message,
    incident_timestamp: now,
    process_instance_id: task.process_instance_id,
    execution_id: task.execution_id,
    process_definition_id: task.process_definition_id,
    activity_id: task.activity_id,
    activity_instance_id: task.activity_instance_id,
    configuration: task.id,
    job_definition_id: null,
    tenant_id: task.tenant_id,
    annotation: null,
  };
}

/** Writes the task's retries (and `changes` with them); an incident, raised when they run out, carries `message`. */
async function setRetriesAndManageIncidents(
  tx: Knex.Transaction,
  ctx: ServiceContext,
  task: ExternalTaskRow,
  retries: number,
  message: string | null,
  changes: Partial<ExternalTaskRow> = {},
  options: { failure?: boolean } = {},
): Promise<void> {
  const now = ctx.clock.now();
  // A worker's failure is logged (the external task log's failureLog) by the same statement that records it.
  if (options.failure) await failExternalTaskRow(tx, task, { ...changes, retries }, now);
  else await updateExternalTask(tx, task.id, { ...changes, retries });
  await manageIncidentsOnRetries(tx, {
    configuration: task.id,
    from: task.retries,
    to: retries,
    now,
    incident: () => failedTaskIncident(task, message, now),
    processDefinitionKey: task.process_definition_key,
  });
}

/**
 * A failure counts retries down: with retries left the task becomes fetchable again after `retryTimeout`; with none
 * (also when `retries` is missing, as Camunda's int DTO reads it) a `failedExternalTask` incident is raised.
 */
export async function failExternalTask(ctx: ServiceContext, id: string, report: FailureReport): Promise<void> {
  const workerId = requireWorker(report.workerId);
  const retries = report.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) throw new BadUserRequestError('retries is not greater than or equal to 0');
  const retryTimeout = report.retryTimeout ?? 0;
  if (!Number.isFinite(retryTimeout) || retryTimeout < 0) throw new BadUserRequestError('retryTimeout is not greater than or equal to 0');
  const describe = (message: string) => `Cannot report failure of external task ${id}: ${message}`;
  const variables = parsedVariables(report.variables, describe);
  const local = parsedVariables(report.localVariables, describe);
  await reportSpan(ENGINE_SPANS.failure, id, report, { [ENGINE_ATTRIBUTES.externalTaskRetries]: retries }, (describe) => onExternalTask(ctx, id, 'fail external task', async ({ tx }, task, lock) => {
    describe(task);
    ensureLockedBy(task, workerId, 'failed', report.attempt);
    const now = ctx.clock.now();
    await writeVariables(tx, lock.identity, instanceScope(lock.identity), variables.stored, now);
    await writeVariables(tx, lock.identity, activityScope(task), local.stored, now);
    const availableAt = retryTimeout > 0 ? new Date(now.getTime() + retryTimeout) : null;
    // As Camunda: the worker stays on the task (it may still complete it) and the lock runs out after retryTimeout;
    // earlier errorDetails are kept when none are reported. A Kafka worker takes the task over from the transport.
    await setRetriesAndManageIncidents(tx, ctx, task, retries, report.errorMessage ?? null, {
      error_message: report.errorMessage ?? null,
      ...(report.errorDetails !== undefined && report.errorDetails !== null ? { error_details: report.errorDetails } : {}),
      lock_expiration_time: availableAt ?? now,
      ...(report.attempt !== undefined ? { worker_id: workerId } : {}),
    }, { failure: true });
    if (retries > 0) await announceExternalTasks(tx, ctx.options.kafka, [task], now, availableAt);
    recordExternalTaskWork(tx, 'failed', [task]);
  }));
}

export interface BpmnErrorReport extends WorkerRequest {
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Throws a BPMN error at the task's activity: a matching error boundary event catches it; when none does, the
 * execution ends with a warning (Camunda's default) or, with UNHANDLED_BPMN_ERROR=incident, the task gets an incident.
 */
export async function throwExternalTaskBpmnError(ctx: ServiceContext, id: string, report: BpmnErrorReport): Promise<void> {
  const workerId = requireWorker(report.workerId);
  if (!report.errorCode) throw new BadUserRequestError('errorCode is null');
  const errorCode = report.errorCode;
  const variables = parsedVariables(report.variables, (message) => `Cannot report BPMN error of external task ${id}: ${message}`);
  await reportSpan(ENGINE_SPANS.bpmnError, id, report, { [ENGINE_ATTRIBUTES.errorCode]: errorCode }, (describe) => onExternalTask(ctx, id, 'bpmn error external task', async (command, task, lock) => {
    describe(task);
    ensureLockedBy(task, workerId, 'reported with a BPMN error', report.attempt);
    await writeVariables(command.tx, lock.identity, instanceScope(lock.identity), variables.stored, ctx.clock.now());
    const result = await advanceInstance(
      ctx,
      command,
      lock.running,
      { kind: 'bpmnError', activityId: task.activity_id, executionId: task.engine_execution_id, errorCode, errorMessage: report.errorMessage ?? null, endIfUncaught: ctx.options.unhandledBpmnError === 'end' },
      { transientVariables: variables.transient },
    );
    if (!result.uncaughtBpmnError) return;
    const message = `BPMN error '${errorCode}'${report.errorMessage ? ` (${report.errorMessage})` : ''} thrown by external task ${id} at activity '${task.activity_id}' of process instance ${task.process_instance_id} was not caught by any error boundary event`;
    if (ctx.options.unhandledBpmnError === 'end') {
      // Without the worker's errorMessage, which may describe the data the worker failed on.
      ctx.logger.warn(`BPMN error '${errorCode}' thrown by external task ${id} at activity '${task.activity_id}' of process instance ${task.process_instance_id} was not caught by any error boundary event; the execution ended`, { command: 'bpmn error external task', processInstanceId: task.process_instance_id, externalTaskId: id });
      return;
    }
    await setRetriesAndManageIncidents(command.tx, ctx, task, 0, message, { error_message: message });
  }));
}

/** The latest lock expiry the engine stores: beyond it a JavaScript Date and PostgreSQL's timestamp part ways. */
const LATEST_LOCK_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function tooLongLock(name: string): BadUserRequestError {
  return new BadUserRequestError(`${name} is too large: the lock would expire after 9999-12-31`);
}

function requirePositive(value: unknown, name: string): number {
  // A Long beyond 2^53 arrives as a bigint: positive, but far beyond any storable expiry.
  if (typeof value === 'bigint' && value > 0n) throw tooLongLock(name);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new BadUserRequestError(`${name} is not greater than 0`);
  return value;
}

/** The expiry of a lock taken now for `duration` ms, refused when it is later than the engine can store. */
function lockExpiry(now: Date, duration: number, name: string): Date {
  const expiry = now.getTime() + duration;
  if (expiry > LATEST_LOCK_EXPIRY_MS) throw tooLongLock(name);
  return new Date(expiry);
}

/** Checks every topic's lockDuration before a fetch claims (or waits for) anything. */
export function ensureStorableLockDurations(ctx: ServiceContext, request: Omit<ClaimRequest, 'now'>): void {
  for (const topic of request.topics) lockExpiry(ctx.clock.now(), topic.lockDuration, 'lockDuration');
}

export async function extendExternalTaskLock(ctx: ServiceContext, id: string, workerId: string | null | undefined, newDuration: unknown, attempt?: number): Promise<void> {
  const worker = requireWorker(workerId);
  const duration = requirePositive(newDuration, 'lockTime');
  await reportSpan(ENGINE_SPANS.extendLock, id, { workerId, attempt }, {}, (describe) => onExternalTask(ctx, id, 'extend lock', async ({ tx }, task) => {
    describe(task);
    // Camunda's wording, its doubled quote included.
    ensureLockedBy(task, worker, 'extended', attempt, `The lock of the External Task ${id} cannot be extended by worker '${worker}''`);
    const now = ctx.clock.now();
    if (!task.lock_expiration_time || new Date(task.lock_expiration_time) <= now) {
      throw new BadUserRequestError(`Cannot extend a lock that expired: the lock of external task ${id} expired at ${task.lock_expiration_time ? new Date(task.lock_expiration_time).toISOString() : 'never set'}`);
    }
    await updateExternalTask(tx, task.id, { lock_expiration_time: lockExpiry(now, duration, 'lockExpirationTime') });
  }));
}

/** Locks one task by id for a worker (Camunda 7.20+): refused while another worker's lock holds. */
export async function lockExternalTask(ctx: ServiceContext, id: string, workerId: string | null | undefined, lockDuration: unknown): Promise<void> {
  const worker = requireWorker(workerId);
  const duration = requirePositive(lockDuration, 'lockDuration');
  await onExternalTask(ctx, id, 'lock external task', async ({ tx }, task) => {
    const now = ctx.clock.now();
    const lockedByOther = task.worker_id !== null && task.worker_id !== worker && task.lock_expiration_time !== null && new Date(task.lock_expiration_time) > now;
    if (lockedByOther) throw new BadUserRequestError(`External Task ${id} cannot be locked by worker '${worker}'. It is locked by worker '${task.worker_id}'.`);
    await updateExternalTask(tx, task.id, { worker_id: worker, lock_expiration_time: lockExpiry(now, duration, 'lockDuration'), delivery_attempt: task.delivery_attempt + 1 });
    recordExternalTaskWork(tx, 'locked', [task]);
  });
}

export async function unlockExternalTask(ctx: ServiceContext, id: string): Promise<void> {
  await onExternalTask(ctx, id, 'unlock external task', async ({ tx }, task, lock) => {
    await logExternalTaskOperation(ctx, tx, task, lock, 'Unlock');
    await updateExternalTask(tx, task.id, { worker_id: null, lock_expiration_time: null });
    await announceExternalTasks(tx, ctx.options.kafka, [task], ctx.clock.now());
  });
}

/** Sets retries: running out raises an incident, retries given back resolve it and make the task fetchable. */
export async function setExternalTaskRetries(ctx: ServiceContext, id: string, retries: unknown): Promise<void> {
  if (retries === undefined || retries === null) throw new InvalidRequestError(400, 'The number of retries cannot be null.');
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0) throw new BadUserRequestError('retries is not greater than or equal to 0');
  await onExternalTask(ctx, id, 'set external task retries', async ({ tx }, task, lock) => {
    await logExternalTaskOperation(ctx, tx, task, lock, 'SetExternalTaskRetries', [{ property: 'retries', orgValue: task.retries, newValue: retries }]);
    await setRetriesAndManageIncidents(tx, ctx, task, retries, task.error_message);
    // A task a worker still holds stays with it; only a free one is delivered again.
    if (retries > 0) await announceExternalTasks(tx, ctx.options.kafka, [task], ctx.clock.now());
  });
}

/**
 * Camunda's PUT /external-task/retries: the same retries for many tasks in one command, with incidents raised and
 * resolved as for one; a task that does not exist fails the whole request, which then changes nothing.
 */
export async function setRetriesOfExternalTasks(ctx: ServiceContext, ids: readonly string[], retries: number | null | undefined): Promise<void> {
  if (retries === undefined || retries === null) throw new InvalidRequestError(400, 'The number of retries cannot be null.');
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidRequestError(400, 'The number of retries cannot be negative: retries is not greater than or equal to 0');
  if (ids.length === 0) throw new InvalidRequestError(400, 'externalTaskIds is empty');
  const missing = (id: string) => new InvalidRequestError(404, `Cannot find external task with id ${id}: externalTask is null`);
  await runCommand(ctx, 'set external task retries', async ({ tx }) => {
    const found: ExternalTaskRow[] = [];
    for (const id of ids) {
      const task = await findExternalTask(tx, id);
      if (!task) throw missing(id);
      found.push(task);
    }
    // Instances in id order, as every command that locks more than one does.
    const instanceIds = [...new Set(found.map((task) => task.process_instance_id))].sort();
    for (const instanceId of instanceIds) await lockInstance(tx, instanceId, () => missing(ids[0]!));
    const properties = [{ property: 'nrOfInstances', orgValue: null, newValue: ids.length }, { property: 'async', orgValue: null, newValue: false }, { property: 'retries', orgValue: null, newValue: retries }];
    await logUserOperation(ctx, tx, { operationType: 'SetExternalTaskRetries', entityType: 'ExternalTask', category: 'Operator', target: {}, properties });
    for (const id of ids) {
      const task = await findExternalTask(tx, id);
      if (!task) throw missing(id);
      await setRetriesAndManageIncidents(tx, ctx, task, retries, task.error_message);
      if (retries > 0) await announceExternalTasks(tx, ctx.options.kafka, [task], ctx.clock.now());
    }
  });
}

export async function setExternalTaskPriority(ctx: ServiceContext, id: string, priority: unknown): Promise<void> {
  if (typeof priority !== 'number' || !Number.isSafeInteger(priority)) throw new InvalidRequestError(400, 'Priority must be an integer');
  await onExternalTask(ctx, id, 'set external task priority', async ({ tx }, task, lock) => {
    await logExternalTaskOperation(ctx, tx, task, lock, 'SetPriority', [{ property: 'priority', orgValue: Number(task.priority), newValue: priority }]);
    await updateExternalTask(tx, task.id, { priority });
  });
}

export async function externalTaskTopicNames(ctx: ServiceContext, options: { withLockedTasks?: boolean; withUnlockedTasks?: boolean; withRetriesLeft?: boolean }): Promise<string[]> {
  return listTopicNames(ctx.database.knex, { ...options, now: ctx.clock.now() });
}
