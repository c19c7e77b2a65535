/** History of decision evaluations: one row per decision evaluated, with its inputs and the matched rules' outputs. */
import { recordWork } from '../telemetry/committed-work.js';
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';

/** A typed value as stored in the jsonb columns (decision values are never binary). */
export interface StoredDecisionValue {
  type: string;
  text: string | null;
  valueInfo: Record<string, unknown>;
}

export interface HistoricDecisionInputRow {
  id: string;
  clauseId: string | null;
  clauseName: string | null;
  value: StoredDecisionValue;
}

export interface HistoricDecisionOutputRow extends HistoricDecisionInputRow {
  ruleId: string | null;
  ruleOrder: number | null;
  variableName: string;
}

export interface HistoricDecisionInstanceRow {
  id: string;
  decision_definition_id: string;
  decision_definition_key: string;
  decision_definition_name: string | null;
  decision_requirements_definition_id: string | null;
  decision_requirements_definition_key: string | null;
  evaluation_time: Date;
  process_definition_id: string | null;
  process_definition_key: string | null;
  process_instance_id: string | null;
  activity_id: string | null;
  activity_instance_id: string | null;
  root_decision_instance_id: string | null;
  tenant_id: string | null;
  collect_result_value: number | null;
  inputs: HistoricDecisionInputRow[];
  outputs: HistoricDecisionOutputRow[];
  /** Set at evaluation for a decision evaluated over REST; for a business rule task's, when the root process instance ends. */
  removal_time: Date | null;
}

export interface HistoricDecisionInstanceFilter {
  decisionInstanceId?: string;
  decisionInstanceIdIn?: string[];
  decisionDefinitionId?: string;
  decisionDefinitionIdIn?: string[];
  decisionDefinitionKey?: string;
  decisionDefinitionKeyIn?: string[];
  decisionDefinitionName?: string;
  decisionDefinitionNameLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processInstanceId?: string;
  activityIdIn?: string[];
  activityInstanceIdIn?: string[];
  evaluatedBefore?: Date;
  evaluatedAfter?: Date;
  rootDecisionInstanceId?: string;
  rootDecisionInstancesOnly?: boolean;
  decisionRequirementsDefinitionId?: string;
  decisionRequirementsDefinitionKey?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

const SORT_COLUMNS: Record<string, string> = { evaluationTime: 'evaluation_time', tenantId: 'tenant_id' };

export async function insertHistoricDecisionInstances(db: Db, rows: HistoricDecisionInstanceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('hist_decision_instance').insert(rows.map((row) => ({ ...row, inputs: JSON.stringify(row.inputs), outputs: JSON.stringify(row.outputs) })));
  recordWork(db, { kind: 'decisionInstances', count: rows.length });
}

/** Removes the evaluations of these decision definitions, whoever evaluated them (REST or a business rule task). */
export async function deleteHistoricDecisionInstancesOfDefinitions(db: Db, decisionDefinitionIds: string[]): Promise<void> {
  if (decisionDefinitionIds.length > 0) await db('hist_decision_instance').whereIn('decision_definition_id', decisionDefinitionIds).delete();
}

function filtered(db: Db, filter: HistoricDecisionInstanceFilter) {
  const query = db('hist_decision_instance');
  if (filter.decisionInstanceId !== undefined) query.where('id', filter.decisionInstanceId);
  if (filter.decisionInstanceIdIn) query.whereIn('id', filter.decisionInstanceIdIn);
  if (filter.decisionDefinitionId !== undefined) query.where('decision_definition_id', filter.decisionDefinitionId);
  if (filter.decisionDefinitionIdIn) query.whereIn('decision_definition_id', filter.decisionDefinitionIdIn);
  if (filter.decisionDefinitionKey !== undefined) query.where('decision_definition_key', filter.decisionDefinitionKey);
  if (filter.decisionDefinitionKeyIn) query.whereIn('decision_definition_key', filter.decisionDefinitionKeyIn);
  if (filter.decisionDefinitionName !== undefined) query.where('decision_definition_name', filter.decisionDefinitionName);
  if (filter.decisionDefinitionNameLike !== undefined) query.where('decision_definition_name', 'like', likePattern(filter.decisionDefinitionNameLike));
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.activityIdIn) query.whereIn('activity_id', filter.activityIdIn);
  if (filter.activityInstanceIdIn) query.whereIn('activity_instance_id', filter.activityInstanceIdIn);
  if (filter.evaluatedBefore) query.where('evaluation_time', '<=', filter.evaluatedBefore);
  if (filter.evaluatedAfter) query.where('evaluation_time', '>=', filter.evaluatedAfter);
  if (filter.rootDecisionInstanceId !== undefined) {
    const root = filter.rootDecisionInstanceId;
    query.where((q) => q.where('id', root).orWhere('root_decision_instance_id', root));
  }
  if (filter.rootDecisionInstancesOnly) query.whereNull('root_decision_instance_id');
  if (filter.decisionRequirementsDefinitionId !== undefined) query.where('decision_requirements_definition_id', filter.decisionRequirementsDefinitionId);
  if (filter.decisionRequirementsDefinitionKey !== undefined) query.where('decision_requirements_definition_key', filter.decisionRequirementsDefinitionKey);
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  return query;
}

export const historicDecisionInstanceQuery = pagedQuery<HistoricDecisionInstanceFilter, WithRootInstance<HistoricDecisionInstanceRow>>({ filtered, columns: (db) => withRootInstanceColumns(db, 'hist_decision_instance'), sortColumns: SORT_COLUMNS, tieBreaker: 'id' });

/** How often each decision of a decision requirements definition was evaluated; within one root evaluation's tree when given. */
export async function decisionEvaluationStatistics(db: Db, decisionRequirementsDefinitionId: string, rootDecisionInstanceId?: string): Promise<Array<{ decision_definition_key: string; evaluations: string | number }>> {
  const query = db('hist_decision_instance')
    .where('decision_requirements_definition_id', decisionRequirementsDefinitionId)
    .select('decision_definition_key')
    .count({ evaluations: '*' })
    .groupBy('decision_definition_key')
    .orderBy('decision_definition_key');
  if (rootDecisionInstanceId !== undefined) query.where((q) => q.where('id', rootDecisionInstanceId).orWhere('root_decision_instance_id', rootDecisionInstanceId));
  return query as unknown as Promise<Array<{ decision_definition_key: string; evaluations: string | number }>>;
}
