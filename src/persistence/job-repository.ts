/** Jobs: timers waiting for their due date; the job executor acquires due ones with a single SKIP LOCKED statement. */
import { recordWork } from '../telemetry/committed-work.js';
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { JOB_NOT_SUCCEEDED, withJobLog } from './job-log-repository.js';

export type JobHandlerType = 'timer-intermediate-transition' | 'timer-transition' | 'timer-start-event' | 'timer-start-event-subprocess' | 'async-continuation';

export interface JobRow {
  id: string;
  handler_type: JobHandlerType;
  process_instance_id: string | null;
  process_definition_id: string;
  process_definition_key: string;
  engine_execution_id: string | null;
  execution_id: string | null;
  activity_id: string;
  job_definition_id: string | null;
  /** Null for an async continuation. */
  timer_type: string | null;
  timer_expression: string | null;
  /** `camunda:failedJobRetryTimeCycle` of the job's activity, or null for Camunda's default (3 tries, at once). */
  retry_time_cycle: string | null;
  repetitions_left: number | null;
  due_date: Date | null;
  retries: number;
  exception_message: string | null;
  exception_stacktrace: string | null;
  lock_owner: string | null;
  lock_expiration_time: Date | null;
  suspended: boolean;
  priority: string | number;
  tenant_id: string | null;
  create_time: Date;
}

/** Camunda's default: a job runs three times before it raises a failedJob incident. */
export const DEFAULT_JOB_RETRIES = 3;

/** A new job: full retries, no exception, not locked, default priority. */
export function newJob(fields: Omit<JobRow, 'retries' | 'exception_message' | 'exception_stacktrace' | 'lock_owner' | 'lock_expiration_time' | 'priority'>): JobRow {
  return { ...fields, retries: DEFAULT_JOB_RETRIES, exception_message: null, exception_stacktrace: null, lock_owner: null, lock_expiration_time: null, priority: 0 };
}

/** Inserts jobs with their creation log, in one statement. */
export async function insertJobs(db: Db, rows: JobRow[], now: Date): Promise<void> {
  for (const chunk of statementChunks(rows)) await withJobLog(db, db('job').insert(chunk).returning('*'), 'created', now);
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db<JobRow>('job').where({ id }).first();
}

/** Locks the job row itself (start event jobs, which belong to no instance). */
export async function lockJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db<JobRow>('job').where({ id }).forUpdate().first();
}

/** An instance's jobs, or only those of these engine executions. */
export async function listJobsOfInstance(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<JobRow[]> {
  const query = db<JobRow>('job').where({ process_instance_id: processInstanceId });
  if (engineExecutionIds) query.whereIn('engine_execution_id', engineExecutionIds);
  return query;
}

/** Deletes jobs, logging the deletion of those that did not just succeed, in one statement. */
export async function deleteJobs(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length > 0) await withJobLog(db, db('job').whereIn('id', ids).delete().returning('*'), 'deleted', now, JOB_NOT_SUCCEEDED);
}

/** Records a failed run on the job and logs the failure (with the retries the job had before), in one statement. */
export async function failJobRow(db: Db, job: Pick<JobRow, 'id' | 'retries'>, changes: Partial<JobRow>, now: Date): Promise<void> {
  await withJobLog(db, db('job').where({ id: job.id }).update(changes).returning('*'), 'failed', now, '', job.retries);
}

/**
 * The timer start event jobs of the earlier versions of freshly deployed definitions: a new version replaces them.
 * One statement per tenant (a deployment has one).
 */
export async function deleteStartEventJobsReplacedBy(db: Db, definitions: ReadonlyArray<{ id: string; key: string; tenant_id: string | null }>): Promise<void> {
  for (const tenantId of new Set(definitions.map((definition) => definition.tenant_id))) {
    const ofTenant = definitions.filter((definition) => definition.tenant_id === tenantId);
    await db('job')
      .where({ handler_type: 'timer-start-event' })
      .whereIn('process_definition_key', ofTenant.map((definition) => definition.key))
      .where((q) => (tenantId === null ? q.whereNull('tenant_id') : q.where('tenant_id', tenantId)))
      .whereNotIn('process_definition_id', ofTenant.map((definition) => definition.id))
      .delete();
  }
}

/** Whether a definition has its timer start jobs (a deleted later version may have taken them). */
export async function hasStartEventJobs(db: Db, processDefinitionId: string): Promise<boolean> {
  return (await db('job').where({ process_definition_id: processDefinitionId, handler_type: 'timer-start-event' }).first('id')) !== undefined;
}

