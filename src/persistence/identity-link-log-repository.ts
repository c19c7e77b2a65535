/** Camunda's identity link log (ACT_HI_IDENTITYLINK): each candidate, assignee, owner or custom link added to or deleted from a task. */
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';

export interface IdentityLinkLogRow {
  id: string;
  time: Date;
  type: string | null;
  user_id: string | null;
  group_id: string | null;
  task_id: string | null;
  process_instance_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  operation_type: 'add' | 'delete';
  assigner_id: string | null;
  tenant_id: string | null;
  root_process_instance_id: string | null;
  removal_time: Date | null;
}

export interface IdentityLinkLogFilter {
  type?: string;
  userId?: string;
  groupId?: string;
  dateBefore?: Date;
  dateAfter?: Date;
  taskId?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  operationType?: string;
  assignerId?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  time: 'l.time', type: 'l.type', userId: 'l.user_id', groupId: 'l.group_id', taskId: 'l.task_id',
  processDefinitionId: 'l.process_definition_id', processDefinitionKey: 'l.process_definition_key',
  operationType: 'l.operation_type', assignerId: 'l.assigner_id', tenantId: 'l.tenant_id',
};

/** One statement for all the links a command changed (a multi-instance creates many tasks with candidates at once). */
export async function insertIdentityLinkLogs(db: Db, rows: IdentityLinkLogRow[]): Promise<void> {
  for (const chunk of statementChunks(rows)) await db('hist_identity_link_log').insert(chunk);
}

function filtered(db: Db, filter: IdentityLinkLogFilter) {
  const query = db('hist_identity_link_log as l');
  if (filter.type !== undefined) query.where('l.type', filter.type);
  if (filter.userId !== undefined) query.where('l.user_id', filter.userId);
  if (filter.groupId !== undefined) query.where('l.group_id', filter.groupId);
  if (filter.dateBefore) query.where('l.time', '<=', filter.dateBefore);
  if (filter.dateAfter) query.where('l.time', '>=', filter.dateAfter);
  if (filter.taskId !== undefined) query.where('l.task_id', filter.taskId);
  if (filter.processDefinitionId !== undefined) query.where('l.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('l.process_definition_key', filter.processDefinitionKey);
  if (filter.operationType !== undefined) query.where('l.operation_type', filter.operationType);
  if (filter.assignerId !== undefined) query.where('l.assigner_id', filter.assignerId);
  if (filter.tenantIdIn) query.whereIn('l.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('l.tenant_id');
  return query;
}

export const identityLinkLogQuery = pagedQuery<IdentityLinkLogFilter, IdentityLinkLogRow>({ filtered, columns: 'l.*', sortColumns: SORT_COLUMNS, tieBreaker: 'l.id' });
