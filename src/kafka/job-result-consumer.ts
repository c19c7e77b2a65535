/**
 * Applies workers' results from `<prefix>.job-results`, each in one command fenced by task id and attempt. Results for
 * an earlier delivery or a task that is gone are acknowledged and ignored; unreadable ones, and ones the engine refuses,
 * go to the dead-letter topic with a header `error`; any other failure (the database) is retried: the offset stays.
 */
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { sleep } from '../core/backoff.js';
import { CamundaError } from '../core/errors.js';
import { parseExactJson } from '../core/exact-json.js';
import { deadLetterTopic, resultTopic } from '../core/kafka-topics.js';
import { StaleResultError } from '../services/external-task-service.js';
import { applyJobResult, type JobResult } from '../services/external-task-publishing.js';
import type { ServiceContext } from '../services/service-context.js';
import { errorFields } from '../telemetry/error-fields.js';
import { withTraceparent } from '../telemetry/trace-context.js';
import { jobResultSchema } from '../worker/wire-contract.js';
import type { TopicProvisioner } from './topic-provisioner.js';

export type ResultOutcome = 'applied' | 'ignored' | 'dead-lettered';

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The result a message carries, or why it cannot be one. */
export function readJobResult(value: Buffer | null): { result: JobResult } | { error: string } {
  if (value === null) return { error: 'the message has no value' };
  let parsed: unknown;
  try {
    parsed = parseExactJson(value.toString('utf8'));
  } catch (error) {
    return { error: `the value is not JSON: ${(error as Error).message}` };
  }
  const checked = jobResultSchema.safeParse(parsed);
  if (!checked.success) {
    return { error: `the value is not a job result (wire contract v1): ${checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}` };
  }
  return { result: checked.data as JobResult };
}

export class JobResultConsumer {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private readonly stopper = new AbortController();
  private starting: Promise<void> | null = null;

  constructor(private readonly ctx: ServiceContext, private readonly kafka: Kafka, private readonly topics: TopicProvisioner, private readonly options: { topicPrefix: string; groupId?: string; partitionsConsumedConcurrently?: number }) {}

  /** Joins the engine's consumer group in the background, retrying while Kafka is away. */
  start(): void {
    this.starting = this.connect();
  }

  private async connect(): Promise<void> {
    let delay = 500;
    while (!this.stopper.signal.aborted) {
      try {
        // A consumer that crashed, or a failed attempt, leaves its producer behind.
        await this.producer?.disconnect().catch(() => undefined);
        const consumer = this.kafka.consumer({ groupId: this.options.groupId ?? `${this.options.topicPrefix}.engine`, allowAutoTopicCreation: false, retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 } });
        this.consumer = consumer;
        this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
        // Created here too: Kafka may have been away when the server started.
        await this.topics.ensure([resultTopic(this.options.topicPrefix), deadLetterTopic(this.options.topicPrefix)]);
        // A stop between these steps ends the join here; stop() disconnects what has connected by then.
        if (this.stopper.signal.aborted) return;
        await this.producer.connect();
        if (this.stopper.signal.aborted) return;
        await consumer.connect();
        if (this.stopper.signal.aborted) return;
        await consumer.subscribe({ topics: [resultTopic(this.options.topicPrefix)], fromBeginning: true });
        if (this.stopper.signal.aborted) return;
        consumer.on(consumer.events.CRASH, (event) => {
          this.ctx.logger.warn('Job result consumer crashed; it starts again', { err: errorFields(event.payload.error) });
          // kafkajs restarts it after a retriable error; after any other it is left stopped, so join again here.
          if (!event.payload.restart && !this.stopper.signal.aborted) {
            this.starting = consumer.disconnect().catch(() => undefined).then(() => this.connect());
          }
        });
        await consumer.run({
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
          eachMessage: async ({ message, partition }) => {
            await this.handle(message, partition);
          },
        });
        return;
      } catch (error) {
        if (this.stopper.signal.aborted) return;
        this.ctx.logger.warn(`Job result consumer: cannot join Kafka; retrying in ${delay} ms`, { err: errorFields(error) });
        await this.consumer?.disconnect().catch(() => undefined);
        await sleep(delay, this.stopper.signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    // disconnect() lets the message being applied finish and commits its offset; it also ends a connect still trying,
    // and the abort ends the retry loop's sleep.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.starting;
    // A join that was between its steps when the first disconnect ran may have connected since.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Applies one message; throws only for failures worth retrying (the database), so its offset stays uncommitted. */
  async handle(message: KafkaMessage, partition: number): Promise<ResultOutcome> {
    const read = readJobResult(message.value);
    if ('error' in read) return this.deadLetter(message, partition, read.error, { reason: 'unreadable' });
    try {
      await withTraceparent(headerText(message.headers, 'traceparent'), () => applyJobResult(this.ctx, read.result));
      this.ctx.kafkaMetrics.resultsApplied += 1;
      return 'applied';
    } catch (error) {
      if (error instanceof StaleResultError || (error instanceof CamundaError && error.status === 404)) {
        this.ctx.kafkaMetrics.resultsIgnored += 1;
        return 'ignored';
      }
      // The engine refused it (bad variables, an expired lock, a failing expression): trying again would not help.
      if (error instanceof CamundaError) return this.deadLetter(message, partition, `${error.type}: ${error.message}`, { reason: error.type, command: `${read.result.action} external task`, externalTaskId: read.result.taskId });
      throw error;
    }
  }

  /** `error` travels in the dead-letter message's header; the log gets `fields`, since the error may quote the result's data. */
  private async deadLetter(message: KafkaMessage, partition: number, error: string, fields: Record<string, unknown>): Promise<ResultOutcome> {
    this.ctx.logger.warn(`Job result at ${resultTopic(this.options.topicPrefix)}/${partition}@${message.offset} goes to the dead-letter topic`, fields);
    await this.producer!.send({
      topic: deadLetterTopic(this.options.topicPrefix),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers: { ...message.headers, error, 'source-partition': String(partition), 'source-offset': message.offset } }],
    });
    this.ctx.kafkaMetrics.resultsDeadLettered += 1;
    return 'dead-lettered';
  }
}
