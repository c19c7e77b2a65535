/** Wires a context's metrics to what they read at scrape time: the database's cluster gauges and the pool. */
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import { poolUsage, readClusterGauges } from '../persistence/cluster-metrics-repository.js';
import type { Database } from '../persistence/database.js';
import type { LiveEngines } from '../engine/index.js';
import { EngineMetrics, JOB_OVERDUE_AFTER_SECONDS, type KafkaMetrics, type MeterReporting } from '../telemetry/engine-metrics.js';

export type { MeterReporting } from '../telemetry/engine-metrics.js';

/** Camunda's default: a node writes its meter counts every 15 minutes, under its host name. */
export const DEFAULT_METER_REPORTING: MeterReporting = { reporter: hostname(), intervalMs: 15 * 60_000 };

export function createEngineMetrics(database: Database, clock: Clock, kafka: KafkaMetrics | null, liveEngines: LiveEngines, reporting: MeterReporting = DEFAULT_METER_REPORTING): EngineMetrics {
  return new EngineMetrics(
    {
      cluster: () => readClusterGauges(database.knex, clock.now(), JOB_OVERDUE_AFTER_SECONDS * 1000, kafka !== null),
      pool: () => poolUsage(database),
      now: () => clock.now(),
      kafka,
      liveEngines,
    },
    reporting,
  );
}
