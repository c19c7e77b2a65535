/** createWorker: subscriptions of typed handlers to external task topics, run over REST long polling or Kafka. */
import type { z } from 'zod';
import { createKafkaTransport } from './kafka-transport.js';
import { createRestTransport } from './rest-transport.js';
import type { RunningSubscription, Transport } from './transport.js';
import { CONSOLE_LOGGER, resolveSubscription, validateWorkerOptions, type Subscription, type SubscribeOptions, type WorkerOptions } from './worker-options.js';
import type { TaskHandler } from './worker-task.js';

type Variables = Record<string, unknown>;

/** What a handler sees as `task.variables`: the input schema's output, or every variable as a plain value. */
export type InputOf<Schema> = Schema extends z.ZodType ? z.output<Schema> : Variables;
/** What `task.complete` takes: the output schema's input, or any variables. */
export type OutputOf<Schema> = Schema extends z.ZodType ? z.input<Schema> : Variables;

export interface Worker {
  /**
   * Runs `handler` for the tasks of `topicName`, typed by the schemas in `options`. Subscribing after `start()` begins at
   * once; a topic takes one subscription per worker.
   */
  subscribe<InputSchema extends z.ZodType | undefined = undefined, OutputSchema extends z.ZodType | undefined = undefined>(
    topicName: string,
    handler: TaskHandler<InputOf<InputSchema>, OutputOf<OutputSchema>>,
    options?: SubscribeOptions<InputSchema, OutputSchema>,
  ): Worker;
  /**
   * Starts fetching (REST) or consuming (Kafka) for every subscription. Nothing runs before it is called. Resolves at once:
   * an unreachable engine or broker is retried in the background and logged.
   */
  start(): Promise<void>;
  /**
   * Graceful: stops fetching or consuming, waits for the running handlers to end and their answers to be delivered, then
   * disconnects. A stopped worker cannot start again.
   */
  stop(): Promise<void>;
}

type State = 'created' | 'started' | 'stopping' | 'stopped';

export function createWorker(options: WorkerOptions): Worker {
  validateWorkerOptions(options);
  const logger = options.logger ?? CONSOLE_LOGGER;
  const transport: Transport = options.transport === 'rest' ? createRestTransport(options, logger) : createKafkaTransport(options, logger);
  const subscriptions = new Map<string, Subscription>();
  const running: RunningSubscription[] = [];
  let state: State = 'created';
  let stopping: Promise<void> | undefined;

  function run(subscription: Subscription): void {
    running.push(transport.consume(subscription));
    logger.info(`worker ${options.workerId} subscribed to ${subscription.topicName} over ${options.transport}`);
  }

  const worker: Worker = {
    subscribe(topicName, handler, subscribeOptions = {}) {
      if (state === 'stopping' || state === 'stopped') throw new Error(`worker ${options.workerId} was stopped; it takes no new subscriptions`);
      if (subscriptions.has(topicName)) throw new Error(`worker ${options.workerId} already subscribes to topic ${topicName}`);
      const subscription = resolveSubscription(topicName, handler as TaskHandler<unknown, unknown>, subscribeOptions);
      subscriptions.set(topicName, subscription);
      if (state === 'started') run(subscription);
      return worker;
    },

    async start() {
      if (state === 'started') return;
      if (state !== 'created') throw new Error(`worker ${options.workerId} was stopped; create a new one`);
      state = 'started';
      for (const subscription of subscriptions.values()) run(subscription);
    },

    stop() {
      stopping ??= (async () => {
        state = 'stopping';
        await Promise.all(running.map((subscription) => subscription.stop()));
        await transport.close();
        state = 'stopped';
        logger.info(`worker ${options.workerId} stopped`);
      })();
      return stopping;
    },
  };
  return worker;
}
