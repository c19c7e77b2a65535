/** Deployed decision definitions and decision requirements definitions, versioned per (key, tenant) like processes. */
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';

export interface DecisionDefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  category: string | null;
  version_tag: string | null;
  history_time_to_live: number | null;
  deployment_id: string;
  resource_name: string;
  decision_requirements_definition_id: string | null;
  decision_requirements_definition_key: string | null;
  tenant_id: string | null;
  diagram_resource_name: string | null;
}

export interface DecisionRequirementsDefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  category: string | null;
  deployment_id: string;
  resource_name: string;
  tenant_id: string | null;
  diagram_resource_name: string | null;
}

/** The filters decision and decision requirements definitions share (both queried as `d`). */
export interface CommonDefinitionFilter {
  key?: string;
  keyIn?: string[];
  keyLike?: string;
  name?: string;
  nameLike?: string;
  category?: string;
  categoryLike?: string;
  deploymentId?: string;
  version?: number;
  latestVersion?: boolean;
  resourceName?: string;
  resourceNameLike?: string;
}

export interface DecisionDefinitionFilter extends CommonDefinitionFilter {
  decisionDefinitionId?: string;
  decisionDefinitionIdIn?: string[];
  versionTag?: string;
  versionTagLike?: string;
  decisionRequirementsDefinitionId?: string;
  decisionRequirementsDefinitionKey?: string;
  withoutDecisionRequirementsDefinition?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  includeDecisionDefinitionsWithoutTenantId?: boolean;
}

export interface DecisionRequirementsDefinitionFilter extends CommonDefinitionFilter {
  decisionRequirementsDefinitionId?: string;
  decisionRequirementsDefinitionIdIn?: string[];
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  includeDecisionRequirementsDefinitionsWithoutTenantId?: boolean;
}

type Query = Knex.QueryBuilder;

export async function insertDecisionRequirementsDefinitions(db: Db, rows: DecisionRequirementsDefinitionRow[]): Promise<void> {
  if (rows.length > 0) await db('decision_requirements_definition').insert(rows);
}

export async function insertDecisionDefinitions(db: Db, rows: DecisionDefinitionRow[]): Promise<void> {
  if (rows.length > 0) await db('decision_definition').insert(rows);
}

function whereTenant(query: Query, tenantId: string | null): Query {
  return tenantId === null ? query.whereNull('tenant_id') : query.where('tenant_id', tenantId);
}

export async function findDecisionDefinition(db: Db, id: string): Promise<DecisionDefinitionRow | undefined> {
  return db<DecisionDefinitionRow>('decision_definition').where({ id }).first();
}

/** The latest version of a key; `tenantId` null means definitions without a tenant, as Camunda's `/key/{key}`. */
export async function findLatestDecisionDefinition(db: Db, key: string, tenantId: string | null): Promise<DecisionDefinitionRow | undefined> {
  return whereTenant(db<DecisionDefinitionRow>('decision_definition').where({ key }), tenantId).orderBy('version', 'desc').first() as Promise<DecisionDefinitionRow | undefined>;
}

export async function findDecisionDefinitionByVersion(db: Db, key: string, version: number, tenantId: string | null): Promise<DecisionDefinitionRow | undefined> {
  return whereTenant(db<DecisionDefinitionRow>('decision_definition').where({ key, version }), tenantId).first();
}

/** The latest version carrying the tag (Camunda's `versionTag` binding). */
export async function findDecisionDefinitionByVersionTag(db: Db, key: string, versionTag: string, tenantId: string | null): Promise<DecisionDefinitionRow | undefined> {
  return whereTenant(db<DecisionDefinitionRow>('decision_definition').where({ key, version_tag: versionTag }), tenantId).orderBy('version', 'desc').first();
}

export async function findDecisionDefinitionInDeployment(db: Db, key: string, deploymentId: string): Promise<DecisionDefinitionRow | undefined> {
  return db<DecisionDefinitionRow>('decision_definition').where({ key, deployment_id: deploymentId }).first();
}

export async function latestDecisionVersionOf(db: Db, key: string, tenantId: string | null): Promise<number> {
  return (await findLatestDecisionDefinition(db, key, tenantId))?.version ?? 0;
}

export async function findDecisionRequirementsDefinition(db: Db, id: string): Promise<DecisionRequirementsDefinitionRow | undefined> {
  return db<DecisionRequirementsDefinitionRow>('decision_requirements_definition').where({ id }).first();
}

export async function findLatestDecisionRequirementsDefinition(db: Db, key: string, tenantId: string | null): Promise<DecisionRequirementsDefinitionRow | undefined> {
  return whereTenant(db<DecisionRequirementsDefinitionRow>('decision_requirements_definition').where({ key }), tenantId).orderBy('version', 'desc').first();
}

export async function latestDecisionRequirementsVersionOf(db: Db, key: string, tenantId: string | null): Promise<number> {
  return (await findLatestDecisionRequirementsDefinition(db, key, tenantId))?.version ?? 0;
}

export async function listDecisionDefinitionsOfDeployment(db: Db, deploymentId: string): Promise<DecisionDefinitionRow[]> {
  return db<DecisionDefinitionRow>('decision_definition').where({ deployment_id: deploymentId }).orderBy('key');
}

export async function updateDecisionDefinitionTimeToLive(db: Db, id: string, days: number): Promise<void> {
  await db('decision_definition').where({ id }).update({ history_time_to_live: days });
}

export async function deleteDecisionDefinitionsOfDeployment(db: Db, deploymentId: string): Promise<void> {
  await db('decision_definition').where({ deployment_id: deploymentId }).delete();
  await db('decision_requirements_definition').where({ deployment_id: deploymentId }).delete();
}

