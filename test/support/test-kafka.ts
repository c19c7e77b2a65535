/** Starts a throwaway Kafka broker for a suite (or skips it where none can run) and makes quiet kafkajs clients for it. */
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import { kafkaJarsDir, kafkaUnavailableReason, startKafkaBroker, stopAllKafkaBrokers, type KafkaBroker } from '../../scripts/kafka-broker.mjs';
import { existsSync } from 'node:fs';
import { skipOrFail } from './skip-report.js';

export type { KafkaBroker } from '../../scripts/kafka-broker.mjs';

/** Start (4–10 s on 2 cores) plus the admin wait; a first Maven download of the jars gets more below. */
const START_TIMEOUT_MS = 180_000;
const FETCH_ALLOWANCE_MS = 600_000;
const ADMIN_WAIT_MS = 60_000;
const ADMIN_RETRY_MS = 500;

let exitHandlerRegistered = false;

/** Mocha exits with process.exit() (.mocharc `exit: true`), which runs 'exit' handlers but no after hooks of an aborted run. */
function killBrokersOnExit(): void {
  if (exitHandlerRegistered) return;
  exitHandlerRegistered = true;
  process.on('exit', stopAllKafkaBrokers);
}

/**
 * kafkajs's connection layer logs every error answer at ERROR, also the retriable ones a fresh or restarted broker
 * gives while its coordinators load; the caller retries those or throws, so only the other errors are printed.
 */
const quietLogCreator: logCreator = () => ({ namespace, log }) => {
  if (namespace === 'Connection' && log.message.startsWith('Response ')) return;
  const { message, timestamp: _timestamp, logger: _logger, ...details } = log;
  console.error(`      kafkajs ${namespace}: ${message} ${JSON.stringify(details)}`);
};

/** A kafkajs client that logs errors only, so test output stays readable. */
export function testKafkaClient(broker: KafkaBroker, clientId = 'engine-test'): Kafka {
  return new Kafka({ clientId, brokers: broker.brokers, logLevel: logLevel.ERROR, logCreator: quietLogCreator });
}

/** Resolves once the broker answers an admin describeCluster (a started broker may still be settling its metadata). */
export async function waitForKafkaAdmin(broker: KafkaBroker, timeoutMs = ADMIN_WAIT_MS): Promise<void> {
  const kafka = new Kafka({ clientId: 'engine-test-wait', brokers: broker.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Kafka on ${broker.brokers.join(',')} did not answer describeCluster within ${timeoutMs / 1000} s: ${(error as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, ADMIN_RETRY_MS));
  }
}

/**
 * For a `before` hook: starts a broker on a fresh temp dir and waits until it answers; skips (fails under CI=true)
 * when no broker can run here. Sets the hook's timeout itself. Call `remove()` on the handle in `after`.
 */
export async function startTestKafka(ctx: Mocha.Context, suite: string): Promise<KafkaBroker> {
  const reason = process.env.KAFKA_UNAVAILABLE_REASON || kafkaUnavailableReason();
  if (reason) return skipOrFail(ctx, suite, reason);
  killBrokersOnExit();
  // Run outside npm test, the jars may not be fetched yet: that happens here, once.
  ctx.timeout(existsSync(kafkaJarsDir().marker) ? START_TIMEOUT_MS : START_TIMEOUT_MS + FETCH_ALLOWANCE_MS);
  const broker = await startKafkaBroker();
  try {
    await waitForKafkaAdmin(broker);
  } catch (error) {
    await broker.remove();
    throw error;
  }
  return broker;
}
