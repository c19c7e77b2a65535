/** What every service shares: the database, the definition cache, the clock, the logger and command options. */
import { systemClock, type Clock } from '../core/clock.js';
import { DefinitionCache, LiveEngines, type ScriptOptions } from '../engine/index.js';
import type { Database } from '../persistence/database.js';
import { DecisionModelCache } from './decision-model-cache.js';
import { deliverBroadcast } from './signal-broadcast.js';
import type { KafkaDelivery } from './external-task-delivery.js';
import type { SignalDelivery } from './signal-throws.js';
import type { EngineMetrics, KafkaMetrics } from '../telemetry/engine-metrics.js';
import { createEngineMetrics, type MeterReporting } from './engine-metrics-sources.js';

/**
 * Structured fields of a log line: identifiers (ids, keys, activity ids, topics, command names), types, codes and
 * durations only; never variable values or other data, and no error message that may quote them (errorFields()).
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Lines an operator turns on with LOG_LEVEL=debug (e.g. health probes); optional for test loggers. */
  debug?(message: string, fields?: LogFields): void;
}

export interface CommandOptions {
  /** Recover every instance a command touched after its commit and compare waits with rows. */
  selfCheck: boolean;
  /** Test-only crash window: sleep in the named command after its writes, before COMMIT, after letting `skip` of them commit. */
  pauseBeforeCommit: { command: string; ms: number; skip?: number } | null;
  /** How long a node delivering a signal broadcast holds it before another node may resume it. */
  signalBroadcastLeaseMs: number;
  /** A BPMN error no boundary event catches: end the execution with a warning (Camunda's default) or raise an incident. */
  unhandledBpmnError: 'end' | 'incident';
  /** Script languages: FEEL always; JavaScript (node:vm, no sandbox) only when the operator enabled it. */
  scripts: ScriptOptions;
  /** DELEGATES_AS_EXTERNAL_TASKS: deploy Java delegates as external tasks on the class or bean name. */
  delegatesAsExternalTasks: boolean;
  /** TIMER_TIME_ZONE: the IANA zone (or 'system') timers count calendar units in. */
  timeZone: string;
  /** KAFKA_*: external-task topics delivered over Kafka through the outbox; null without brokers. */
  kafka: KafkaDelivery | null;
  /** RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS: record only operations of an authenticated user (Camunda's default). */
  restrictUserOperationLogToAuthenticatedUsers: boolean;
  /** ENGINE_CACHE_SIZE: how many instances' engines this node keeps between commands; 0 recovers every command. */
  engineCacheSize: number;
}

/** What this node's Kafka transport did, for /metrics (the relay and the result consumer count). */
export type { KafkaMetrics } from '../telemetry/engine-metrics.js';

export interface ServiceContext {
  database: Database;
  cache: DefinitionCache;
  /** Engines kept between commands on this node, by instance (ENGINE_CACHE_SIZE). */
  liveEngines: LiveEngines;
  /** Parsed DMN models by decision definition id, per node. */
  decisions: DecisionModelCache;
  clock: Clock;
  logger: Logger;
  options: CommandOptions;
  /** This context's Prometheus registry and the meter counts not yet in the meter log. */
  metrics: EngineMetrics;
  kafkaMetrics: KafkaMetrics;
  /** Delivers the signals commands threw, after they committed. */
  signals: SignalDelivery;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Production defaults: no self-check, no test hooks, Camunda's handling of uncaught BPMN errors, no JavaScript. */
export const DEFAULT_COMMAND_OPTIONS: CommandOptions = {
  selfCheck: false,
  pauseBeforeCommit: null,
  signalBroadcastLeaseMs: 60_000,
  unhandledBpmnError: 'end',
  scripts: { javascript: false },
  delegatesAsExternalTasks: false,
  timeZone: 'system',
  kafka: null,
  restrictUserOperationLogToAuthenticatedUsers: true,
  engineCacheSize: 100,
};

/** The one way main, tests and benchmarks assemble a ServiceContext: fresh caches and counters on `database`. */
export function createServiceContext(database: Database, settings: { clock?: Clock; logger?: Logger; options?: Partial<CommandOptions>; meterReporting?: MeterReporting } = {}): ServiceContext {
  const options = { ...DEFAULT_COMMAND_OPTIONS, ...settings.options };
  const kafkaMetrics: KafkaMetrics = { published: 0, publishFailures: 0, relayBackoffMs: 0, lastPublishLagMs: 0, resultsApplied: 0, resultsIgnored: 0, resultsDeadLettered: 0 };
  const clock = settings.clock ?? systemClock;
  const liveEngines = new LiveEngines(options.engineCacheSize);
  const ctx: ServiceContext = {
    database,
    cache: new DefinitionCache(),
    liveEngines,
    decisions: new DecisionModelCache({ javascript: options.scripts.javascript }),
    clock,
    logger: settings.logger ?? silentLogger,
    options,
    metrics: createEngineMetrics(database, clock, options.kafka ? kafkaMetrics : null, liveEngines, settings.meterReporting),
    kafkaMetrics,
    signals: { deliver: (broadcast) => deliverBroadcast(ctx, broadcast) },
  };
  return ctx;
}
