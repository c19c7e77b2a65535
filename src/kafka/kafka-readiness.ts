/** The Kafka readiness check: one cheap admin call (describeCluster) with a short timeout, its answer cached briefly. */
import { logLevel } from 'kafkajs';
import { CHECK_TIMEOUT_MS, downBecause, withTimeout, type CheckResult, type ReadinessCheck } from '../services/readiness.js';
import { connectKafka, type KafkaConnectionSettings } from './kafka-connection.js';

export interface KafkaReadinessOptions {
  /** How long an answer is reused: probes every few seconds from several balancers must not each open a connection. */
  cacheMs?: number;
  timeoutMs?: number;
}

export function kafkaReadinessCheck(settings: KafkaConnectionSettings, options: KafkaReadinessOptions = {}): ReadinessCheck {
  const cacheMs = options.cacheMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const kafka = connectKafka(settings, { retry: { retries: 0 }, connectionTimeout: Math.min(timeoutMs, 1_000), logLevel: logLevel.NOTHING });
  let cached: { at: number; result: Promise<CheckResult> } | null = null;

  async function probe(): Promise<CheckResult> {
    const admin = kafka.admin();
    try {
      const cluster = await withTimeout(admin.connect().then(() => admin.describeCluster()), timeoutMs);
      return { status: 'UP', brokers: cluster.brokers.length };
    } catch (error) {
      return downBecause(error);
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  return {
    name: 'kafka',
    check() {
      // One probe at a time; a finished one answers later calls until it is cacheMs old.
      if (!cached || Date.now() - cached.at > cacheMs) cached = { at: Date.now(), result: probe() };
      return cached.result;
    },
  };
}
