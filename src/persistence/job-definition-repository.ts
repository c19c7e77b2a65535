/** Job definitions: one per timer event and async continuation of a process definition, created at deployment. */
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';

export interface JobDefinitionRow {
  id: string;
  process_definition_id: string;
  process_definition_key: string;
  activity_id: string;
  job_type: string;
  job_configuration: string;
  overriding_job_priority: string | number | null;
  suspended: boolean;
  tenant_id: string | null;
  deployment_id: string;
}

export async function insertJobDefinitions(db: Db, rows: JobDefinitionRow[]): Promise<void> {
  for (const chunk of statementChunks(rows)) await db('job_definition').insert(chunk);
}

export async function findJobDefinition(db: Db, id: string): Promise<JobDefinitionRow | undefined> {
  return db<JobDefinitionRow>('job_definition').where({ id }).first();
}

export async function updateJobDefinitionSuspensionOfDefinitions(db: Db, definitionIds: string[], suspended: boolean): Promise<void> {
  if (definitionIds.length > 0) await db('job_definition').whereIn('process_definition_id', definitionIds).update({ suspended });
}

export async function updateJobDefinitionSuspension(db: Db, id: string, suspended: boolean): Promise<number> {
  return db('job_definition').where({ id }).update({ suspended });
}

/** What of these job definitions a new job inherits: a job of a suspended one is created suspended, and an overriding priority is its priority. */
export async function jobDefinitionSettings(db: Db, ids: string[]): Promise<Map<string, Pick<JobDefinitionRow, 'suspended' | 'overriding_job_priority'>>> {
  if (ids.length === 0) return new Map();
  const rows: Array<Pick<JobDefinitionRow, 'id' | 'suspended' | 'overriding_job_priority'>> = await db('job_definition').whereIn('id', ids).select('id', 'suspended', 'overriding_job_priority');
  return new Map(rows.map(({ id, ...settings }) => [id, settings]));
}

/** The job definitions of process definitions, by id or by key (of one tenant, of none with `tenantId: null`, or of any). */
export async function listJobDefinitionIdsOf(db: Db, selector: { processDefinitionId: string } | { processDefinitionKey: string; tenantId?: string | null }): Promise<string[]> {
  const query = db('job_definition').select('id').orderBy('id');
  if ('processDefinitionId' in selector) query.where('process_definition_id', selector.processDefinitionId);
  else {
    query.where('process_definition_key', selector.processDefinitionKey);
    if (selector.tenantId === null) query.whereNull('tenant_id');
    else if (selector.tenantId !== undefined) query.where('tenant_id', selector.tenantId);
  }
  return (await query).map((row: { id: string }) => row.id);
}

export async function updateJobDefinitionSuspensionOf(db: Db, ids: string[], suspended: boolean): Promise<void> {
  if (ids.length > 0) await db('job_definition').whereIn('id', ids).update({ suspended });
}

export async function updateOverridingJobPriority(db: Db, id: string, priority: number | null): Promise<void> {
  await db('job_definition').where({ id }).update({ overriding_job_priority: priority });
}

export interface JobDefinitionFilter {
  jobDefinitionId?: string;
  activityIdIn?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  jobType?: string;
  jobConfiguration?: string;
  active?: boolean;
  suspended?: boolean;
  withOverridingJobPriority?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

export const jobDefinitionQuery = pagedQuery<JobDefinitionFilter, JobDefinitionRow>({
  filtered(db, filter) {
    const q = db('job_definition');
    if (filter.jobDefinitionId !== undefined) q.where('id', filter.jobDefinitionId);
    if (filter.activityIdIn) q.whereIn('activity_id', filter.activityIdIn);
    if (filter.processDefinitionId !== undefined) q.where('process_definition_id', filter.processDefinitionId);
    if (filter.processDefinitionKey !== undefined) q.where('process_definition_key', filter.processDefinitionKey);
    if (filter.jobType !== undefined) q.where('job_type', filter.jobType);
    if (filter.jobConfiguration !== undefined) q.where('job_configuration', filter.jobConfiguration);
    if (filter.active) q.where('suspended', false);
    if (filter.suspended) q.where('suspended', true);
    if (filter.withOverridingJobPriority) q.whereNotNull('overriding_job_priority');
    if (filter.tenantIdIn) q.whereIn('tenant_id', filter.tenantIdIn);
    if (filter.withoutTenantId) q.whereNull('tenant_id');
    return q;
  },
  columns: '*',
  sortColumns: {
    jobDefinitionId: 'id',
    activityId: 'activity_id',
    processDefinitionId: 'process_definition_id',
    processDefinitionKey: 'process_definition_key',
    jobType: 'job_type',
    jobConfiguration: 'job_configuration',
    tenantId: 'tenant_id',
  },
  tieBreaker: 'id',
});