/** Suspends or activates every job of an instance with it (a suspended instance fires no timers). */
export async function updateJobSuspensionOfInstance(db: Db, processInstanceId: string, suspended: boolean): Promise<void> {
  await db('job').where({ process_instance_id: processInstanceId }).update({ suspended });
}

/** Suspends or activates the jobs that belong to definitions, not instances: those of timer start events. */
export async function updateStartEventJobSuspension(db: Db, definitionIds: string[], suspended: boolean): Promise<void> {
  if (definitionIds.length > 0) await db('job').whereIn('process_definition_id', definitionIds).whereNull('process_instance_id').update({ suspended });
}

export async function updateJobSuspensionOfJobDefinition(db: Db, jobDefinitionId: string, suspended: boolean): Promise<void> {
  await db('job').where({ job_definition_id: jobDefinitionId }).update({ suspended });
}

/** Which jobs a bulk change selects: Camunda's mutually exclusive selectors of PUT /job/suspended. */
export type JobSelector =
  | { jobDefinitionIds: string[] }
  | { processInstanceId: string }
  | { processDefinitionId: string }
  | { processDefinitionKey: string; tenantId?: string | null };

function selectJobs(db: Db, selector: JobSelector) {
  const query = db('job');
  if ('jobDefinitionIds' in selector) return query.whereIn('job_definition_id', selector.jobDefinitionIds);
  if ('processInstanceId' in selector) return query.where('process_instance_id', selector.processInstanceId);
  if ('processDefinitionId' in selector) return query.where('process_definition_id', selector.processDefinitionId);
  query.where('process_definition_key', selector.processDefinitionKey);
  if (selector.tenantId === null) query.whereNull('tenant_id');
  else if (selector.tenantId !== undefined) query.where('tenant_id', selector.tenantId);
  return query;
}

export async function updateJobSuspensionOf(db: Db, selector: JobSelector, suspended: boolean): Promise<void> {
  await selectJobs(db, selector).update({ suspended });
}

/** Sets the priority of every job of a job definition (PUT /job-definition/{id}/jobPriority with includeJobs). */
export async function updateJobPriorityOfJobDefinition(db: Db, jobDefinitionId: string, priority: number): Promise<void> {
  await db('job').where({ job_definition_id: jobDefinitionId }).update({ priority });
}

/** The jobs of a job definition that ran out of retries. */
export async function listFailedJobsOfJobDefinition(db: Db, jobDefinitionId: string): Promise<JobRow[]> {
  return db<JobRow>('job').where({ job_definition_id: jobDefinitionId, retries: 0 });
}

export async function updateJob(db: Db, id: string, changes: Partial<JobRow>): Promise<void> {
  await db('job').where({ id }).update(changes);
}

/**
 * Locks up to `limit` due jobs for `lockOwner` until `lockUntil`, earliest due first: jobs other nodes are locking
 * right now are skipped, and so are jobs whose lock has not expired (a node that died holding one loses it then).
 */
export async function acquireDueJobs(db: Db, request: { now: Date; lockOwner: string; lockUntil: Date; limit: number }): Promise<JobRow[]> {
  const candidates = db('job')
    .select('id')
    .where('due_date', '<=', request.now)
    .where('retries', '>', 0)
    .where('suspended', false)
    .where((q) => q.whereNull('lock_expiration_time').orWhere('lock_expiration_time', '<', request.now))
    .orderBy('due_date')
    .orderBy('id')
    .limit(request.limit)
    .forUpdate()
    .skipLocked();
  // Materialized for the reason given in claimExternalTasks: a rescanned subquery could lock more than `limit`.
  const rows = (await db('job')
    .withMaterialized('due', candidates)
    .update({ lock_owner: request.lockOwner, lock_expiration_time: request.lockUntil })
    .whereIn('id', db('due').select('id'))
    .returning('*')) as JobRow[];
  recordWork(db, { kind: 'jobAcquisition', acquired: rows.length });
  return rows.sort((a, b) => new Date(a.due_date!).getTime() - new Date(b.due_date!).getTime() || a.id.localeCompare(b.id));
}

/** Unlocks the jobs `lockOwner` acquired but did not run, so other nodes need not wait for their locks to expire. */
export async function releaseJobLocks(db: Db, lockOwner: string): Promise<void> {
  await db('job').where({ lock_owner: lockOwner }).update({ lock_owner: null, lock_expiration_time: null });
}

/** The earliest due date of a job that is not locked, so the executor knows when to look again. */
export async function nextDueDate(db: Db, now: Date): Promise<Date | null> {
  const row = await db('job')
    .where('retries', '>', 0)
    .where('suspended', false)
    .whereNotNull('due_date')
    .where((q) => q.whereNull('lock_expiration_time').orWhere('lock_expiration_time', '<', now))
    .min<{ next: Date | null }>('due_date as next')
    .first();
  return row?.next ? new Date(row.next) : null;
}

