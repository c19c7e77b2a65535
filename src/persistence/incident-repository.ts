/** Incidents: a failed external task (or, later, job) that needs a person, resolved when retries are set again. */
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';

export interface IncidentRow {
  id: string;
  incident_type: string;
  incident_message: string | null;
  incident_timestamp: Date;
  process_instance_id: string;
  execution_id: string | null;
  process_definition_id: string;
  activity_id: string;
  activity_instance_id: string;
  /** The failed external task's or job's id (Camunda's `configuration`). */
  configuration: string | null;
  /** The failed job's definition (failedJob incidents only). */
  job_definition_id: string | null;
  tenant_id: string | null;
  annotation: string | null;
}

export interface IncidentFilter {
  incidentId?: string;
  incidentType?: string;
  incidentMessage?: string;
  processDefinitionId?: string;
  processInstanceId?: string;
  executionId?: string;
  activityId?: string;
  configuration?: string;
  tenantIdIn?: string[];
}

const SORT_COLUMNS: Record<string, string> = {
  incidentId: 'id', incidentMessage: 'incident_message', incidentTimestamp: 'incident_timestamp', incidentType: 'incident_type',
  executionId: 'execution_id', activityId: 'activity_id', processInstanceId: 'process_instance_id',
  processDefinitionId: 'process_definition_id', causeIncidentId: 'id', rootCauseIncidentId: 'id', configuration: 'configuration', tenantId: 'tenant_id',
};

export async function insertIncident(db: Db, row: IncidentRow): Promise<void> {
  await db('incident').insert(row);
}

export async function findIncident(db: Db, id: string): Promise<IncidentRow | undefined> {
  return db<IncidentRow>('incident').where({ id }).first();
}

export async function deleteIncident(db: Db, id: string): Promise<void> {
  await db('incident').where({ id }).delete();
}

/** Sets or clears an incident's annotation, on the incident and its history alike; false when there is no such incident. */
export async function updateIncidentAnnotation(db: Db, id: string, annotation: string | null): Promise<boolean> {
  const updated = await db('incident').where({ id }).update({ annotation });
  await db('hist_incident').where({ id }).update({ annotation });
  return updated > 0;
}

export async function deleteIncidentsOfConfiguration(db: Db, configuration: string): Promise<IncidentRow[]> {
  return db<IncidentRow>('incident').where({ configuration }).delete().returning('*');
}

/** Whether an incident is open for this external task or job (Camunda raises at most one per job). */
export async function hasIncidentOfConfiguration(db: Db, configuration: string): Promise<boolean> {
  return (await db('incident').where({ configuration }).first('id')) !== undefined;
}

export async function listIncidentsOfInstance(db: Db, processInstanceId: string): Promise<IncidentRow[]> {
  return db<IncidentRow>('incident').where({ process_instance_id: processInstanceId }).orderBy('incident_timestamp');
}

function filtered(db: Db, filter: IncidentFilter) {
  const query = db('incident');
  if (filter.incidentId !== undefined) query.where('id', filter.incidentId);
  if (filter.incidentType !== undefined) query.where('incident_type', filter.incidentType);
  if (filter.incidentMessage !== undefined) query.where('incident_message', filter.incidentMessage);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.executionId !== undefined) query.where('execution_id', filter.executionId);
  if (filter.activityId !== undefined) query.where('activity_id', filter.activityId);
  if (filter.configuration !== undefined) query.where('configuration', filter.configuration);
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  return query;
}

export const incidentQuery = pagedQuery<IncidentFilter, IncidentRow>({ filtered, columns: '*', sortColumns: SORT_COLUMNS, tieBreaker: 'id' });
