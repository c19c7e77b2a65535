/** Camunda's schema log (ACT_GE_SCHEMA_LOG) read from knex_migrations: one entry per applied migration. */
import type { Db } from './database.js';
import { applyListOptions, type ListOptions } from './query-options.js';

export interface SchemaLogRow {
  id: number;
  name: string;
  migration_time: Date;
}

export async function listSchemaLog(db: Db, filter: { version?: string }, options: ListOptions): Promise<SchemaLogRow[]> {
  const query = db<SchemaLogRow>('knex_migrations').select('id', 'name', 'migration_time');
  if (filter.version !== undefined) query.where('name', filter.version);
  return applyListOptions(query, options, { timestamp: 'migration_time' }, 'id');
}
