/** External tasks: one row per waiting external activity; workers claim them with a single SKIP LOCKED statement. */
import { recordWork } from '../telemetry/committed-work.js';
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { whereVariableValue } from './variable-instance-repository.js';
import type { VariableCondition } from '../core/variable-condition.js';
import { NOT_SUCCEEDED, withExternalTaskLog } from './external-task-log-repository.js';

export interface ExternalTaskRow {
  id: string;
  process_instance_id: string;
  engine_execution_id: string;
  execution_id: string | null;
  activity_id: string;
  activity_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  process_definition_version_tag: string | null;
  topic_name: string;
  worker_id: string | null;
  lock_expiration_time: Date | null;
  retries: number | null;
  error_message: string | null;
  error_details: string | null;
  priority: string | number;
  business_key: string | null;
  tenant_id: string | null;
  suspended: boolean;
  extension_properties: Record<string, string>;
  create_time: Date;
  /** Deliveries so far, over either transport (0 before the first); Kafka results are fenced by it. */
  delivery_attempt: number;
  /** W3C trace context of the command that created the task, handed to REST workers that ask for it. */
  traceparent: string | null;
}

/** One topic of a fetchAndLock request, with the filters Camunda's client sends. */
export interface TopicClaim {
  topicName: string;
  /** Milliseconds; the lock runs from the moment of the claim (a parked request claims later than it asked). */
  lockDuration: number;
  businessKey?: string;
  processDefinitionId?: string;
  processDefinitionIdIn?: string[];
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionVersionTag?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  /** Only tasks whose instance has these variables with these values (compared as Camunda's serialized text). */
  processVariables?: Record<string, string | null>;
}

export interface ClaimRequest {
  workerId: string;
  maxTasks: number;
  usePriority: boolean;
  /** createTime ordering, Camunda's `sorting` (applied after priority when usePriority is set). */
  createTimeOrder?: 'asc' | 'desc';
  topics: TopicClaim[];
  now: Date;
}

export interface ExternalTaskFilter {
  externalTaskId?: string;
  externalTaskIdIn?: string[];
  topicName?: string;
  workerId?: string;
  locked?: boolean;
  notLocked?: boolean;
  withRetriesLeft?: boolean;
  noRetriesLeft?: boolean;
  lockExpirationAfter?: Date;
  lockExpirationBefore?: Date;
  activityId?: string;
  activityIdIn?: string[];
  executionId?: string;
  processInstanceId?: string;
  processInstanceIdIn?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionName?: string;
  processDefinitionNameLike?: string;
  /** Conditions on the task's process instance's own variables, each met by one of them. */
  processVariables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
  active?: boolean;
  suspended?: boolean;
  priorityHigherThanOrEquals?: number;
  priorityLowerThanOrEquals?: number;
  tenantIdIn?: string[];
  now: Date;
}

const SORT_COLUMNS: Record<string, string> = {
  id: 'et.id', lockExpirationTime: 'et.lock_expiration_time', processInstanceId: 'et.process_instance_id',
  processDefinitionId: 'et.process_definition_id', processDefinitionKey: 'et.process_definition_key', tenantId: 'et.tenant_id',
  taskPriority: 'et.priority', createTime: 'et.create_time',
};

/** Inserts external tasks with their creation log, in one statement. */
export async function insertExternalTasks(db: Db, rows: ExternalTaskRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of statementChunks(rows)) {
    await withExternalTaskLog(db, db('external_task').insert(chunk.map((row) => ({ ...row, extension_properties: JSON.stringify(row.extension_properties) }))).returning('*'), 'created', now);
  }
  recordExternalTaskWork(db, 'created', rows);
}

/** Tallies what happened to external tasks for the metrics, per topic (counted once the command commits). */
export function recordExternalTaskWork(db: Db, event: 'created' | 'locked' | 'completed' | 'failed', tasks: ReadonlyArray<{ topic_name: string }>): void {
  const perTopic = new Map<string, number>();
  for (const task of tasks) perTopic.set(task.topic_name, (perTopic.get(task.topic_name) ?? 0) + 1);
  for (const [topicName, count] of perTopic) recordWork(db, { kind: 'externalTasks', event, topicName, count });
}

export async function findExternalTask(db: Db, id: string): Promise<ExternalTaskRow | undefined> {
  return db<ExternalTaskRow>('external_task').where({ id }).first();
}

