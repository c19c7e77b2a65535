/** The user operation log (Camunda's ACT_HI_OP_LOG): appending entries, querying them, and annotating an operation. */
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';

export interface UserOperationLogRow {
  id: string;
  operation_id: string;
  operation_type: string;
  entity_type: string;
  category: string;
  user_id: string | null;
  timestamp: Date;
  property: string | null;
  org_value: string | null;
  new_value: string | null;
  deployment_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  process_instance_id: string | null;
  execution_id: string | null;
  task_id: string | null;
  job_id: string | null;
  job_definition_id: string | null;
  external_task_id: string | null;
  batch_id: string | null;
  root_process_instance_id: string | null;
  tenant_id: string | null;
  annotation: string | null;
  removal_time: Date | null;
}

export type NewUserOperationLogRow = Omit<UserOperationLogRow, 'removal_time' | 'annotation'>;

export interface UserOperationLogFilter {
  deploymentId?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processInstanceId?: string;
  executionId?: string;
  taskId?: string;
  externalTaskId?: string;
  batchId?: string;
  jobId?: string;
  jobDefinitionId?: string;
  userId?: string;
  operationId?: string;
  operationType?: string;
  entityType?: string;
  entityTypeIn?: string[];
  category?: string;
  categoryIn?: string[];
  property?: string;
  afterTimestamp?: Date;
  beforeTimestamp?: Date;
  /** Case (CMMN) ids: this engine has no cases, so a filter on one matches nothing. */
  caseId?: string;
}

/**
 * Appends entries in the command's transaction. An entry of an instance whose call tree already ended (its history
 * is stamped) takes the root's removal time; entries written before the end are stamped with the rest of its history.
 */
export async function insertUserOperationLogEntries(db: Db, rows: NewUserOperationLogRow[]): Promise<void> {
  for (const row of rows) {
    const removalTime = row.root_process_instance_id === null
      ? null
      : db('hist_process_instance').select('removal_time').where('id', row.root_process_instance_id);
    await db('hist_user_operation_log').insert({ ...row, annotation: null, removal_time: removalTime });
  }
}

/** Sets (or with null clears) the annotation of every entry of an operation; false when there is no such operation. */
export async function annotateUserOperation(db: Db, operationId: string, annotation: string | null): Promise<boolean> {
  return (await db('hist_user_operation_log').where({ operation_id: operationId }).update({ annotation })) > 0;
}

const SORT = { timestamp: 'timestamp' };

function filtered(db: Db, filter: UserOperationLogFilter) {
  const query = db<UserOperationLogRow>('hist_user_operation_log');
  const equal: Array<[keyof UserOperationLogFilter, string]> = [
    ['deploymentId', 'deployment_id'], ['processDefinitionId', 'process_definition_id'], ['processDefinitionKey', 'process_definition_key'],
    ['processInstanceId', 'process_instance_id'], ['executionId', 'execution_id'], ['taskId', 'task_id'], ['externalTaskId', 'external_task_id'],
    ['batchId', 'batch_id'], ['jobId', 'job_id'], ['jobDefinitionId', 'job_definition_id'], ['userId', 'user_id'], ['operationId', 'operation_id'],
    ['operationType', 'operation_type'], ['entityType', 'entity_type'], ['category', 'category'], ['property', 'property'],
  ];
  for (const [key, column] of equal) if (filter[key] !== undefined) query.where(column, filter[key] as string);
  if (filter.entityTypeIn) query.whereIn('entity_type', filter.entityTypeIn);
  if (filter.categoryIn) query.whereIn('category', filter.categoryIn);
  if (filter.afterTimestamp) query.where('timestamp', '>', filter.afterTimestamp);
  if (filter.beforeTimestamp) query.where('timestamp', '<', filter.beforeTimestamp);
  if (filter.caseId !== undefined) query.whereRaw('false');
  return query;
}

export const userOperationLogQuery = pagedQuery<UserOperationLogFilter, UserOperationLogRow>({ filtered, columns: '*', sortColumns: SORT, tieBreaker: 'id' });
