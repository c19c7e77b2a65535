/** Deployed process definitions, one row per (key, version, tenant). */
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';

export interface ProcessDefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  version_tag: string | null;
  history_time_to_live: number | null;
  startable_in_tasklist: boolean;
  deployment_id: string;
  resource_name: string;
  tenant_id: string | null;
  suspended: boolean;
  serialized_context: string;
  /** The diagram image deployed with the model, as Camunda names it; null when there is none. */
  diagram_resource_name: string | null;
}

export interface ProcessDefinitionFilter {
  processDefinitionId?: string;
  processDefinitionIdIn?: string[];
  key?: string;
  keysIn?: string[];
  keyLike?: string;
  name?: string;
  nameLike?: string;
  deploymentId?: string;
  version?: number;
  latestVersion?: boolean;
  versionTag?: string;
  versionTagLike?: string;
  resourceName?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  suspended?: boolean;
  active?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  category: 'key', key: 'key', id: 'id', name: 'name', version: 'version', deploymentId: 'deployment_id',
  tenantId: 'tenant_id', 'tenantId ': 'tenant_id', versionTag: 'version_tag',
};

/** Every column but the serialized context, which only the engine reads. */
const LIST_COLUMNS = ['id', 'key', 'version', 'name', 'version_tag', 'history_time_to_live', 'startable_in_tasklist', 'deployment_id', 'resource_name', 'tenant_id', 'suspended', 'diagram_resource_name'];

/**
 * Rows (or keys) per statement: far below PostgreSQL's 65,535 bind parameters, and small enough that embedded
 * PGlite, which runs on the server's event loop, never holds it for long.
 */
const INSERT_BATCH = 100;

export async function insertProcessDefinitions(db: Db, rows: ProcessDefinitionRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) await db('process_definition').insert(rows.slice(start, start + INSERT_BATCH));
}

export async function findProcessDefinition(db: Db, id: string): Promise<ProcessDefinitionRow | undefined> {
  return db<ProcessDefinitionRow>('process_definition').where({ id }).first();
}

/** The latest version of a key; `tenantId` null means definitions without a tenant, as Camunda's `/key/{key}`. */
export async function findLatestProcessDefinition(db: Db, key: string, tenantId: string | null = null): Promise<ProcessDefinitionRow | undefined> {
  const query = db<ProcessDefinitionRow>('process_definition').where({ key });
  if (tenantId === null) query.whereNull('tenant_id');
  else query.where('tenant_id', tenantId);
  return query.orderBy('version', 'desc').first();
}

/** The definition a call activity's binding names: a version, a version tag's latest, or the one in a deployment. */
export async function findBoundProcessDefinition(
  db: Db,
  key: string,
  tenantId: string | null,
  binding: { version?: number; versionTag?: string; deploymentId?: string },
): Promise<ProcessDefinitionRow | undefined> {
  const query = db<ProcessDefinitionRow>('process_definition').where({ key });
  if (tenantId === null) query.whereNull('tenant_id');
  else query.where('tenant_id', tenantId);
  if (binding.version !== undefined) query.where('version', binding.version);
  if (binding.versionTag !== undefined) query.where('version_tag', binding.versionTag);
  if (binding.deploymentId !== undefined) query.where('deployment_id', binding.deploymentId);
  return query.orderBy('version', 'desc').first();
}

/** The latest version of each key (0 for a new key), in one query per batch of keys rather than one per key. */
export async function latestVersionsOf(db: Db, keys: string[], tenantId: string | null): Promise<Map<string, number>> {
  const versions = new Map(keys.map((key) => [key, 0]));
  for (let start = 0; start < keys.length; start += INSERT_BATCH) {
    const query = db('process_definition').select('key').max('version as version').whereIn('key', keys.slice(start, start + INSERT_BATCH)).groupBy('key');
    if (tenantId === null) query.whereNull('tenant_id');
    else query.where('tenant_id', tenantId);
    for (const row of (await query) as Array<{ key: string; version: number }>) versions.set(row.key, Number(row.version));
  }
  return versions;
}

