/** Aggregates for Cockpit-style statistics: running activity instances and incidents per activity and per definition. */
import type { Db } from './database.js';

export interface CountRow {
  key: string;
  count: string | number;
}

export interface IncidentCountRow {
  key: string;
  incident_type: string;
  count: string | number;
}

/** Running (unfinished) activity instances of a definition, per activity id. */
export async function countOpenActivityInstances(db: Db, processDefinitionId: string): Promise<CountRow[]> {
  return db('hist_activity_instance')
    .select('activity_id as key')
    .count({ count: '*' })
    .where({ process_definition_id: processDefinitionId })
    .whereNull('end_time')
    .groupBy('activity_id') as unknown as Promise<CountRow[]>;
}

/** Open incidents of a definition per activity (or, with `byDefinition`, per definition) and type. */
export async function countIncidents(db: Db, options: { processDefinitionId?: string; incidentType?: string; byDefinition: boolean }): Promise<IncidentCountRow[]> {
  const key = options.byDefinition ? 'process_definition_id' : 'activity_id';
  const query = db('incident').select(`${key} as key`, 'incident_type').count({ count: '*' }).groupBy(key, 'incident_type');
  if (options.processDefinitionId !== undefined) query.where({ process_definition_id: options.processDefinitionId });
  if (options.incidentType !== undefined) query.where({ incident_type: options.incidentType });
  return query as unknown as Promise<IncidentCountRow[]>;
}

/** Jobs out of retries (failed jobs) of a definition per activity (or, with `byDefinition`, per definition). */
export async function countFailedJobs(db: Db, options: { processDefinitionId?: string; byDefinition: boolean }): Promise<CountRow[]> {
  const key = options.byDefinition ? 'process_definition_id' : 'activity_id';
  const query = db('job').select(`${key} as key`).count({ count: '*' }).where('retries', 0).groupBy(key);
  if (options.processDefinitionId !== undefined) query.where({ process_definition_id: options.processDefinitionId });
  return query as unknown as Promise<CountRow[]>;
}

/** Running process instances per definition. */
export async function countRunningInstancesByDefinition(db: Db): Promise<CountRow[]> {
  return db('process_instance').select('process_definition_id as key').count({ count: '*' }).groupBy('process_definition_id') as unknown as Promise<CountRow[]>;
}
