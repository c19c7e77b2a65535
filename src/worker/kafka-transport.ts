/** The Kafka transport (wire contract v1): one consumer group per subscription, answers through one idempotent producer. */
import { Kafka, logLevel, Partitioners, type Consumer, type EachMessagePayload, type LogEntry, type Producer } from 'kafkajs';
import { Backoff, sleep } from '../core/backoff.js';
import { HandledJobs } from './handled-jobs.js';
import { handleJobMessage } from './kafka-job-handler.js';
import type { OutgoingResultMessage } from './kafka-messages.js';
import type { RunningSubscription, Transport } from './transport.js';
import { jobTopic, resultTopic } from './wire-contract.js';
import type { KafkaWorkerOptions, Subscription, WorkerLogger } from './worker-options.js';

const CONNECT_BACKOFF = { initialMs: 1000, maxMs: 10_000 };
const SEND_BACKOFF = { initialMs: 500, maxMs: 5000 };
/** A long handler heartbeats meanwhile, so the group does not think the consumer dead and hand its partition to another. */
const HEARTBEAT_MS = 3000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** kafkajs' own errors are mostly outages this transport retries, so they are warnings; it reports what is lost as errors. */
function kafkaLogs(logger: WorkerLogger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const text = `kafkajs ${namespace}: ${log.message}`;
      if (level <= logLevel.WARN) logger.warn(text);
      else logger.info(text);
    };
}

/**
 * Produces result messages. A send is tried until the broker acknowledges it (acks from all in-sync replicas), across
 * outages: the job's offset is committed only after that, and an answer must not be lost. A retry after an ambiguous
 * failure may publish an answer twice, so the engine must take results as at-least-once (keyed by task and attempt).
 */
class ResultProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(kafka: Kafka, private readonly topic: string, private readonly logger: WorkerLogger) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: SEND_BACKOFF.maxMs },
    });
  }

  async send(message: OutgoingResultMessage, what: string): Promise<void> {
    const backoff = new Backoff(SEND_BACKOFF.initialMs, SEND_BACKOFF.maxMs);
    for (;;) {
      try {
        await this.connect();
        await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
        return;
      } catch (error) {
        this.connected = null;
        const wait = backoff.next();
        this.logger.warn(`producing ${what} to ${this.topic} failed (${messageOf(error)}); trying again in ${wait} ms`);
        await sleep(wait);
      }
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }
}

/** Consumes one subscription's job topic, reconnecting while the broker or the topic is missing and after a crash. */
class TopicConsumer implements RunningSubscription {
  private readonly stopper = new AbortController();
  private readonly stopped: Promise<void>;
  private readonly loop: Promise<void>;
  private readonly topic: string;
  private readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaWorkerOptions,
    private readonly subscription: Subscription,
    private readonly producer: ResultProducer,
    private readonly handled: HandledJobs,
    private readonly logger: WorkerLogger,
  ) {
    this.topic = jobTopic(options.topicPrefix, subscription.topicName);
    this.groupId = subscription.groupId ?? `${options.groupId ?? `${options.topicPrefix}.workers`}.${subscription.topicName}`;
    this.stopped = new Promise((resolve) => this.stopper.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.loop = this.consume();
  }

  /** Stops fetching; kafkajs lets the running messages finish (answers produced) and commits their offsets before leaving. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  private async consume(): Promise<void> {
    const backoff = new Backoff(CONNECT_BACKOFF.initialMs, CONNECT_BACKOFF.maxMs);
    while (!this.stopper.signal.aborted) {
      const consumer = this.kafka.consumer({
        groupId: this.groupId,
        allowAutoTopicCreation: false,
      });
      let problem: string | undefined;
      try {
        const crashed = this.crashOf(consumer);
        await consumer.connect();
        await consumer.subscribe({ topic: this.topic, fromBeginning: true });
        await consumer.run({ partitionsConsumedConcurrently: this.subscription.concurrency, eachMessage: (payload) => this.handle(payload) });
        backoff.reset();
        this.logger.info(`consuming ${this.topic} in group ${this.groupId}`);
        const crash = await Promise.race([crashed, this.stopped]);
        if (crash !== undefined) this.logger.error(`the consumer of ${this.topic} crashed (${crash}); starting it again`);
      } catch (error) {
        // The broker is down, or the topic does not exist yet (the engine creates it).
        problem = messageOf(error);
      }
      await consumer.disconnect().catch((error: unknown) => this.logger.warn(`disconnecting the consumer of ${this.topic} failed: ${messageOf(error)}`));
      if (this.stopper.signal.aborted) break;
      const wait = backoff.next();
      if (problem !== undefined) this.logger.warn(`cannot consume ${this.topic} yet (${problem}); trying again in ${wait} ms`);
      await sleep(wait, this.stopper.signal);
    }
  }

  /** Resolves with the error when kafkajs gives up on the consumer (a crash it will not restart by itself). */
  private crashOf(consumer: Consumer): Promise<string> {
    return new Promise((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) resolve(messageOf(event.payload.error));
      });
    });
  }

  private async handle({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const beat = setInterval(() => void heartbeat().catch(() => {}), HEARTBEAT_MS);
    try {
      await handleJobMessage(message, { topic, partition, offset: message.offset }, {
        subscription: this.subscription,
        workerId: this.options.workerId,
        handled: this.handled,
        produce: (result, what) => this.producer.send(result, what),
        logger: this.logger,
      });
    } finally {
      clearInterval(beat);
    }
  }
}

export function createKafkaTransport(options: KafkaWorkerOptions, logger: WorkerLogger): Transport {
  const kafka = new Kafka({
    clientId: options.clientId ?? options.workerId,
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: logLevel.ERROR,
    logCreator: kafkaLogs(logger),
    // Connections retry briefly, so a connect or subscribe gives up within seconds and a stop is not held up; the consumer
    // loop and the result producer retry longer outages themselves (producing an answer until it is acknowledged).
    retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 2000 },
  });
  const producer = new ResultProducer(kafka, resultTopic(options.topicPrefix), logger);
  const handled = new HandledJobs();
  return {
    consume: (subscription) => new TopicConsumer(kafka, options, subscription, producer, handled, logger),
    close: () => producer.close(),
  };
}