/** An instance's external tasks, or only those of these engine executions. */
export async function listExternalTasksOfInstance(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<ExternalTaskRow[]> {
  const query = db<ExternalTaskRow>('external_task').where({ process_instance_id: processInstanceId });
  if (engineExecutionIds) query.whereIn('engine_execution_id', engineExecutionIds);
  return query.orderBy('create_time');
}

export async function updateExternalTask(db: Db, id: string, changes: Partial<ExternalTaskRow>): Promise<void> {
  await db('external_task').where({ id }).update(changes);
}

export async function updateExternalTasks(db: Db, ids: readonly string[], changes: Partial<ExternalTaskRow>): Promise<void> {
  if (ids.length > 0) await db('external_task').whereIn('id', ids).update(changes);
}

/** Suspends or activates an instance's external tasks; returns the tasks it changed. */
export async function updateExternalTaskSuspensionOfInstance(db: Db, processInstanceId: string, suspended: boolean): Promise<Array<Pick<ExternalTaskRow, 'id' | 'topic_name' | 'process_instance_id'>>> {
  return (await db('external_task')
    .where({ process_instance_id: processInstanceId, suspended: !suspended })
    .update({ suspended })
    .returning(['id', 'topic_name', 'process_instance_id'])) as Array<Pick<ExternalTaskRow, 'id' | 'topic_name' | 'process_instance_id'>>;
}

/** Deletes an external task, logging its deletion unless it succeeded, in one statement. */
export async function deleteExternalTask(db: Db, id: string, now: Date): Promise<void> {
  await withExternalTaskLog(db, db('external_task').where({ id }).delete().returning('*'), 'deleted', now, NOT_SUCCEEDED);
}

/** Updates a failed external task and logs the failure (with the retries it had before), in one statement. */
export async function failExternalTaskRow(db: Db, task: Pick<ExternalTaskRow, 'id' | 'retries'>, changes: Partial<ExternalTaskRow>, now: Date): Promise<void> {
  await withExternalTaskLog(db, db('external_task').where({ id: task.id }).update(changes).returning('*'), 'failed', now, '', task.retries);
}

function claimable(db: Db, now: Date) {
  return db('external_task as et')
    .where('et.suspended', false)
    .where((q) => q.whereNull('et.retries').orWhere('et.retries', '>', 0))
    .where((q) => q.whereNull('et.lock_expiration_time').orWhere('et.lock_expiration_time', '<=', now));
}

function applyTopic(query: ReturnType<Db['queryBuilder']>, db: Db, topic: TopicClaim) {
  query.where('et.topic_name', topic.topicName);
  if (topic.businessKey !== undefined) query.where('et.business_key', topic.businessKey);
  if (topic.processDefinitionId !== undefined) query.where('et.process_definition_id', topic.processDefinitionId);
  if (topic.processDefinitionIdIn) query.whereIn('et.process_definition_id', topic.processDefinitionIdIn);
  if (topic.processDefinitionKey !== undefined) query.where('et.process_definition_key', topic.processDefinitionKey);
  if (topic.processDefinitionKeyIn) query.whereIn('et.process_definition_key', topic.processDefinitionKeyIn);
  if (topic.processDefinitionVersionTag !== undefined) query.where('et.process_definition_version_tag', topic.processDefinitionVersionTag);
  if (topic.tenantIdIn) query.whereIn('et.tenant_id', topic.tenantIdIn);
  if (topic.withoutTenantId) query.whereNull('et.tenant_id');
  for (const [name, value] of Object.entries(topic.processVariables ?? {})) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('variable as v').whereRaw('v.scope_id = et.process_instance_id').where('v.name', name);
      if (value === null) sub.whereNull('v.text_value');
      else sub.where('v.text_value', value);
    });
  }
}

/**
 * Locks up to maxTasks claimable tasks of the requested topics for the worker in ONE statement: the candidates are
 * selected FOR UPDATE SKIP LOCKED, so concurrent workers on any node never get the same task while its lock holds,
 * and never wait for each other either. The lock expiry differs per topic (each topic has its lockDuration).
 */
function candidatesOf(db: Db, request: ClaimRequest) {
  return claimable(db, request.now)
    .select('et.id')
    .where((any) => {
      for (const topic of request.topics) any.orWhere((q) => applyTopic(q, db, topic));
    });
}

/** Whether a claim could lock anything now (a plain read, no lock): lets an empty poll skip the transaction. */
export async function hasClaimableExternalTask(db: Db, request: ClaimRequest): Promise<boolean> {
  if (request.topics.length === 0 || request.maxTasks <= 0) return false;
  return (await candidatesOf(db, request).first()) !== undefined;
}

