/** `/metrics` under /engine-rest: Camunda's meter log as interval lists (`GET /metrics`) and sums (`/metrics/{name}/sum`). */
import { Router } from 'express';
import { parseCamundaDate } from '../../core/camunda-date.js';
import { InvalidRequestError } from '../../core/errors.js';
import { deleteTaskWorkerMetrics, metricIntervals, sumMetric } from '../../services/metrics-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { dateValue } from '../dtos/date-value.js';
import { requestQuery, type QueryReader } from '../query-reader.js';
import { sendJson, sendNoContent } from '../respond.js';

/** Java's ranges of the resource's `interval` (a Long) and paging (Integers), as its converters check them. */
const JAVA_RANGES = { Long: 2n ** 63n, Integer: 2n ** 31n } as const;

function atLeast(query: QueryReader, name: string, javaType: keyof typeof JAVA_RANGES, min: number): number | undefined {
  const text = query.string(name);
  if (text === undefined) return undefined;
  const range = JAVA_RANGES[javaType];
  if (!/^[-+]?\d+$/.test(text) || BigInt(text) < -range || BigInt(text) >= range) throw new InvalidRequestError(400, `Cannot convert value ${text} to java type java.lang.${javaType}`);
  const value = Number(text);
  if (value < min) throw new InvalidRequestError(400, `Cannot set query parameter '${name}' to value '${value}': it must be at least ${min}`);
  return value;
}

/** Camunda's metrics resource converts its dates itself, so a bad one reads as its converter's failure. */
function metricsDate(query: QueryReader, name: string): Date | undefined {
  const text = query.string(name);
  if (text === undefined) return undefined;
  try {
    return parseCamundaDate(text);
  } catch {
    throw new InvalidRequestError(400, `Cannot convert value "${text}" to java type java.util.Date`);
  }
}

export function camundaMetricsRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.get('/metrics', async (req, res) => {
    const query = requestQuery(req);
    const intervals = await metricIntervals(ctx, {
      name: query.string('name'),
      reporter: query.string('reporter'),
      startDate: metricsDate(query, 'startDate'),
      endDate: metricsDate(query, 'endDate'),
      intervalSeconds: atLeast(query, 'interval', 'Long', 1),
      // As Camunda's REST layer: the parameter's presence aggregates, whatever its value.
      aggregateByReporter: query.string('aggregateByReporter') !== undefined,
      firstResult: atLeast(query, 'firstResult', 'Integer', 0),
      maxResults: atLeast(query, 'maxResults', 'Integer', 0),
    });
    sendJson(res, intervals.map((row) => ({ timestamp: dateValue(row.timestamp), name: row.name, reporter: row.reporter, value: row.value })));
  });

  router.get('/metrics/:name/sum', async (req, res) => {
    const query = requestQuery(req);
    sendJson(res, { result: await sumMetric(ctx, req.params.name, { startDate: metricsDate(query, 'startDate'), endDate: metricsDate(query, 'endDate') }) });
  });

  router.delete('/metrics/task-worker', async (req, res) => {
    const date = requestQuery(req).string('date');
    let before: Date | undefined;
    try {
      before = date === undefined ? undefined : parseCamundaDate(date);
    } catch {
      throw new InvalidRequestError(400, `Cannot convert value "${date}" to java type java.util.Date`);
    }
    await deleteTaskWorkerMetrics(ctx, before);
    sendNoContent(res);
  });

  return router;
}
