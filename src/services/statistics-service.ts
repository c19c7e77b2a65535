/** Process definition statistics (running instances, incidents) per activity and per definition, as Cockpit shows them. */
import { countIncidents, countOpenActivityInstances, countRunningInstancesByDefinition, type IncidentCountRow } from '../persistence/statistics-repository.js';
import { findProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import type { ServiceContext } from './service-context.js';

export interface IncidentStatistics {
  incidentType: string;
  incidentCount: number;
}

export interface StatisticsOptions {
  /** Include incidents: all types, or only `incidentsForType`. */
  incidents: boolean;
  incidentsForType?: string;
}

export interface ActivityStatistics {
  id: string;
  instances: number;
  /** No job executor yet: always 0, as Camunda reports excluded failed jobs. */
  failedJobs: number;
  incidents: IncidentStatistics[];
}

export interface DefinitionStatistics extends ActivityStatistics {
  definition: ProcessDefinitionRow;
}

function groupIncidents(rows: IncidentCountRow[]): Map<string, IncidentStatistics[]> {
  const byKey = new Map<string, IncidentStatistics[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ incidentType: row.incident_type, incidentCount: Number(row.count) });
    byKey.set(row.key, list);
  }
  return byKey;
}

async function incidentsBy(ctx: ServiceContext, options: StatisticsOptions, scope: { processDefinitionId?: string; byDefinition: boolean }) {
  if (!options.incidents && options.incidentsForType === undefined) return new Map<string, IncidentStatistics[]>();
  return groupIncidents(await countIncidents(ctx.database.knex, { ...scope, incidentType: options.incidentsForType }));
}

/** Per activity of one definition: activities with running instances or incidents. */
export async function activityStatistics(ctx: ServiceContext, reference: DefinitionReference, options: StatisticsOptions): Promise<ActivityStatistics[]> {
  const definition = await getProcessDefinition(ctx, reference);
  const instances = await countOpenActivityInstances(ctx.database.knex, definition.id);
  const incidents = await incidentsBy(ctx, options, { processDefinitionId: definition.id, byDefinition: false });
  const ids = new Set([...instances.map((row) => row.key), ...incidents.keys()]);
  const counts = new Map(instances.map((row) => [row.key, Number(row.count)]));
  return [...ids].sort().map((id) => ({ id, instances: counts.get(id) ?? 0, failedJobs: 0, incidents: incidents.get(id) ?? [] }));
}

/** Per definition: definitions with running instances or incidents. */
export async function definitionStatistics(ctx: ServiceContext, options: StatisticsOptions): Promise<DefinitionStatistics[]> {
  const db = ctx.database.knex;
  const instances = await countRunningInstancesByDefinition(db);
  const incidents = await incidentsBy(ctx, options, { byDefinition: true });
  const counts = new Map(instances.map((row) => [row.key, Number(row.count)]));
  const ids = [...new Set([...counts.keys(), ...incidents.keys()])].sort();
  const result: DefinitionStatistics[] = [];
  for (const id of ids) {
    const definition = await findProcessDefinition(db, id);
    if (definition) result.push({ id, instances: counts.get(id) ?? 0, failedJobs: 0, incidents: incidents.get(id) ?? [], definition });
  }
  return result;
}
