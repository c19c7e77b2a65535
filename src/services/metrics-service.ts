/**
 * Camunda's metrics resource over the meter log: sums and interval lists, with this node's counts not reported yet
 * added as Camunda's MeterLogManager adds them (to a sum, and to the latest interval of this reporter).
 */
import { ProcessEngineError } from '../core/errors.js';
import { requireAdministrator } from './identity-service.js';
import { deleteTaskWorkerMetrics as deleteTaskWorkerRows, meterLogIntervals, sumMeterLog, type MeterLogInterval } from '../persistence/meter-log-repository.js';
import type { ServiceContext } from './service-context.js';

/** Camunda's public metric names that stand for an internal one (MetricsUtil.resolveInternalName). */
const INTERNAL_NAMES: Readonly<Record<string, string>> = {
  'task-users': 'unique-task-workers',
  'process-instances': 'root-process-instance-start',
  'decision-instances': 'executed-decision-instances',
  'flow-node-instances': 'activity-instance-start',
};

/** Camunda's cap on an interval query (MetricsQueryImpl.DEFAULT_LIMIT_SELECT_INTERVAL), also its default page size. */
export const MAX_INTERVAL_RESULTS = 200;
/** Camunda's default interval: 15 minutes. */
export const DEFAULT_INTERVAL_SECONDS = 900;

export interface MetricIntervalQuery {
  name?: string;
  reporter?: string;
  startDate?: Date;
  endDate?: Date;
  intervalSeconds?: number;
  aggregateByReporter: boolean;
  firstResult?: number;
  maxResults?: number;
}

function internalName(name: string): string {
  return INTERNAL_NAMES[name] ?? name;
}

/** Whether this node's unreported counts belong in the answer: the query reaches past the last report. */
function reachesUnreported(ctx: ServiceContext, endDate: Date | undefined): boolean {
  return endDate === undefined || endDate.getTime() >= ctx.clock.now().getTime() - ctx.metrics.reporting.intervalMs;
}

export async function sumMetric(ctx: ServiceContext, name: string, range: { startDate?: Date; endDate?: Date }): Promise<number> {
  const internal = internalName(name);
  const logged = await sumMeterLog(ctx.database.knex, { name: internal, ...range });
  return logged + (reachesUnreported(ctx, range.endDate) ? ctx.metrics.unreportedCount(internal) : 0);
}

export async function metricIntervals(ctx: ServiceContext, query: MetricIntervalQuery): Promise<MeterLogInterval[]> {
  const maxResults = query.maxResults ?? MAX_INTERVAL_RESULTS;
  if (maxResults > MAX_INTERVAL_RESULTS) throw new ProcessEngineError(`Metrics interval query row limit can't be set larger than ${MAX_INTERVAL_RESULTS}.`);
  const name = query.name === undefined ? undefined : internalName(query.name);
  const intervals = await meterLogIntervals(
    ctx.database.knex,
    { name, reporter: query.reporter, startDate: query.startDate, endDate: query.endDate },
    { intervalMs: (query.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000, aggregateByReporter: query.aggregateByReporter, firstResult: query.firstResult ?? 0, maxResults },
  );
  const [latest] = intervals;
  // This node's unreported counts join its own row (or the aggregated one) of the latest interval, on the first page only.
  if (latest && (query.firstResult ?? 0) === 0 && reachesUnreported(ctx, query.endDate)) {
    const reporter = ctx.metrics.reporting.reporter;
    for (const row of intervals) {
      const ours = row.reporter === reporter || row.reporter === null;
      if (ours && row.timestamp.getTime() === latest.timestamp.getTime()) row.value += ctx.metrics.unreportedCount(row.name);
    }
  }
  // As Camunda's REST layer: a list asked for one metric names it as asked (e.g. process-instances).
  return query.name === undefined ? intervals : intervals.map((row) => ({ ...row, name: query.name! }));
}

/**
 * Camunda's deleteTaskMetrics: removes the task-worker counts (`unique-task-workers`, shown as `task-users`), all of
 * them or those reported before `before`; an administrator's operation.
 */
export async function deleteTaskWorkerMetrics(ctx: ServiceContext, before: Date | undefined): Promise<void> {
  requireAdministrator();
  await deleteTaskWorkerRows(ctx.database.knex, before);
}
