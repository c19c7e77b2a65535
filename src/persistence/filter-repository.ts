/** Filters (Camunda's ACT_RU_FILTER): saved task queries with a name, an owner and display properties. */
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';

export interface FilterRow {
  id: string;
  resource_type: string;
  name: string;
  owner: string | null;
  query: Record<string, unknown>;
  properties: Record<string, unknown> | null;
}

export interface FilterFilter {
  filterId?: string;
  resourceType?: string;
  name?: string;
  nameLike?: string;
  owner?: string;
}

const SORT_COLUMNS: Record<string, string> = { filterId: 'id', resourceType: 'resource_type', name: 'name', owner: 'owner' };

function jsonColumns(row: Partial<FilterRow>): Record<string, unknown> {
  return {
    ...row,
    ...(row.query !== undefined ? { query: JSON.stringify(row.query) } : {}),
    ...(row.properties !== undefined ? { properties: row.properties === null ? null : JSON.stringify(row.properties) } : {}),
  };
}

export async function insertFilter(db: Db, row: FilterRow): Promise<void> {
  await db('filter').insert(jsonColumns(row));
}

export async function findFilter(db: Db, id: string): Promise<FilterRow | undefined> {
  return db<FilterRow>('filter').where({ id }).first();
}

/** Whether a filter with this id existed to be changed. */
export async function updateFilter(db: Db, id: string, changes: Pick<FilterRow, 'name' | 'owner' | 'query' | 'properties'>): Promise<boolean> {
  return (await db('filter').where({ id }).update(jsonColumns(changes))) > 0;
}

/** Whether a filter with this id existed to be deleted. */
export async function deleteFilter(db: Db, id: string): Promise<boolean> {
  return (await db('filter').where({ id }).delete()) > 0;
}

function filtered(db: Db, filter: FilterFilter) {
  const query = db('filter');
  if (filter.filterId !== undefined) query.where('id', filter.filterId);
  if (filter.resourceType !== undefined) query.where('resource_type', filter.resourceType);
  if (filter.name !== undefined) query.where('name', filter.name);
  if (filter.nameLike !== undefined) query.where('name', 'like', likePattern(filter.nameLike));
  if (filter.owner !== undefined) query.where('owner', filter.owner);
  return query;
}

export const filterQuery = pagedQuery<FilterFilter, FilterRow>({ filtered, columns: '*', sortColumns: SORT_COLUMNS, tieBreaker: 'id' });
