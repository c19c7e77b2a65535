/** The whole cluster's gauges for /metrics, read at scrape time with one cheap query each, and this node's pool usage. */
import type { ClusterGauges, PoolUsage } from '../telemetry/engine-metrics.js';
import type { Database, Db } from './database.js';
import { outboxBacklog } from './outbox-repository.js';

/** `withOutbox`: the Kafka outbox exists only for nodes with Kafka configured. */
export async function readClusterGauges(db: Db, now: Date, overdueAfterMs: number, withOutbox: boolean): Promise<ClusterGauges> {
  const [active, incidents, jobs, outbox] = await Promise.all([
    db('process_instance').select('process_definition_key').count({ count: '*' }).groupBy('process_definition_key').orderBy('process_definition_key'),
    db('incident').select('incident_type').count({ count: '*' }).groupBy('incident_type').orderBy('incident_type'),
    // The executor's own acquisition condition (acquireDueJobs), on the due_date index.
    db('job')
      .where('due_date', '<=', now)
      .where('retries', '>', 0)
      .where('suspended', false)
      .where((q) => q.whereNull('lock_expiration_time').orWhere('lock_expiration_time', '<', now))
      .select(db.raw('count(*) as due, count(*) filter (where due_date < ?) as overdue, min(due_date) as oldest', [new Date(now.getTime() - overdueAfterMs)]))
      .first(),
    withOutbox ? outboxBacklog(db, now) : null,
  ]);
  return {
    activeInstances: (active as Array<{ process_definition_key: string; count: string | number }>).map((row) => ({ processDefinitionKey: row.process_definition_key, count: Number(row.count) })),
    openIncidents: (incidents as Array<{ incident_type: string; count: string | number }>).map((row) => ({ incidentType: row.incident_type, count: Number(row.count) })),
    dueJobs: Number(jobs?.due ?? 0),
    overdueJobs: Number(jobs?.overdue ?? 0),
    oldestDueJob: jobs?.oldest ? new Date(jobs.oldest) : null,
    outbox,
  };
}

/** The slice of tarn's pool (knex's) that tells how it is used. */
interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** knex's connection pool: PostgreSQL's configured one, or for PGlite the pool of its single session (max 1). */
export function poolUsage(database: Database): PoolUsage {
  const pool = (database.knex.client as { pool?: TarnPool }).pool;
  if (!pool) return { used: 0, free: 0, pending: 0, max: database.kind === 'pglite' ? 1 : 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}
