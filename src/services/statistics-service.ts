/** Process definition statistics (running instances, failed jobs, incidents) per activity and per definition, as Cockpit shows them. */
import { countFailedJobs, countIncidents, countOpenActivityInstances, countRunningInstancesByDefinition, type IncidentCountRow } from '../persistence/statistics-repository.js';
import { listAllProcessDefinitions, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { InvalidRequestError } from '../core/errors.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import type { ServiceContext } from './service-context.js';

export interface IncidentStatistics {
  incidentType: string;
  incidentCount: number;
}

/** The query parameters as given: Camunda refuses two ways of asking for incidents even when one of them is `false`. */
export interface StatisticsOptions {
  /** Count failed jobs (jobs out of retries); 0 unless asked for, as Camunda. */
  failedJobs: boolean;
  /** Include incidents: all types, only `incidentsForType`, or (definitions only) only root incidents. */
  incidents?: boolean;
  incidentsForType?: string;
  rootIncidents?: boolean;
}

// The pairs in the order Camunda checks them, with the names its refusal gives them.
const EXCLUSIVE_PAIRS = [
  ['incidents', 'incidentsForType', 'includeIncidents or includeIncidentsForType'],
  ['incidents', 'rootIncidents', 'includeIncidents or includeRootIncidents'],
  ['rootIncidents', 'incidentsForType', 'includeRootIncidents or includeIncidentsForType'],
] as const;

function refuseTwoWays(options: StatisticsOptions): void {
  const pair = EXCLUSIVE_PAIRS.find(([one, other]) => options[one] !== undefined && options[other] !== undefined);
  if (pair) throw new InvalidRequestError(400, `Only one of the query parameter ${pair[2]} can be set.`);
}

export interface ActivityStatistics {
  id: string;
  instances: number;
  failedJobs: number;
  incidents: IncidentStatistics[];
}

export interface DefinitionStatistics extends ActivityStatistics {
  definition: Omit<ProcessDefinitionRow, 'serialized_context'>;
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
  // Every incident here is its own root cause (none is propagated to a calling instance), so root incidents are all of them.
  if (options.incidents !== true && options.incidentsForType === undefined && options.rootIncidents !== true) return new Map<string, IncidentStatistics[]>();
  return groupIncidents(await countIncidents(ctx.database.knex, { ...scope, incidentType: options.incidentsForType }));
}

async function failedJobsBy(ctx: ServiceContext, options: StatisticsOptions, scope: { processDefinitionId?: string; byDefinition: boolean }): Promise<Map<string, number>> {
  if (!options.failedJobs) return new Map();
  return new Map((await countFailedJobs(ctx.database.knex, scope)).map((row) => [row.key, Number(row.count)]));
}

/** Per activity of one definition: activities with running instances, failed jobs or incidents. */
export async function activityStatistics(ctx: ServiceContext, reference: DefinitionReference, options: StatisticsOptions): Promise<ActivityStatistics[]> {
  // By id Camunda queries without looking the definition up, so an unknown id has no activities; by key it must exist.
  const definitionId = 'id' in reference ? reference.id : (await getProcessDefinition(ctx, reference)).id;
  refuseTwoWays(options);
  const instances = await countOpenActivityInstances(ctx.database.knex, definitionId);
  const incidents = await incidentsBy(ctx, options, { processDefinitionId: definitionId, byDefinition: false });
  const failedJobs = await failedJobsBy(ctx, options, { processDefinitionId: definitionId, byDefinition: false });
  const ids = new Set([...instances.map((row) => row.key), ...failedJobs.keys(), ...incidents.keys()]);
  const counts = new Map(instances.map((row) => [row.key, Number(row.count)]));
  return [...ids].sort().map((id) => ({ id, instances: counts.get(id) ?? 0, failedJobs: failedJobs.get(id) ?? 0, incidents: incidents.get(id) ?? [] }));
}

/** Per definition: every deployed definition, with its running instances, failed jobs and incidents (0 and none included), as Camunda's outer join. */
export async function definitionStatistics(ctx: ServiceContext, options: StatisticsOptions): Promise<DefinitionStatistics[]> {
  refuseTwoWays(options);
  const db = ctx.database.knex;
  const instances = await countRunningInstancesByDefinition(db);
  const incidents = await incidentsBy(ctx, options, { byDefinition: true });
  const failedJobs = await failedJobsBy(ctx, options, { byDefinition: true });
  const counts = new Map(instances.map((row) => [row.key, Number(row.count)]));
  const definitions = await listAllProcessDefinitions(db);
  return definitions.map((definition) => ({
    id: definition.id,
    instances: counts.get(definition.id) ?? 0,
    failedJobs: failedJobs.get(definition.id) ?? 0,
    incidents: incidents.get(definition.id) ?? [],
    definition,
  }));
}
