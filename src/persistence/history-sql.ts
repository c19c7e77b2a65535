/** SQL shared by the history tables: how long a row ran, and whether the activity instance it belongs to completed. */
import type { Knex } from 'knex';
import type { Db } from './database.js';

/** Milliseconds from the row's `start_time` to `endTime`, never negative (clock skew between nodes). */
export function millisSinceStart(db: Db, endTime: Date): Knex.Raw {
  return db.raw('greatest(0, (extract(epoch from (?::timestamptz - start_time)) * 1000)::bigint)', [endTime]);
}

/**
 * True when the activity instance named by `activityInstanceIdColumn` ended without being cancelled: its task or
 * incident ended with it normally (Camunda's 'completed' and 'resolved'), not by a cancellation or termination.
 */
export function activityInstanceCompleted(db: Db, activityInstanceIdColumn: string): Knex.Raw {
  return db.raw('exists (select 1 from hist_activity_instance a where a.id = ?? and a.end_time is not null and not a.canceled)', [activityInstanceIdColumn]);
}