/** Camunda's tenant filter: `tenantIdIn`, optionally widened to rows without a tenant; or rows without a tenant only. */
function tenantFilter(query: Query, column: string, tenantIdIn: string[] | undefined, withoutTenantId: boolean | undefined, includeWithout: boolean | undefined): void {
  if (tenantIdIn) {
    query.where((q) => {
      q.whereIn(column, tenantIdIn);
      if (includeWithout) q.orWhereNull(column);
    });
  }
  if (withoutTenantId) query.whereNull(column);
}

function latestOnly(query: Query, table: string): void {
  query.whereRaw(`d.version = (select max(latest.version) from ${table} latest where latest.key = d.key and coalesce(latest.tenant_id, '') = coalesce(d.tenant_id, ''))`);
}


function applyCommonFilter(query: Query, filter: CommonDefinitionFilter): void {
  if (filter.key !== undefined) query.where('d.key', filter.key);
  if (filter.keyIn) query.whereIn('d.key', filter.keyIn);
  if (filter.keyLike !== undefined) query.where('d.key', 'like', likePattern(filter.keyLike));
  if (filter.name !== undefined) query.where('d.name', filter.name);
  if (filter.nameLike !== undefined) query.where('d.name', 'like', likePattern(filter.nameLike));
  if (filter.category !== undefined) query.where('d.category', filter.category);
  if (filter.categoryLike !== undefined) query.where('d.category', 'like', likePattern(filter.categoryLike));
  if (filter.deploymentId !== undefined) query.where('d.deployment_id', filter.deploymentId);
  if (filter.version !== undefined) query.where('d.version', filter.version);
  if (filter.resourceName !== undefined) query.where('d.resource_name', filter.resourceName);
  if (filter.resourceNameLike !== undefined) query.where('d.resource_name', 'like', likePattern(filter.resourceNameLike));
}

function filteredDecisions(db: Db, filter: DecisionDefinitionFilter) {
  // Joined for the deployTime sort key only.
  const query = db<DecisionDefinitionRow>('decision_definition as d').leftJoin('deployment as dep', 'dep.id', 'd.deployment_id');
  if (filter.decisionDefinitionId !== undefined) query.where('d.id', filter.decisionDefinitionId);
  if (filter.decisionDefinitionIdIn) query.whereIn('d.id', filter.decisionDefinitionIdIn);
  applyCommonFilter(query, filter);
  if (filter.versionTag !== undefined) query.where('d.version_tag', filter.versionTag);
  if (filter.versionTagLike !== undefined) query.where('d.version_tag', 'like', likePattern(filter.versionTagLike));
  if (filter.decisionRequirementsDefinitionId !== undefined) query.where('d.decision_requirements_definition_id', filter.decisionRequirementsDefinitionId);
  if (filter.decisionRequirementsDefinitionKey !== undefined) query.where('d.decision_requirements_definition_key', filter.decisionRequirementsDefinitionKey);
  if (filter.withoutDecisionRequirementsDefinition) query.whereNull('d.decision_requirements_definition_id');
  tenantFilter(query, 'd.tenant_id', filter.tenantIdIn, filter.withoutTenantId, filter.includeDecisionDefinitionsWithoutTenantId);
  if (filter.latestVersion) latestOnly(query, 'decision_definition');
  return query;
}

function filteredRequirements(db: Db, filter: DecisionRequirementsDefinitionFilter) {
  const query = db<DecisionRequirementsDefinitionRow>('decision_requirements_definition as d');
  if (filter.decisionRequirementsDefinitionId !== undefined) query.where('d.id', filter.decisionRequirementsDefinitionId);
  if (filter.decisionRequirementsDefinitionIdIn) query.whereIn('d.id', filter.decisionRequirementsDefinitionIdIn);
  applyCommonFilter(query, filter);
  tenantFilter(query, 'd.tenant_id', filter.tenantIdIn, filter.withoutTenantId, filter.includeDecisionRequirementsDefinitionsWithoutTenantId);
  if (filter.latestVersion) latestOnly(query, 'decision_requirements_definition');
  return query;
}

const DECISION_COLUMNS = ['id', 'key', 'version', 'name', 'category', 'version_tag', 'history_time_to_live', 'deployment_id', 'resource_name', 'decision_requirements_definition_id', 'decision_requirements_definition_key', 'tenant_id', 'diagram_resource_name'];
const REQUIREMENTS_COLUMNS = ['id', 'key', 'version', 'name', 'category', 'deployment_id', 'resource_name', 'tenant_id', 'diagram_resource_name'];

export const decisionDefinitionQuery = pagedQuery<DecisionDefinitionFilter, DecisionDefinitionRow>({
  filtered: filteredDecisions,
  columns: DECISION_COLUMNS.map((c) => `d.${c}`),
  sortColumns: {
    category: 'd.category', decisionRequirementsDefinitionKey: 'd.decision_requirements_definition_key', key: 'd.key', id: 'd.id', name: 'd.name',
    version: 'd.version', deploymentId: 'd.deployment_id', versionTag: 'd.version_tag', tenantId: 'd.tenant_id',
    deployTime: 'dep.deployment_time',
  },
  tieBreaker: 'd.id',
});

export const decisionRequirementsDefinitionQuery = pagedQuery<DecisionRequirementsDefinitionFilter, DecisionRequirementsDefinitionRow>({
  filtered: filteredRequirements,
  columns: REQUIREMENTS_COLUMNS.map((c) => `d.${c}`),
  sortColumns: { id: 'd.id', key: 'd.key', name: 'd.name', version: 'd.version', deploymentId: 'd.deployment_id', category: 'd.category', tenantId: 'd.tenant_id' },
  tieBreaker: 'd.id',
});
