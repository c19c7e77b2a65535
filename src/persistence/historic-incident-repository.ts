/** History of incidents: open while the incident exists, then resolved (the cause was fixed) or deleted (scope ended). */
import type { Db } from './database.js';
import { activityInstanceCompleted } from './history-sql.js';
import type { IncidentRow } from './incident-repository.js';
import { likePattern, pagedQuery } from './query-options.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';

export type HistoricIncidentState = 'open' | 'resolved' | 'deleted';

export interface HistoricIncidentRow {
  id: string;
  incident_type: string;
  incident_message: string | null;
  create_time: Date;
  end_time: Date | null;
  process_instance_id: string;
  execution_id: string | null;
  process_definition_id: string;
  process_definition_key: string;
  activity_id: string;
  activity_instance_id: string;
  configuration: string | null;
  job_definition_id: string | null;
  tenant_id: string | null;
  annotation: string | null;
  state: HistoricIncidentState;
  removal_time: Date | null;
}

export interface HistoricIncidentFilter {
  incidentId?: string;
  incidentType?: string;
  incidentMessage?: string;
  incidentMessageLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processInstanceId?: string;
  executionId?: string;
  createTimeBefore?: Date;
  createTimeAfter?: Date;
  endTimeBefore?: Date;
  endTimeAfter?: Date;
  activityId?: string;
  failedActivityId?: string;
  causeIncidentId?: string;
  rootCauseIncidentId?: string;
  configuration?: string;
  open?: boolean;
  resolved?: boolean;
  deleted?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  incidentId: 'id', incidentMessage: 'incident_message', createTime: 'create_time', endTime: 'end_time', incidentType: 'incident_type',
  executionId: 'process_instance_id', activityId: 'activity_id', processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id', processDefinitionKey: 'process_definition_key', causeIncidentId: 'id',
  rootCauseIncidentId: 'id', configuration: 'configuration', historyConfiguration: 'configuration', tenantId: 'tenant_id', incidentState: 'state',
};

export async function insertHistoricIncident(db: Db, incident: IncidentRow, processDefinitionKey: string): Promise<void> {
  await db('hist_incident').insert({
    id: incident.id,
    incident_type: incident.incident_type,
    incident_message: incident.incident_message,
    create_time: incident.incident_timestamp,
    end_time: null,
    process_instance_id: incident.process_instance_id,
    execution_id: incident.execution_id,
    process_definition_id: incident.process_definition_id,
    process_definition_key: processDefinitionKey,
    activity_id: incident.activity_id,
    activity_instance_id: incident.activity_instance_id,
    configuration: incident.configuration,
    job_definition_id: incident.job_definition_id,
    tenant_id: incident.tenant_id,
    annotation: incident.annotation,
    state: 'open',
  });
}

/**
 * Ends the history of incidents whose runtime rows are gone. Without an explicit state, as Camunda: 'resolved' when
 * their activity completed (the failed work finished after all), 'deleted' when it was cancelled or never ended.
 */
export async function endHistoricIncidents(db: Db, incidentIds: string[], endTime: Date, state?: Exclude<HistoricIncidentState, 'open'>): Promise<void> {
  if (incidentIds.length === 0) return;
  const completed = activityInstanceCompleted(db, 'hist_incident.activity_instance_id');
  await db('hist_incident')
    .whereIn('id', incidentIds)
    .where('state', 'open')
    .update({ end_time: endTime, state: state ?? db.raw("case when ? then 'resolved' else 'deleted' end", [completed]) });
}

function filtered(db: Db, filter: HistoricIncidentFilter) {
  const query = db('hist_incident');
  if (filter.incidentId !== undefined) query.where('id', filter.incidentId);
  if (filter.incidentType !== undefined) query.where('incident_type', filter.incidentType);
  if (filter.incidentMessage !== undefined) query.where('incident_message', filter.incidentMessage);
  if (filter.incidentMessageLike !== undefined) query.where('incident_message', 'like', likePattern(filter.incidentMessageLike));
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.processDefinitionKeyIn) query.whereIn('process_definition_key', filter.processDefinitionKeyIn);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.executionId !== undefined) query.where('process_instance_id', filter.executionId);
  if (filter.createTimeBefore) query.where('create_time', '<=', filter.createTimeBefore);
  if (filter.createTimeAfter) query.where('create_time', '>=', filter.createTimeAfter);
  if (filter.endTimeBefore) query.where('end_time', '<=', filter.endTimeBefore);
  if (filter.endTimeAfter) query.where('end_time', '>=', filter.endTimeAfter);
  if (filter.activityId !== undefined) query.where('activity_id', filter.activityId);
  // Only failed jobs name a failed activity (see the DTO); external task incidents never match.
  if (filter.failedActivityId !== undefined) query.where({ activity_id: filter.failedActivityId, incident_type: 'failedJob' });
  // Every incident here is its own cause: external task failures have no incident chains.
  if (filter.causeIncidentId !== undefined) query.where('id', filter.causeIncidentId);
  if (filter.rootCauseIncidentId !== undefined) query.where('id', filter.rootCauseIncidentId);
  if (filter.configuration !== undefined) query.where('configuration', filter.configuration);
  if (filter.open) query.where('state', 'open');
  if (filter.resolved) query.where('state', 'resolved');
  if (filter.deleted) query.where('state', 'deleted');
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  return query;
}

export const historicIncidentQuery = pagedQuery<HistoricIncidentFilter, WithRootInstance<HistoricIncidentRow>>({ filtered, columns: (db) => withRootInstanceColumns(db, 'hist_incident'), sortColumns: SORT_COLUMNS, tieBreaker: 'id' });
