/** Paging and sorting shared by every list query; sort keys map to whitelisted columns only. */
import type { Knex } from 'knex';
import type { Db } from './database.js';

export interface Paging {
  firstResult?: number;
  maxResults?: number;
}

export interface Sorting {
  sortBy: string;
  sortOrder: 'asc' | 'desc';
}

export interface ListOptions extends Paging {
  sorting?: Sorting[];
}

/** Applies sorting through a column whitelist (the REST layer has already refused unknown keys) and paging. */
export function applyListOptions<T extends Knex.QueryBuilder>(query: T, options: ListOptions, columns: Record<string, string>, tieBreaker: string): T {
  for (const sort of options.sorting ?? []) {
    const column = columns[sort.sortBy];
    if (column) query.orderBy(column, sort.sortOrder);
  }
  query.orderBy(tieBreaker, 'asc');
  if (options.firstResult !== undefined && options.firstResult > 0) query.offset(options.firstResult);
  if (options.maxResults !== undefined) query.limit(options.maxResults);
  return query;
}

export async function countOf(query: Knex.QueryBuilder): Promise<number> {
  const row = (await query.clearSelect().clearOrder().count<{ count: string | number }[]>({ count: '*' }).first()) as { count: string | number } | undefined;
  return Number(row?.count ?? 0);
}

/**
 * A LIKE pattern as PostgreSQL accepts it: `\` stays the escape character (so `\%` matches a literal `%`, as in
 * Camunda), but a trailing unpaired `\`, which PostgreSQL rejects, matches a literal backslash.
 */
export function likePattern(pattern: string): string {
  const trailing = /\\*$/.exec(pattern)![0].length;
  return trailing % 2 === 1 ? `${pattern}\\` : pattern;
}

/**
 * The terms of one of Camunda's `orQueries`: each criterion of the filter on its own (any one of them is to hold), with
 * the `modifiers` (such as the ignore-case flags) kept on every term, as they change how a criterion matches.
 */
export function orTerms<F extends object>(filter: F, modifiers: readonly string[] = []): F[] {
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined);
  const shared = Object.fromEntries(entries.filter(([key]) => modifiers.includes(key)));
  return entries.filter(([key]) => !modifiers.includes(key)).map(([key, value]) => ({ ...shared, [key]: value }) as F);
}

/** A filterable, sortable, pageable list and its count, as every Camunda list resource has. */
export interface PagedQuery<F, R> {
  list(db: Db, filter: F, options: ListOptions): Promise<R[]>;
  count(db: Db, filter: F): Promise<number>;
}

export interface PagedQuerySpec<F> {
  /** Builds FROM and WHERE once for both the list and the count. */
  filtered(db: Db, filter: F): Knex.QueryBuilder;
  /** What to select; a function for columns that need the handle (raw expressions). */
  columns: string | string[] | ((db: Db) => Array<string | Knex.Raw>);
  /** Camunda's sortBy keys → columns; anything else is never spliced into SQL. */
  sortColumns: Record<string, string>;
  /** A unique column last in ORDER BY, so paging is stable. */
  tieBreaker: string;
}

export function pagedQuery<F, R>(spec: PagedQuerySpec<F>): PagedQuery<F, R> {
  return {
    list: (db, filter, options) => applyListOptions(spec.filtered(db, filter).select(typeof spec.columns === 'function' ? spec.columns(db) : spec.columns), options, spec.sortColumns, spec.tieBreaker) as unknown as Promise<R[]>,
    count: (db, filter) => countOf(spec.filtered(db, filter)),
  };
}
