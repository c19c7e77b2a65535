/**
 * Camunda's telemetry resource with telemetry off, as in Camunda 7.22+ and Operaton: nothing is ever sent, the
 * configuration cannot turn it on, and `/telemetry/data` shows what would be collected.
 */
import { nameBasedId } from '../core/ids.js';
import type { Db } from '../persistence/database.js';
import { sumMetric } from './metrics-service.js';
import type { ServiceContext } from './service-context.js';

/** The metrics Camunda's telemetry reports, by their public names. */
const TELEMETRY_METRICS = ['process-instances', 'flow-node-instances', 'decision-instances', 'executed-decision-elements'];

export interface TelemetryData {
  installation: string;
  databaseVersion: string;
  /** When this database was set up (its first migration): the start of everything the metrics count. */
  collectionStart: Date;
  metrics: Record<string, number>;
}

async function firstMigrationTime(db: Db): Promise<Date> {
  const row = (await db('knex_migrations').min({ time: 'migration_time' }).first()) as { time: Date | string | null } | undefined;
  return row?.time ? new Date(row.time) : new Date(0);
}

export async function telemetryData(ctx: ServiceContext): Promise<TelemetryData> {
  const db = ctx.database.knex;
  const collectionStart = await firstMigrationTime(db);
  const version = (await db.raw('show server_version')) as { rows: Array<{ server_version: string }> };
  const metrics: Record<string, number> = {};
  for (const name of TELEMETRY_METRICS) metrics[name] = await sumMetric(ctx, name, {});
  return {
    // Stable for a database, with no row of its own: derived from when the database was set up.
    installation: nameBasedId('installation', collectionStart.toISOString()),
    databaseVersion: version.rows[0]?.server_version ?? '',
    collectionStart,
    metrics,
  };
}
