/** The root process instance of a history row, read from its instance's history: the other history tables name only their own instance. */
import type { Knex } from 'knex';
import type { Db } from './database.js';

/** A history row as read, with the root instance of its process instance (null for a row of no instance). */
export type WithRootInstance<R> = R & { root_process_instance_id: string | null };

/** `table.*` plus its root instance id, for a table (or alias) with a `process_instance_id` column. */
export function withRootInstanceColumns(db: Db, table: string): Array<string | Knex.Raw> {
  return [`${table}.*`, db.raw('(select r.root_process_instance_id from hist_process_instance r where r.id = ??.process_instance_id) as root_process_instance_id', [table])];
}
