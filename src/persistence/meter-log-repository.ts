/** Camunda's meter log: each node's counts per report, summed and bucketed by interval for /engine-rest/metrics. */
import type { Db } from './database.js';

export interface MeterLogEntry {
  name: string;
  reporter: string;
  value: number;
  timestamp: Date;
}

export interface MeterLogInterval {
  /** The start of the interval the counts fall in. */
  timestamp: Date;
  name: string;
  /** null when aggregated over reporters. */
  reporter: string | null;
  value: number;
}

export interface MeterLogFilter {
  name?: string;
  reporter?: string;
  /** Inclusive. */
  startDate?: Date;
  /** Exclusive. */
  endDate?: Date;
}

export async function insertMeterLog(db: Db, entries: readonly MeterLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db('meter_log').insert(entries.map((entry) => ({ ...entry, milliseconds: entry.timestamp.getTime() })));
}

function filtered(db: Db, filter: MeterLogFilter) {
  const query = db('meter_log');
  if (filter.name !== undefined) query.where('name', filter.name);
  if (filter.reporter !== undefined) query.where('reporter', filter.reporter);
  if (filter.startDate !== undefined) query.where('milliseconds', '>=', filter.startDate.getTime());
  if (filter.endDate !== undefined) query.where('milliseconds', '<', filter.endDate.getTime());
  return query;
}

export async function sumMeterLog(db: Db, filter: MeterLogFilter): Promise<number> {
  const row = await filtered(db, filter).sum({ total: 'value' }).first();
  return Number(row?.total ?? 0);
}

/** Sums per interval of `intervalMs` (per reporter unless aggregated), latest interval first, as Camunda orders them. */
export async function meterLogIntervals(
  db: Db,
  filter: MeterLogFilter,
  options: { intervalMs: number; aggregateByReporter: boolean; firstResult: number; maxResults: number },
): Promise<MeterLogInterval[]> {
  const query = filtered(db, filter)
    .select('name', db.raw('(milliseconds / ?) * ? as bucket', [options.intervalMs, options.intervalMs]))
    .sum({ value: 'value' })
    // By the output column: a repeated expression with its own parameters would not match the selected one.
    .groupBy('name', 'bucket')
    .orderBy('bucket', 'desc')
    .orderBy('name', 'asc')
    .offset(options.firstResult)
    .limit(options.maxResults);
  if (!options.aggregateByReporter) query.select('reporter').groupBy('reporter').orderBy('reporter', 'asc');
  const rows = (await query) as Array<{ name: string; bucket: string | number; value: string | number; reporter?: string }>;
  return rows.map((row) => ({ timestamp: new Date(Number(row.bucket)), name: row.name, reporter: row.reporter ?? null, value: Number(row.value) }));
}

/** Deletes the task-worker meter rows (all, or those reported before `before`); how many went. */
export async function deleteTaskWorkerMetrics(db: Db, before: Date | undefined): Promise<number> {
  const query = db('meter_log').where('name', 'unique-task-workers');
  if (before !== undefined) query.where('milliseconds', '<', before.getTime());
  return query.delete();
}
