/** Deployments and their resources. */
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';

export interface DeploymentRow {
  id: string;
  name: string | null;
  source: string | null;
  tenant_id: string | null;
  deployment_time: Date;
}

export interface ResourceRow {
  id: string;
  deployment_id: string;
  name: string;
  content: Buffer;
  checksum: string;
}

export interface DeploymentFilter {
  id?: string;
  name?: string;
  nameLike?: string;
  source?: string;
  withoutSource?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  after?: Date;
  before?: Date;
}

const SORT_COLUMNS: Record<string, string> = { id: 'id', name: 'name', deploymentTime: 'deployment_time', tenantId: 'tenant_id' };

/** Serializes every change of deployed versions: versions are computed from what is committed, and nodes deploying together must not race. */
const DEPLOY_LOCK_KEY = 7_240_001;

/** Holds the deployment lock until the transaction ends. */
export async function lockDeployments(db: Db): Promise<void> {
  await db.raw('select pg_advisory_xact_lock(?)', [DEPLOY_LOCK_KEY]);
}

export async function insertDeployment(db: Db, row: DeploymentRow, resources: ResourceRow[]): Promise<void> {
  await db('deployment').insert(row);
  if (resources.length > 0) await db('resource').insert(resources);
}

export async function findDeployment(db: Db, id: string): Promise<DeploymentRow | undefined> {
  return db<DeploymentRow>('deployment').where({ id }).first();
}

function filtered(db: Db, filter: DeploymentFilter) {
  const query = db<DeploymentRow>('deployment');
  if (filter.id !== undefined) query.where('id', filter.id);
  if (filter.name !== undefined) query.where('name', filter.name);
  if (filter.nameLike !== undefined) query.where('name', 'like', likePattern(filter.nameLike));
  if (filter.source !== undefined) query.where('source', filter.source);
  if (filter.withoutSource) query.whereNull('source');
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  if (filter.after) query.where('deployment_time', '>', filter.after);
  if (filter.before) query.where('deployment_time', '<', filter.before);
  return query;
}

export const deploymentQuery = pagedQuery<DeploymentFilter, DeploymentRow>({ filtered: filtered, columns: '*', sortColumns: SORT_COLUMNS, tieBreaker: 'id' });


/** PGlite returns bytea as a Uint8Array, node-pg as a Buffer; callers get a Buffer either way. */
function withBufferContent(row: ResourceRow): ResourceRow {
  return { ...row, content: Buffer.from(row.content) };
}

export async function listResources(db: Db, deploymentId: string): Promise<ResourceRow[]> {
  return (await db<ResourceRow>('resource').where({ deployment_id: deploymentId }).orderBy('name')).map(withBufferContent);
}

export async function findResource(db: Db, deploymentId: string, resourceId: string): Promise<ResourceRow | undefined> {
  const row = await db<ResourceRow>('resource').where({ deployment_id: deploymentId, id: resourceId }).first();
  return row && withBufferContent(row);
}

export async function findResourceByName(db: Db, deploymentId: string, name: string): Promise<ResourceRow | undefined> {
  const row = await db<ResourceRow>('resource').where({ deployment_id: deploymentId, name }).first();
  return row && withBufferContent(row);
}

/** The newest deployment with this name, source and tenant: what duplicate filtering compares against. */
export async function findLatestDeploymentNamed(db: Db, name: string, source: string | null, tenantId: string | null): Promise<DeploymentRow | undefined> {
  const query = db<DeploymentRow>('deployment').where('name', name);
  if (source === null) query.whereNull('source');
  else query.where('source', source);
  if (tenantId === null) query.whereNull('tenant_id');
  else query.where('tenant_id', tenantId);
  return query.orderBy('deployment_time', 'desc').orderBy('id', 'desc').first();
}

export async function listDeploymentIds(db: Db): Promise<string[]> {
  return (await db('deployment').orderBy('deployment_time').orderBy('id').select('id')).map((row: { id: string }) => row.id);
}

export async function deleteDeployment(db: Db, id: string): Promise<void> {
  await db('deployment').where({ id }).delete();
}
