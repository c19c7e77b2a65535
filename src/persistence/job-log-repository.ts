/**
 * The job log (Camunda's ACT_HI_JOB_LOG): a row when a job is created, fails, succeeds or is deleted, each copied
 * from the job row (and its job definition) inside the statement that changes it.
 */
import type { Knex } from 'knex';
import type { Db } from './database.js';
import type { SqlPart } from './external-task-log-repository.js';
import { pagedQuery } from './query-options.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';

export type JobLogState = 'created' | 'failed' | 'successful' | 'deleted';

export interface JobLogRow {
  id: string;
  sequence: string | number;
  timestamp: Date;
  job_id: string;
  job_due_date: Date | null;
  job_retries: number;
  job_priority: string | number;
  job_exception_message: string | null;
  job_exception_stacktrace: string | null;
  failed_activity_id: string | null;
  job_definition_id: string | null;
  job_definition_type: string | null;
  job_definition_configuration: string | null;
  activity_id: string | null;
  execution_id: string | null;
  process_instance_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  deployment_id: string | null;
  tenant_id: string | null;
  hostname: string | null;
  state: JobLogState;
  removal_time: Date | null;
}

export interface JobLogFilter {
  logId?: string;
  jobId?: string;
  jobExceptionMessage?: string;
  jobDefinitionId?: string;
  jobDefinitionType?: string;
  jobDefinitionConfiguration?: string;
  activityIdIn?: string[];
  failedActivityIdIn?: string[];
  executionIdIn?: string[];
  processInstanceId?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  deploymentId?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  hostname?: string;
  jobPriorityLowerThanOrEquals?: number;
  jobPriorityHigherThanOrEquals?: number;
  states?: JobLogState[];
}

const LOG_COLUMNS = `id, timestamp, job_id, job_due_date, job_retries, job_priority, job_exception_message, job_exception_stacktrace, failed_activity_id,
  job_definition_id, job_definition_type, job_definition_configuration, activity_id, execution_id, process_instance_id, process_definition_id,
  process_definition_key, deployment_id, tenant_id, hostname, state`;

/**
 * `insert into hist_job_log … select … from <source>`: the log rows of the job rows a CTE named `source` returned (all
 * columns of `job`); `where` narrows them. As Camunda, only a failure log carries the exception and the failed activity.
 * The host name stays null: Camunda's is `<ip>$<engine name>`, which no node of this engine has; the failure log
 * carries the retries the job had before it failed (`retriesBefore`).
 */
export function jobLogInsert(source: string, state: JobLogState, time: Date, where = '', retriesBefore?: number): SqlPart {
  const failed = state === 'failed';
  return {
    sql: `insert into hist_job_log (${LOG_COLUMNS}) select gen_random_uuid()::text, ?::timestamptz, t.id,
      case when t.handler_type = 'async-continuation' then null else t.due_date end, ${failed ? '?::integer' : 't.retries'}, t.priority,
      ${failed ? 't.exception_message, t.exception_stacktrace, t.activity_id' : 'null, null, null'}, t.job_definition_id, d.job_type, d.job_configuration,
      t.activity_id, t.execution_id, t.process_instance_id, t.process_definition_id, t.process_definition_key, p.deployment_id, t.tenant_id, null, ?
      from ${source} t left join job_definition d on d.id = t.job_definition_id left join process_definition p on p.id = t.process_definition_id ${where}`,
    bindings: failed ? [time, retriesBefore ?? null, state] : [time, state],
  };
}

/** Jobs that a success log already closed get no deletion log when their row goes. */
export const JOB_NOT_SUCCEEDED = "where not exists (select 1 from hist_job_log s where s.job_id = t.id and s.state = 'successful')";

/** Runs `write` (a statement on `job` returning its rows) and logs the rows it returned, in one statement. */
export async function withJobLog(db: Db, write: Knex.QueryBuilder, state: JobLogState, time: Date, where = '', retriesBefore?: number): Promise<void> {
  const statement = write.toSQL();
  const log = jobLogInsert('source', state, time, where, retriesBefore);
  await db.raw(`with source as (${statement.sql}) ${log.sql}`, [...statement.bindings, ...log.bindings]);
}

/** Logs that a job ran, before what it triggers continues (as Camunda logs it). */
export async function logJobSuccess(db: Db, id: string, time: Date): Promise<void> {
  await withJobLog(db, db('job').where({ id }).select('*'), 'successful', time);
}

export async function findJobLog(db: Db, id: string): Promise<WithRootInstance<JobLogRow> | undefined> {
  return db('hist_job_log').where({ id }).first(withRootInstanceColumns(db, 'hist_job_log'));
}

const SORT_COLUMNS: Record<string, string> = {
  timestamp: 'timestamp', jobId: 'job_id', jobDefinitionId: 'job_definition_id', jobDueDate: 'job_due_date', jobRetries: 'job_retries',
  jobPriority: 'job_priority', activityId: 'activity_id', executionId: 'execution_id', processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id', processDefinitionKey: 'process_definition_key', deploymentId: 'deployment_id', hostname: 'hostname',
  occurrence: 'sequence', tenantId: 'tenant_id',
};

function filtered(db: Db, filter: JobLogFilter) {
  const query = db<JobLogRow>('hist_job_log');
  if (filter.logId !== undefined) query.where('id', filter.logId);
  if (filter.jobId !== undefined) query.where('job_id', filter.jobId);
  if (filter.jobExceptionMessage !== undefined) query.where('job_exception_message', filter.jobExceptionMessage);
  if (filter.jobDefinitionId !== undefined) query.where('job_definition_id', filter.jobDefinitionId);
  if (filter.jobDefinitionType !== undefined) query.where('job_definition_type', filter.jobDefinitionType);
  if (filter.jobDefinitionConfiguration !== undefined) query.where('job_definition_configuration', filter.jobDefinitionConfiguration);
  if (filter.activityIdIn) query.whereIn('activity_id', filter.activityIdIn);
  if (filter.failedActivityIdIn) query.whereIn('failed_activity_id', filter.failedActivityIdIn);
  if (filter.executionIdIn) query.whereIn(db.raw('coalesce(execution_id, process_instance_id)') as unknown as string, filter.executionIdIn);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.deploymentId !== undefined) query.where('deployment_id', filter.deploymentId);
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  if (filter.hostname !== undefined) query.where('hostname', filter.hostname);
  if (filter.jobPriorityLowerThanOrEquals !== undefined) query.where('job_priority', '<=', filter.jobPriorityLowerThanOrEquals);
  if (filter.jobPriorityHigherThanOrEquals !== undefined) query.where('job_priority', '>=', filter.jobPriorityHigherThanOrEquals);
  if (filter.states) query.whereIn('state', filter.states);
  return query;
}

export const jobLogQuery = pagedQuery<JobLogFilter, WithRootInstance<JobLogRow>>({ filtered, columns: (db) => withRootInstanceColumns(db, 'hist_job_log'), sortColumns: SORT_COLUMNS, tieBreaker: 'sequence' });
