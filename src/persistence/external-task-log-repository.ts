/**
 * The external task log (Camunda's ACT_HI_EXT_TASK_LOG): a row when a task is created, fails, succeeds or is deleted,
 * each copied from the task row inside the statement that changes it, so logging costs no round trip of its own.
 */
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';

export type ExternalTaskLogState = 'created' | 'failed' | 'successful' | 'deleted';

export interface ExternalTaskLogRow {
  id: string;
  sequence: string | number;
  timestamp: Date;
  external_task_id: string;
  topic_name: string;
  worker_id: string | null;
  retries: number | null;
  priority: string | number;
  error_message: string | null;
  error_details: string | null;
  activity_id: string;
  activity_instance_id: string;
  execution_id: string | null;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  tenant_id: string | null;
  state: ExternalTaskLogState;
  removal_time: Date | null;
}

export interface ExternalTaskLogFilter {
  logId?: string;
  externalTaskId?: string;
  topicName?: string;
  workerId?: string;
  errorMessage?: string;
  activityIdIn?: string[];
  activityInstanceIdIn?: string[];
  executionIdIn?: string[];
  processInstanceId?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  priorityLowerThanOrEquals?: number;
  priorityHigherThanOrEquals?: number;
  states?: ExternalTaskLogState[];
}

const LOG_COLUMNS = `id, timestamp, external_task_id, topic_name, worker_id, retries, priority, error_message, error_details, activity_id,
  activity_instance_id, execution_id, process_instance_id, process_definition_id, process_definition_key, tenant_id, state`;

/** SQL with its bindings, to splice into a statement that writes the task rows. */
export interface SqlPart {
  sql: string;
  bindings: Knex.RawBinding[];
}

/**
 * `insert into hist_external_task_log … select … from <source>`: the log rows of the external task rows that a CTE
 * named `source` returned (all columns of `external_task`); `where` narrows them. As Camunda, only a failure log
 * carries the error, with the retries the task had before the failure (`retriesBefore`).
 */
export function externalTaskLogInsert(source: string, state: ExternalTaskLogState, time: Date, where = '', retriesBefore?: number | null): SqlPart {
  const failed = state === 'failed';
  return {
    sql: `insert into hist_external_task_log (${LOG_COLUMNS}) select gen_random_uuid()::text, ?::timestamptz, t.id, t.topic_name, t.worker_id,
      ${failed ? '?::integer' : 't.retries'}, t.priority, ${failed ? 't.error_message, t.error_details' : 'null, null'}, t.activity_id, t.activity_instance_id,
      t.execution_id, t.process_instance_id, t.process_definition_id, t.process_definition_key, t.tenant_id, ? from ${source} t ${where}`,
    bindings: failed ? [time, retriesBefore ?? null, state] : [time, state],
  };
}

/** Tasks that a success log already closed get no deletion log when their row goes. */
export const NOT_SUCCEEDED = "where not exists (select 1 from hist_external_task_log s where s.external_task_id = t.id and s.state = 'successful')";

/** Runs `write` (a statement on external_task returning its rows) and logs the rows it returned, in one statement. */
export async function withExternalTaskLog(db: Db, write: Knex.QueryBuilder, state: ExternalTaskLogState, time: Date, where = '', retriesBefore?: number | null): Promise<void> {
  const statement = write.toSQL();
  const log = externalTaskLogInsert('source', state, time, where, retriesBefore);
  await db.raw(`with source as (${statement.sql}) ${log.sql}`, [...statement.bindings, ...log.bindings]);
}

/** Logs the success of a task, before its activity continues (as Camunda logs it). */
export async function logExternalTaskSuccess(db: Db, id: string, time: Date): Promise<void> {
  await withExternalTaskLog(db, db('external_task').where({ id }).select('*'), 'successful', time);
}

export async function findExternalTaskLog(db: Db, id: string): Promise<WithRootInstance<ExternalTaskLogRow> | undefined> {
  return db('hist_external_task_log').where({ id }).first(withRootInstanceColumns(db, 'hist_external_task_log'));
}

const SORT_COLUMNS: Record<string, string> = {
  timestamp: 'timestamp', externalTaskId: 'external_task_id', topicName: 'topic_name', workerId: 'worker_id', retries: 'retries', priority: 'priority',
  activityId: 'activity_id', activityInstanceId: 'activity_instance_id', executionId: 'execution_id', processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id', processDefinitionKey: 'process_definition_key', tenantId: 'tenant_id',
};

function filtered(db: Db, filter: ExternalTaskLogFilter) {
  const query = db<ExternalTaskLogRow>('hist_external_task_log');
  if (filter.logId !== undefined) query.where('id', filter.logId);
  if (filter.externalTaskId !== undefined) query.where('external_task_id', filter.externalTaskId);
  if (filter.topicName !== undefined) query.where('topic_name', filter.topicName);
  if (filter.workerId !== undefined) query.where('worker_id', filter.workerId);
  if (filter.errorMessage !== undefined) query.where('error_message', filter.errorMessage);
  if (filter.activityIdIn) query.whereIn('activity_id', filter.activityIdIn);
  if (filter.activityInstanceIdIn) query.whereIn('activity_instance_id', filter.activityInstanceIdIn);
  if (filter.executionIdIn) query.whereIn(db.raw('coalesce(execution_id, process_instance_id)') as unknown as string, filter.executionIdIn);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  if (filter.priorityLowerThanOrEquals !== undefined) query.where('priority', '<=', filter.priorityLowerThanOrEquals);
  if (filter.priorityHigherThanOrEquals !== undefined) query.where('priority', '>=', filter.priorityHigherThanOrEquals);
  if (filter.states) query.whereIn('state', filter.states);
  return query;
}

export const externalTaskLogQuery = pagedQuery<ExternalTaskLogFilter, WithRootInstance<ExternalTaskLogRow>>({ filtered, columns: (db) => withRootInstanceColumns(db, 'hist_external_task_log'), sortColumns: SORT_COLUMNS, tieBreaker: 'sequence' });