export async function claimExternalTasks(db: Db, request: ClaimRequest): Promise<ExternalTaskRow[]> {
  if (request.topics.length === 0 || request.maxTasks <= 0) return [];
  const candidates = candidatesOf(db, request);
  if (request.usePriority) candidates.orderBy('et.priority', 'desc');
  candidates.orderBy('et.create_time', request.createTimeOrder ?? 'asc').orderBy('et.id', 'asc').limit(request.maxTasks).forUpdate().skipLocked();

  const expiry = db.raw(
    `case et.topic_name ${request.topics.map(() => 'when ? then ?::timestamptz').join(' ')} end`,
    request.topics.flatMap((topic) => [topic.topicName, new Date(request.now.getTime() + topic.lockDuration)]),
  );
  // A materialized CTE locks the candidates once. As a plain `IN (subquery)` PostgreSQL may rescan the subquery while
  // updating; a rescan skips the rows this statement already updated (SKIP LOCKED) and claims others beyond maxTasks.
  const rows = (await db('external_task as et')
    .withMaterialized('claim', candidates)
    .update({ worker_id: request.workerId, lock_expiration_time: expiry, delivery_attempt: db.raw('et.delivery_attempt + 1') })
    .whereIn('et.id', db('claim').select('id'))
    .returning('et.*')) as ExternalTaskRow[];
  recordExternalTaskWork(db, 'locked', rows);
  // UPDATE … RETURNING keeps no order: restore the claim order.
  const direction = request.createTimeOrder === 'desc' ? -1 : 1;
  return rows.sort(
    (a, b) =>
      (request.usePriority ? Number(b.priority) - Number(a.priority) : 0) ||
      direction * (new Date(a.create_time).getTime() - new Date(b.create_time).getTime()) ||
      a.id.localeCompare(b.id),
  );
}

/** A Kafka delivery of a task: the attempt it got and where it goes. */
export interface TaskDelivery {
  id: string;
  topic_name: string;
  process_instance_id: string;
  delivery_attempt: number;
}

/**
 * Starts a new delivery of these tasks by `workerId` (the Kafka transport), locked until `lockedUntil`: each gets the
 * next attempt. Tasks that are suspended, out of retries, or locked by a worker beyond `availableAt` are left alone.
 */
export async function startDeliveries(db: Db, ids: readonly string[], workerId: string, availableAt: Date, lockedUntil: Date): Promise<TaskDelivery[]> {
  if (ids.length === 0) return [];
  const started = (await db('external_task')
    .whereIn('id', ids)
    .where('suspended', false)
    .where((q) => q.whereNull('retries').orWhere('retries', '>', 0))
    .where((q) => q.whereNull('lock_expiration_time').orWhere('lock_expiration_time', '<=', availableAt))
    .update({ delivery_attempt: db.raw('delivery_attempt + 1'), worker_id: workerId, lock_expiration_time: lockedUntil })
    .returning(['id', 'topic_name', 'process_instance_id', 'delivery_attempt'])) as TaskDelivery[];
  recordExternalTaskWork(db, 'locked', started);
  return started;
}

/**
 * Claimable tasks of these topics (null: any) that no outbox row delivers: new to the transport, unlocked, or whose
 * Kafka lock ran out without an answer. Locked with SKIP LOCKED so nodes sweeping at once take different tasks.
 */
export async function lockUndeliveredTasks(db: Db, topicNames: readonly string[] | null, now: Date, limit: number): Promise<string[]> {
  const query = claimable(db, now)
    .select('et.id')
    .whereNotExists((sub) => sub.select(db.raw('1')).from('outbox as o').whereRaw('o.external_task_id = et.id'))
    .orderBy('et.create_time')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  // Any topic: only those Kafka can name, or tasks on the others (left to REST workers) would be picked every time.
  if (topicNames) query.whereIn('et.topic_name', topicNames);
  else query.whereRaw("et.topic_name ~ '^[A-Za-z0-9._-]{1,249}$'");
  return (await query).map((row: { id: string }) => row.id);
}

export async function findExternalTasks(db: Db, ids: readonly string[]): Promise<ExternalTaskRow[]> {
  if (ids.length === 0) return [];
  return db<ExternalTaskRow>('external_task').whereIn('id', ids);
}

