/** Camunda's filter service: saved task queries, created, changed and deleted one statement each. */
import { InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { deleteFilter as deleteFilterRow, filterQuery, findFilter, insertFilter, updateFilter as updateFilterRow, type FilterFilter, type FilterRow } from '../persistence/filter-repository.js';
import type { ReadModel } from './read-models.js';
import type { ServiceContext } from './service-context.js';

export type { FilterFilter, FilterRow } from '../persistence/filter-repository.js';

export interface FilterContent {
  name: string;
  owner: string | null;
  query: Record<string, unknown>;
  properties: Record<string, unknown> | null;
}

function notFound(id: string): InvalidRequestError {
  return new InvalidRequestError(404, `Filter with id '${id}' does not exist.`);
}

export async function createFilter(ctx: ServiceContext, content: FilterContent): Promise<FilterRow> {
  const row: FilterRow = { id: newId(), resource_type: 'Task', ...content };
  await insertFilter(ctx.database.knex, row);
  return row;
}

export async function getFilter(ctx: ServiceContext, id: string): Promise<FilterRow> {
  const row = await findFilter(ctx.database.knex, id);
  if (!row) throw notFound(id);
  return row;
}

export async function updateFilter(ctx: ServiceContext, id: string, content: FilterContent): Promise<void> {
  if (!(await updateFilterRow(ctx.database.knex, id, content))) throw notFound(id);
}

export async function deleteFilter(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await deleteFilterRow(ctx.database.knex, id))) throw notFound(id);
}

/** `GET /filter`'s list and count. */
export function filterReadModel(ctx: ServiceContext): ReadModel<FilterFilter, FilterRow> {
  return { list: (filter, options) => filterQuery.list(ctx.database.knex, filter, options), count: (filter) => filterQuery.count(ctx.database.knex, filter) };
}
