/** Historic details, as Camunda's ACT_HI_DETAIL: each variable update with its revision, and each submitted form field. */
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';

export interface HistoricDetailRow {
  id: string;
  sequence: string | number;
  type: 'variableUpdate' | 'formField';
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  activity_instance_id: string | null;
  execution_id: string | null;
  task_id: string | null;
  tenant_id: string | null;
  user_operation_id: string | null;
  time: Date;
  removal_time: Date | null;
  name: string;
  variable_instance_id: string | null;
  type_name: string | null;
  text_value: string | null;
  bytes_value: Buffer | null;
  value_info: Record<string, unknown>;
  revision: number | null;
  initial: boolean;
}

export type NewFormFieldRow = Pick<
  HistoricDetailRow,
  'id' | 'process_instance_id' | 'process_definition_id' | 'process_definition_key' | 'activity_instance_id' | 'execution_id' | 'task_id' | 'tenant_id' | 'time' | 'name' | 'text_value'
> & Partial<Pick<HistoricDetailRow, 'user_operation_id'>>;

export interface HistoricDetailFilter {
  processInstanceId?: string;
  processInstanceIdIn?: string[];
  executionId?: string;
  taskId?: string;
  activityInstanceId?: string;
  /** Cases do not exist here: a case id matches nothing. */
  caseId?: string;
  variableInstanceId?: string;
  variableTypeIn?: string[];
  variableNameLike?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  userOperationId?: string;
  formFields?: boolean;
  variableUpdates?: boolean;
  excludeTaskDetails?: boolean;
  initial?: boolean;
  occurredBefore?: Date;
  occurredAfter?: Date;
}

/** `occurrence` is Camunda's sequence counter, which counts per variable: its revision. */
const DETAIL_SORT: Record<string, string> = {
  processInstanceId: 'process_instance_id', variableName: 'name', variableType: 'type_name', variableRevision: 'revision', formPropertyId: 'name',
  time: 'time', occurrence: 'revision', tenantId: 'tenant_id',
};

/** The fields of a submitted form, in one statement. */
export async function insertFormFields(db: Db, rows: NewFormFieldRow[]): Promise<void> {
  for (const chunk of statementChunks(rows)) await db('hist_detail').insert(chunk.map((row) => ({ ...row, type: 'formField' })));
}

export async function findHistoricDetail(db: Db, id: string): Promise<WithRootInstance<HistoricDetailRow> | undefined> {
  return db('hist_detail').where({ id }).first(withRootInstanceColumns(db, 'hist_detail'));
}

function detailFiltered(db: Db, filter: HistoricDetailFilter) {
  const query = db<HistoricDetailRow>('hist_detail');
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.processInstanceIdIn) query.whereIn('process_instance_id', filter.processInstanceIdIn);
  if (filter.executionId !== undefined) query.where('execution_id', filter.executionId);
  if (filter.taskId !== undefined) query.where('task_id', filter.taskId);
  if (filter.activityInstanceId !== undefined) query.where('activity_instance_id', filter.activityInstanceId);
  if (filter.caseId !== undefined) query.whereRaw('false');
  if (filter.variableInstanceId !== undefined) query.where('variable_instance_id', filter.variableInstanceId);
  if (filter.variableTypeIn) query.whereRaw('lower(type_name) = any(?)', [filter.variableTypeIn.map((type) => type.toLowerCase())]);
  if (filter.variableNameLike !== undefined) query.where('name', 'like', likePattern(filter.variableNameLike));
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  if (filter.userOperationId !== undefined) query.where('user_operation_id', filter.userOperationId);
  if (filter.formFields) query.where('type', 'formField');
  if (filter.variableUpdates) query.where('type', 'variableUpdate');
  if (filter.excludeTaskDetails) query.whereNull('task_id');
  if (filter.initial) query.where('initial', true);
  if (filter.occurredBefore) query.where('time', '<=', filter.occurredBefore);
  if (filter.occurredAfter) query.where('time', '>=', filter.occurredAfter);
  return query;
}

export const historicDetailQuery = pagedQuery<HistoricDetailFilter, WithRootInstance<HistoricDetailRow>>({ filtered: detailFiltered, columns: (db) => withRootInstanceColumns(db, 'hist_detail'), sortColumns: DETAIL_SORT, tieBreaker: 'sequence' });

/** Deletes the details of these variables (a historic variable instance's deletion takes its details along). */
export async function deleteDetailsOfVariables(db: Db, variableInstanceIds: readonly string[]): Promise<void> {
  if (variableInstanceIds.length > 0) await db('hist_detail').whereIn('variable_instance_id', variableInstanceIds).delete();
}