/** The earliest moment a locked or retry-delayed task of these topics becomes claimable again, if any. */
export async function nextAvailability(db: Db, topicNames: string[], now: Date): Promise<Date | null> {
  const row = await db('external_task')
    .whereIn('topic_name', topicNames)
    .where('suspended', false)
    .where((q) => q.whereNull('retries').orWhere('retries', '>', 0))
    .where('lock_expiration_time', '>', now)
    .min<{ next: Date | null }>('lock_expiration_time as next')
    .first();
  return row?.next ? new Date(row.next) : null;
}

export async function listTopicNames(db: Db, options: { withLockedTasks?: boolean; withUnlockedTasks?: boolean; withRetriesLeft?: boolean; now: Date }): Promise<string[]> {
  const query = db('external_task').distinct('topic_name').orderBy('topic_name');
  if (options.withLockedTasks) query.where('lock_expiration_time', '>', options.now);
  if (options.withUnlockedTasks) query.where((q) => q.whereNull('lock_expiration_time').orWhere('lock_expiration_time', '<=', options.now));
  if (options.withRetriesLeft) query.where((q) => q.whereNull('retries').orWhere('retries', '>', 0));
  return (await query).map((row: { topic_name: string }) => row.topic_name);
}

function filtered(db: Db, filter: ExternalTaskFilter) {
  const query = db('external_task as et');
  if (filter.externalTaskId !== undefined) query.where('et.id', filter.externalTaskId);
  if (filter.externalTaskIdIn) query.whereIn('et.id', filter.externalTaskIdIn);
  if (filter.topicName !== undefined) query.where('et.topic_name', filter.topicName);
  if (filter.workerId !== undefined) query.where('et.worker_id', filter.workerId);
  if (filter.locked) query.where('et.lock_expiration_time', '>', filter.now);
  if (filter.notLocked) query.where((q) => q.whereNull('et.lock_expiration_time').orWhere('et.lock_expiration_time', '<=', filter.now));
  if (filter.withRetriesLeft) query.where((q) => q.whereNull('et.retries').orWhere('et.retries', '>', 0));
  if (filter.noRetriesLeft) query.where('et.retries', 0);
  if (filter.lockExpirationAfter) query.where('et.lock_expiration_time', '>', filter.lockExpirationAfter);
  if (filter.lockExpirationBefore) query.where('et.lock_expiration_time', '<', filter.lockExpirationBefore);
  if (filter.activityId !== undefined) query.where('et.activity_id', filter.activityId);
  if (filter.activityIdIn) query.whereIn('et.activity_id', filter.activityIdIn);
  if (filter.executionId !== undefined) query.where('et.process_instance_id', filter.executionId);
  if (filter.processInstanceId !== undefined) query.where('et.process_instance_id', filter.processInstanceId);
  if (filter.processInstanceIdIn) query.whereIn('et.process_instance_id', filter.processInstanceIdIn);
  if (filter.processDefinitionId !== undefined) query.where('et.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('et.process_definition_key', filter.processDefinitionKey);
  if (filter.processDefinitionKeyIn) query.whereIn('et.process_definition_key', filter.processDefinitionKeyIn);
  if (filter.processDefinitionName !== undefined) query.whereIn('et.process_definition_id', db('process_definition').select('id').where('name', filter.processDefinitionName));
  if (filter.processDefinitionNameLike !== undefined) query.whereIn('et.process_definition_id', db('process_definition').select('id').where('name', 'like', likePattern(filter.processDefinitionNameLike)));
  for (const condition of filter.processVariables ?? []) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('variable as v').whereRaw('v.process_instance_id = et.process_instance_id').whereRaw('v.scope_id = v.process_instance_id');
      whereVariableValue(sub, condition, filter.variableNamesIgnoreCase === true, filter.variableValuesIgnoreCase === true);
    });
  }
  if (filter.active) query.where('et.suspended', false);
  if (filter.suspended) query.where('et.suspended', true);
  if (filter.priorityHigherThanOrEquals !== undefined) query.where('et.priority', '>=', filter.priorityHigherThanOrEquals);
  if (filter.priorityLowerThanOrEquals !== undefined) query.where('et.priority', '<=', filter.priorityLowerThanOrEquals);
  if (filter.tenantIdIn) query.whereIn('et.tenant_id', filter.tenantIdIn);
  return query;
}

export const externalTaskQuery = pagedQuery<ExternalTaskFilter, ExternalTaskRow>({ filtered, columns: 'et.*', sortColumns: SORT_COLUMNS, tieBreaker: 'et.id' });