function filtered(db: Db, filter: ProcessDefinitionFilter) {
  const query = db<ProcessDefinitionRow>('process_definition as pd');
  if (filter.processDefinitionId !== undefined) query.where('pd.id', filter.processDefinitionId);
  if (filter.processDefinitionIdIn) query.whereIn('pd.id', filter.processDefinitionIdIn);
  if (filter.key !== undefined) query.where('pd.key', filter.key);
  if (filter.keysIn) query.whereIn('pd.key', filter.keysIn);
  if (filter.keyLike !== undefined) query.where('pd.key', 'like', likePattern(filter.keyLike));
  if (filter.name !== undefined) query.where('pd.name', filter.name);
  if (filter.nameLike !== undefined) query.where('pd.name', 'like', likePattern(filter.nameLike));
  if (filter.deploymentId !== undefined) query.where('pd.deployment_id', filter.deploymentId);
  if (filter.version !== undefined) query.where('pd.version', filter.version);
  if (filter.versionTag !== undefined) query.where('pd.version_tag', filter.versionTag);
  if (filter.versionTagLike !== undefined) query.where('pd.version_tag', 'like', likePattern(filter.versionTagLike));
  if (filter.resourceName !== undefined) query.where('pd.resource_name', filter.resourceName);
  if (filter.tenantIdIn) query.whereIn('pd.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('pd.tenant_id');
  if (filter.suspended) query.where('pd.suspended', true);
  if (filter.active) query.where('pd.suspended', false);
  if (filter.latestVersion) {
    query.whereRaw(
      'pd.version = (select max(latest.version) from process_definition latest where latest.key = pd.key and coalesce(latest.tenant_id, \'\') = coalesce(pd.tenant_id, \'\'))',
    );
  }
  return query;
}

export const processDefinitionQuery = pagedQuery<ProcessDefinitionFilter, ProcessDefinitionRow>({
  filtered,
  columns: LIST_COLUMNS.map((c) => `pd.${c}`),
  sortColumns: Object.fromEntries(Object.entries(SORT_COLUMNS).map(([key, column]) => [key, `pd.${column}`])),
  tieBreaker: 'pd.id',
});

/** Every deployed definition, by id, without the serialized context: what the per-definition statistics report on. */
export async function listAllProcessDefinitions(db: Db): Promise<Array<Omit<ProcessDefinitionRow, 'serialized_context'>>> {
  return db('process_definition').select(LIST_COLUMNS).orderBy('id');
}

export async function listProcessDefinitionsOfDeployment(db: Db, deploymentId: string): Promise<ProcessDefinitionRow[]> {
  return db<ProcessDefinitionRow>('process_definition').where({ deployment_id: deploymentId }).orderBy('key');
}

/** Every version of `key` (in a tenant, or without one): what suspending a definition by key applies to. */
export async function listProcessDefinitionsOfKey(db: Db, key: string, tenantId: string | null): Promise<ProcessDefinitionRow[]> {
  const query = db<ProcessDefinitionRow>('process_definition').where({ key });
  return tenantId === null ? query.whereNull('tenant_id') : query.where('tenant_id', tenantId);
}

/** Every version of `key` in every tenant: what PUT /process-definition/suspended applies to without a tenant choice. */
export async function listProcessDefinitionsOfKeyInAllTenants(db: Db, key: string): Promise<ProcessDefinitionRow[]> {
  return db<ProcessDefinitionRow>('process_definition').where({ key });
}

export async function updateProcessDefinitionTimeToLive(db: Db, id: string, days: number): Promise<void> {
  await db('process_definition').where({ id }).update({ history_time_to_live: days });
}

/** Deletes definitions; their job definitions and timer start jobs go with them (foreign keys). */
export async function deleteProcessDefinitions(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db('process_definition').whereIn('id', ids).delete();
}

export async function updateProcessDefinitionSuspension(db: Db, ids: string[], suspended: boolean): Promise<void> {
  if (ids.length > 0) await db('process_definition').whereIn('id', ids).update({ suspended });
}
