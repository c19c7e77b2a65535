/**
 * The outbox relay of a node: publishes due deliveries to `<prefix>.jobs.<topic>` with an idempotent producer and
 * acks=-1, then deletes their rows; sweeps tasks no delivery covers. Kafka down: rows wait and the relay backs off.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { lockedExternalTaskDto } from '../server/dtos/external-task-dtos.js';
import { Backoff } from '../core/backoff.js';
import { toExactJson } from '../core/exact-json.js';
import { WakeUpTimer } from '../core/wake-up-timer.js';
import { OUTBOX_CHANNEL } from '../services/external-task-delivery.js';
import { completeDeliveries, leaseDeliveries, redeliverUndeliveredTasks, releaseDeliveries, type PendingDelivery } from '../services/external-task-publishing.js';
import type { ServiceContext } from '../services/service-context.js';
import { ENGINE_ATTRIBUTES, ENGINE_SPANS, inSpan, linksTo, untraced } from '../telemetry/engine-spans.js';
import { keepTraceparent, tracingEnabled } from '../telemetry/trace-context.js';
import type { TopicProvisioner } from './topic-provisioner.js';
import { errorFields } from '../telemetry/error-fields.js';

export interface OutboxRelayOptions {
  /** Rows leased and published per batch. */
  batchSize?: number;
  /** How long a lease holds: a relay that dies mid-batch loses its rows to another after this. */
  leaseMs?: number;
  /** The longest time between two looks at the outbox and two sweeps for undelivered tasks. */
  pollIntervalMs?: number;
}

function messageOf(delivery: PendingDelivery) {
  const headers: Record<string, string> = { attempt: String(delivery.attempt) };
  if (delivery.traceparent) headers.traceparent = delivery.traceparent;
  const message = { key: delivery.key, value: toExactJson(lockedExternalTaskDto(delivery.locked)), headers };
  // The worker continues the trace its task was created in, not the relay's.
  if (delivery.traceparent && tracingEnabled()) keepTraceparent(message, delivery.traceparent);
  return message;
}

export class OutboxRelay {
  private producer: Producer | null = null;
  private readonly wakeUps: WakeUpTimer;
  private running: Promise<void> | null = null;
  private stopped = false;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly backoff = new Backoff(500, 30_000);
  private lastSweep = 0;
  private drainAgain = false;

  constructor(private readonly ctx: ServiceContext, private readonly kafka: Kafka, private readonly topics: TopicProvisioner, private readonly options: OutboxRelayOptions = {}) {
    // Looking at the outbox is untraced, so an idle node sends no traces; a batch it publishes starts its own trace.
    this.wakeUps = new WakeUpTimer(() => void untraced(() => this.tick()), options.pollIntervalMs ?? 1_000);
  }

  async start(): Promise<void> {
    this.unlisten = await this.ctx.database.notifier.listen(OUTBOX_CHANNEL, (payload) => {
      const due = Date.parse(payload);
      this.wakeUps.schedule(Number.isNaN(due) ? Date.now() : due - this.ctx.clock.now().getTime() + Date.now());
    });
    this.wakeUps.schedule(Date.now());
  }

  /** Stops looking; a batch being published finishes first, so its rows are either deleted or left for later. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUps.stop();
    await this.unlisten?.();
    await this.running;
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Publishes every due delivery now (the relay's own loop calls it; tests may too). */
  publishDue(): Promise<void> {
    if (this.running) {
      // Rows announced while a drain runs may come after its last lease: drain once more when it ends.
      this.drainAgain = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.drainAgain = false;
        await this.drain();
      } while (this.drainAgain && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      // Few retries inside kafkajs: the relay's own back-off takes over, with the rows' leases given back meanwhile.
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } });
    }
    // connect() on a connected producer returns at once; after a lost broker it reconnects.
    await this.producer.connect();
    return this.producer;
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    if (Date.now() - this.lastSweep >= (this.options.pollIntervalMs ?? 1_000)) {
      this.lastSweep = Date.now();
      await redeliverUndeliveredTasks(this.ctx, batchSize);
    }
    while (!this.stopped) {
      const deliveries = await leaseDeliveries(this.ctx, { leaseMs: this.options.leaseMs ?? 30_000, limit: batchSize });
      if (deliveries.length === 0) return;
      await this.publish(deliveries);
      if (deliveries.length < batchSize) return;
    }
  }

  private publish(deliveries: PendingDelivery[]): Promise<void> {
    return inSpan(ENGINE_SPANS.publish, () => ({ [ENGINE_ATTRIBUTES.externalTaskCount]: deliveries.length, [ENGINE_ATTRIBUTES.externalTaskId]: deliveries.map((delivery) => delivery.locked.task.id) }), () => this.send(deliveries), {
      root: true,
      links: () => linksTo(deliveries.map((delivery) => delivery.traceparent)),
    });
  }

  private async send(deliveries: PendingDelivery[]): Promise<void> {
    const byTopic = new Map<string, PendingDelivery[]>();
    for (const delivery of deliveries) byTopic.set(delivery.topic, [...(byTopic.get(delivery.topic) ?? []), delivery]);
    const ids = deliveries.map((delivery) => delivery.outboxId);
    try {
      await this.topics.ensure(byTopic.keys());
      const producer = await this.connectedProducer();
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, batch]) => ({ topic, messages: batch.map(messageOf) })) });
    } catch (error) {
      await releaseDeliveries(this.ctx, ids);
      throw error;
    }
    const now = this.ctx.clock.now().getTime();
    this.ctx.kafkaMetrics.published += deliveries.length;
    this.ctx.kafkaMetrics.lastPublishLagMs = Math.max(0, ...deliveries.map((delivery) => now - delivery.dueAt.getTime()));
    await completeDeliveries(this.ctx, ids);
  }

  private async tick(): Promise<void> {
    try {
      await this.publishDue();
      const recovered = this.backoff.reset();
      this.wakeUps.notBefore = 0;
      this.ctx.kafkaMetrics.relayBackoffMs = 0;
      if (recovered > 0) this.ctx.logger.info(`Outbox relay: Kafka reachable again after ${recovered} failed attempt(s); deliveries resumed`);
      // New and retried deliveries announce when they are due (NOTIFY); the poll interval covers lapsed leases.
      this.wakeUps.schedule(Number.POSITIVE_INFINITY);
    } catch (error) {
      this.ctx.kafkaMetrics.publishFailures += 1;
      const delay = this.backoff.next();
      this.ctx.kafkaMetrics.relayBackoffMs = delay;
      // One warning when an outage begins, then one every tenth attempt: the rows wait in the outbox meanwhile.
      if (this.backoff.consecutive % 10 === 1) {
        this.ctx.logger.warn(`Outbox relay: cannot publish to Kafka; deliveries wait in the outbox, next attempt in ${delay} ms`, { err: errorFields(error) });
      }
      // While Kafka is away, new rows do not cut the back-off short.
      this.wakeUps.notBefore = Date.now() + delay;
      this.wakeUps.clear();
      this.wakeUps.schedule(this.wakeUps.notBefore);
    }
  }
}
