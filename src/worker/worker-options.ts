/** The worker's options (transport, subscriptions, logger), their defaults, and their validation at creation time. */
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import type { z } from 'zod';
import type { TaskHandler } from './worker-task.js';

/** Where the SDK reports what happens. It never logs variable values: they may carry patient data. */
export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

interface CommonWorkerOptions {
  /** Names this worker to the engine: it holds the task locks. */
  workerId: string;
  /** Default: info is dropped, warnings and errors go to console.warn and console.error. */
  logger?: WorkerLogger;
}

export interface RestWorkerOptions extends CommonWorkerOptions {
  transport: 'rest';
  /** The REST root, e.g. `http://localhost:8080/engine-rest`. */
  baseUrl: string;
  /** HTTP Basic authentication. */
  auth?: { username: string; password: string };
  /** How long the engine parks an empty fetchAndLock, in ms. Default 20000. */
  asyncResponseTimeout?: number;
}

export interface KafkaWorkerOptions extends CommonWorkerOptions {
  transport: 'kafka';
  brokers: string[];
  /** The prefix of every topic: jobs come from `<topicPrefix>.jobs.<topicName>`, answers go to `<topicPrefix>.job-results`. */
  topicPrefix: string;
  /**
   * The prefix of the consumer groups: each subscription consumes in its own group `<groupId>.<topicName>`.
   * Default `<topicPrefix>.workers`. A subscription's own `groupId` option names its group outright.
   */
  groupId?: string;
  /** The Kafka client id. Default the workerId. */
  clientId?: string;
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
}

export type WorkerOptions = RestWorkerOptions | KafkaWorkerOptions;

export interface SubscribeOptions<InputSchema extends z.ZodType | undefined = undefined, OutputSchema extends z.ZodType | undefined = undefined> {
  /** Checks (and types) the task's variables before the handler runs; a mismatch is answered as a failure with no retries. */
  variables?: InputSchema;
  /** Checks (and types) what `complete` sends; a mismatch is answered as a failure with no retries. */
  output?: OutputSchema;
  /** REST: the lock taken per fetched task, in ms. Default 30000. (Over Kafka the engine locks when it publishes.) */
  lockDuration?: number;
  /** REST: the most tasks one fetchAndLock may lock. Default 10 (never more than the free handler slots). */
  maxTasks?: number;
  /** How many handlers run at once. Default 1. Over Kafka: partitions consumed concurrently. */
  concurrency?: number;
  /** Retries left after the first failure, when the task has no retries count yet. Default 3. */
  retries?: number;
  /** How long a failed task waits before it is fetched again, in ms. Default 1000. */
  retryTimeout?: number;
  /** Kafka: this subscription's consumer group. Default `<groupId option>.<topicName>`. */
  groupId?: string;
}

/** A subscription with its defaults filled in. */
export interface Subscription {
  topicName: string;
  handler: TaskHandler<unknown, unknown>;
  variables: z.ZodType | undefined;
  output: z.ZodType | undefined;
  lockDuration: number;
  maxTasks: number;
  concurrency: number;
  retries: number;
  retryTimeout: number;
  groupId: string | undefined;
}

export const DEFAULTS = {
  asyncResponseTimeout: 20_000,
  lockDuration: 30_000,
  maxTasks: 10,
  concurrency: 1,
  retries: 3,
  retryTimeout: 1000,
} as const;

/** The default logger: quiet unless something went wrong. */
export const CONSOLE_LOGGER: WorkerLogger = {
  info() {},
  warn: (message) => console.warn(`[worker] ${message}`),
  error: (message) => console.error(`[worker] ${message}`),
};

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} must be a non-empty string`);
}

function requireCount(value: number | undefined, name: string, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

export function validateWorkerOptions(options: WorkerOptions): void {
  requireText(options.workerId, 'workerId');
  if (options.transport === 'rest') {
    requireText(options.baseUrl, 'baseUrl');
    requireCount(options.asyncResponseTimeout, 'asyncResponseTimeout', 0);
  } else if (options.transport === 'kafka') {
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) throw new TypeError('brokers must list at least one broker');
    requireText(options.topicPrefix, 'topicPrefix');
    if (options.groupId !== undefined) requireText(options.groupId, 'groupId');
  } else {
    throw new TypeError(`transport must be 'rest' or 'kafka', got ${String((options as { transport?: unknown }).transport)}`);
  }
}

export function resolveSubscription(topicName: string, handler: TaskHandler<unknown, unknown>, options: SubscribeOptions<z.ZodType | undefined, z.ZodType | undefined>): Subscription {
  requireText(topicName, 'topicName');
  if (typeof handler !== 'function') throw new TypeError(`the handler of topic ${topicName} must be a function`);
  requireCount(options.lockDuration, 'lockDuration', 1);
  requireCount(options.maxTasks, 'maxTasks', 1);
  requireCount(options.concurrency, 'concurrency', 1);
  requireCount(options.retries, 'retries', 0);
  requireCount(options.retryTimeout, 'retryTimeout', 0);
  if (options.groupId !== undefined) requireText(options.groupId, 'groupId');
  return {
    topicName,
    handler,
    variables: options.variables,
    output: options.output,
    lockDuration: options.lockDuration ?? DEFAULTS.lockDuration,
    maxTasks: options.maxTasks ?? DEFAULTS.maxTasks,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    retries: options.retries ?? DEFAULTS.retries,
    retryTimeout: options.retryTimeout ?? DEFAULTS.retryTimeout,
    groupId: options.groupId,
  };
}