export interface JobFilter {
  id?: string;
  jobDefinitionId?: string;
  jobIds?: string[];
  processInstanceId?: string;
  processInstanceIds?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  activityId?: string;
  /** Jobs whose last run failed at this activity (Camunda's failedActivityId). */
  failedActivityId?: string;
  executionId?: string;
  timers?: boolean;
  messages?: boolean;
  executable?: boolean;
  withRetriesLeft?: boolean;
  noRetriesLeft?: boolean;
  withException?: boolean;
  exceptionMessage?: string;
  /** Jobs a job executor holds: locked by an owner. */
  acquired?: boolean;
  /** With `tenantIdIn`: jobs of no tenant too. */
  includeJobsWithoutTenantId?: boolean;
  dueDates?: Array<{ operator: 'lt' | 'gt'; value: Date }>;
  createTimes?: Array<{ operator: 'lt' | 'gt'; value: Date }>;
  active?: boolean;
  suspended?: boolean;
  priorityLowerThanOrEquals?: number;
  priorityHigherThanOrEquals?: number;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  now: Date;
}

export const jobQuery = pagedQuery<JobFilter, JobRow>({
  filtered(db, filter) {
    const q = db('job');
    if (filter.id !== undefined) q.where('id', filter.id);
    if (filter.jobIds) q.whereIn('id', filter.jobIds);
    if (filter.jobDefinitionId !== undefined) q.where('job_definition_id', filter.jobDefinitionId);
    if (filter.processInstanceId !== undefined) q.where('process_instance_id', filter.processInstanceId);
    if (filter.processInstanceIds) q.whereIn('process_instance_id', filter.processInstanceIds);
    if (filter.processDefinitionId !== undefined) q.where('process_definition_id', filter.processDefinitionId);
    if (filter.processDefinitionKey !== undefined) q.where('process_definition_key', filter.processDefinitionKey);
    if (filter.activityId !== undefined) q.where('activity_id', filter.activityId);
    if (filter.failedActivityId !== undefined) q.where('activity_id', filter.failedActivityId).whereNotNull('exception_message');
    // Executions are the instance itself until concurrent executions exist.
    if (filter.executionId !== undefined) q.where('execution_id', filter.executionId);
    // Camunda calls async continuations "messages".
    if (filter.timers) q.whereNotNull('timer_type');
    if (filter.messages) q.whereNull('timer_type');
    if (filter.executable) q.where('retries', '>', 0).where((w) => w.whereNull('due_date').orWhere('due_date', '<=', filter.now));
    if (filter.withRetriesLeft) q.where('retries', '>', 0);
    if (filter.noRetriesLeft) q.where('retries', 0);
    if (filter.withException) q.whereNotNull('exception_message');
    if (filter.exceptionMessage !== undefined) q.where('exception_message', filter.exceptionMessage);
    if (filter.acquired) q.whereNotNull('lock_owner').whereNotNull('lock_expiration_time');
    for (const { operator, value } of filter.dueDates ?? []) q.where('due_date', operator === 'lt' ? '<' : '>', value);
    for (const { operator, value } of filter.createTimes ?? []) q.where('create_time', operator === 'lt' ? '<' : '>', value);
    if (filter.active) q.where('suspended', false);
    if (filter.suspended) q.where('suspended', true);
    if (filter.priorityLowerThanOrEquals !== undefined) q.where('priority', '<=', filter.priorityLowerThanOrEquals);
    if (filter.priorityHigherThanOrEquals !== undefined) q.where('priority', '>=', filter.priorityHigherThanOrEquals);
    if (filter.tenantIdIn) {
      const tenants = filter.tenantIdIn;
      if (filter.includeJobsWithoutTenantId) q.where((either) => either.whereIn('tenant_id', tenants).orWhereNull('tenant_id'));
      else q.whereIn('tenant_id', tenants);
    }
    if (filter.withoutTenantId) q.whereNull('tenant_id');
    return q;
  },
  columns: '*',
  sortColumns: {
    jobId: 'id',
    executionId: 'execution_id',
    processInstanceId: 'process_instance_id',
    processDefinitionId: 'process_definition_id',
    processDefinitionKey: 'process_definition_key',
    jobPriority: 'priority',
    jobRetries: 'retries',
    jobDueDate: 'due_date',
    jobDefinitionId: 'job_definition_id',
    tenantId: 'tenant_id',
  },
  tieBreaker: 'id',
});
