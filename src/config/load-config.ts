/** Parses the environment once into a typed, validated, frozen configuration: the only reader of process.env. */
import { hostname } from 'node:os';
import path from 'node:path';
import { IANAZone } from 'luxon';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; undefined selects the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** The embedded database's folder; null keeps it in memory (DATA_DIR=memory), which nothing survives. */
  readonly dataDir: string | null;
  readonly processesDir: string;
  readonly decisionsDir: string;
  /** The built browser app served at `/` (`npm run build` writes it). */
  readonly webAppDir: string;
  readonly maxUploadBytes: number;
  /** After every commit, recover the saved state and assert it matches the wait-state rows (always on in tests). */
  readonly selfCheck: boolean;
  readonly logLevel: string;
  /** A BPMN error no boundary event catches ends the execution (Camunda's default) or raises an incident. */
  readonly unhandledBpmnError: 'end' | 'incident';
  /** Parked long-polling fetchAndLock requests this node holds at most (Camunda's queue holds 200). */
  readonly maxPendingFetches: number;
  /** HTTP Basic users of the REST API (BASIC_AUTH_USERS="anna:secret,ben:other"); null leaves the API open. */
  readonly basicAuthUsers: ReadonlyMap<string, string> | null;
  /** Run JavaScript scripts (script tasks, listeners, mappings) in node:vm, which is no sandbox: trusted deployments only. */
  readonly javascriptScripts: boolean;
  /** Deploy Java delegates (camunda:class, a camunda:delegateExpression naming one bean) as external tasks on that name. */
  readonly delegatesAsExternalTasks: boolean;
  /** The IANA time zone timers count calendar units (days, months, years) and read dates without an offset in. */
  readonly timerTimeZone: string;
  /** Whether this node runs a job executor (timers), how long it holds a job, and how often it looks for due ones. */
  readonly jobExecutor: { readonly enabled: boolean; readonly lockDurationMs: number; readonly pollIntervalMs: number };
  /** Test-only crash window: pause the named command (e.g. "complete task") after its writes, before COMMIT. */
  /** How long a node delivering a signal broadcast holds it; another node resumes it after a crash once this passed. */
  readonly signalBroadcastLeaseMs: number;
  readonly testPauseBeforeCommit: { command: string; ms: number; skip: number } | null;
  /** The Kafka transport of external tasks (KAFKA_BROKERS); null when no brokers are configured. */
  readonly kafka: KafkaConfig | null;
  /** Camunda's meter log: this node's name in it and how often it writes its counts (0: never). */
  readonly metrics: { readonly reporter: string; readonly reportIntervalMs: number };
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Topics are `<prefix>.jobs.<topicName>`, `<prefix>.job-results` and `<prefix>.job-results.dlq`. */
  readonly topicPrefix: string;
  /** External-task topics delivered over Kafka: every one (`*`) or these. */
  readonly externalTopics: '*' | readonly string[];
  /** How long a published task stays locked before it is published again with attempt + 1. */
  readonly lockDurationMs: number;
  /** Partitions and replication factor of the topics the server creates at start. */
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly ssl: boolean;
  readonly sasl: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string } | null;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got '${raw}'`);
}

function users(env: NodeJS.ProcessEnv, name: string): ReadonlyMap<string, string> | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw new ConfigError(`${name} must list user:password pairs separated by commas, got an entry without both`);
    return [entry.slice(0, colon), entry.slice(colon + 1)] as const;
  });
  return new Map(entries);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${values.join(', ')}, got '${raw}'`);
}

function timeZone(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return 'system';
  if (!IANAZone.isValidZone(raw)) throw new ConfigError(`${name} must be an IANA time zone such as Europe/Berlin or UTC, got '${raw}'`);
  return raw;
}

function reporterName(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return hostname();
  if (raw.trim() !== raw || raw.length > 255 || /[\u0000-\u001f]/.test(raw)) throw new ConfigError(`${name} must be a name of at most 255 characters without surrounding spaces or control characters, got '${raw}'`);
  return raw;
}

const KAFKA_NAME = /^[A-Za-z0-9._-]{1,200}$/;

function kafka(env: NodeJS.ProcessEnv): KafkaConfig | null {
  const raw = env.KAFKA_BROKERS;
  if (raw === undefined || raw.trim() === '') return null;
  const brokers = raw.split(',').map((broker) => broker.trim()).filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) throw new ConfigError(`KAFKA_BROKERS must list host:port pairs separated by commas, got '${broker}'`);
  }
  const topicPrefix = env.KAFKA_TOPIC_PREFIX || 'engine';
  if (!KAFKA_NAME.test(topicPrefix)) throw new ConfigError(`KAFKA_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-', got '${topicPrefix}'`);
  const topics = (env.KAFKA_EXTERNAL_TOPICS ?? '*').trim();
  const externalTopics = topics === '*' || topics === '' ? '*' : topics.split(',').map((topic) => topic.trim()).filter(Boolean);
  for (const topic of externalTopics === '*' ? [] : externalTopics) {
    if (!KAFKA_NAME.test(topic)) throw new ConfigError(`KAFKA_EXTERNAL_TOPICS names '${topic}', which cannot be part of a Kafka topic name (letters, digits, '.', '_' and '-' only)`);
  }
  const mechanism = env.KAFKA_SASL_MECHANISM ? oneOf(env, 'KAFKA_SASL_MECHANISM', ['plain', 'scram-sha-256', 'scram-sha-512'] as const, 'plain') : null;
  if (mechanism && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) throw new ConfigError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'camunda7-compatible-engine',
    topicPrefix,
    externalTopics,
    lockDurationMs: integer(env, 'KAFKA_LOCK_DURATION', 300_000, 1),
    partitions: integer(env, 'KAFKA_PARTITIONS', 4, 1),
    replicationFactor: integer(env, 'KAFKA_REPLICATION_FACTOR', 1, 1),
    ssl: flag(env, 'KAFKA_SSL', false),
    sasl: mechanism ? { mechanism, username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! } : null,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  return Object.freeze({
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR === 'memory' ? null : path.resolve(cwd, env.DATA_DIR || 'data/pglite'),
    processesDir: path.resolve(cwd, env.PROCESSES_DIR || 'processes'),
    decisionsDir: path.resolve(cwd, env.DECISIONS_DIR || 'decisions'),
    webAppDir: path.resolve(cwd, env.WEB_APP_DIR || 'web-modeler/dist'),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 10 * 1024 * 1024, 1),
    selfCheck: flag(env, 'ENGINE_SELF_CHECK', false),
    logLevel: env.LOG_LEVEL || 'info',
    unhandledBpmnError: oneOf(env, 'UNHANDLED_BPMN_ERROR', ['end', 'incident'] as const, 'end'),
    maxPendingFetches: integer(env, 'MAX_PENDING_FETCHES', 200, 1),
    javascriptScripts: flag(env, 'JAVASCRIPT_SCRIPTS', false),
    delegatesAsExternalTasks: flag(env, 'DELEGATES_AS_EXTERNAL_TASKS', false),
    basicAuthUsers: users(env, 'BASIC_AUTH_USERS'),
    timerTimeZone: timeZone(env, 'TIMER_TIME_ZONE'),
    jobExecutor: {
      enabled: flag(env, 'JOB_EXECUTOR', true),
      lockDurationMs: integer(env, 'JOB_LOCK_DURATION_MS', 300_000, 1),
      pollIntervalMs: integer(env, 'JOB_POLL_INTERVAL_MS', 1_000, 10),
    },
    signalBroadcastLeaseMs: integer(env, 'SIGNAL_BROADCAST_LEASE_MS', 60_000, 100),
    testPauseBeforeCommit: env.TEST_PAUSE_COMMAND
      ? { command: env.TEST_PAUSE_COMMAND, ms: integer(env, 'TEST_PAUSE_BEFORE_COMMIT_MS', 60_000, 1), skip: integer(env, 'TEST_PAUSE_SKIP', 0, 0) }
      : null,
    kafka: kafka(env),
    metrics: {
      reporter: reporterName(env, 'METRICS_REPORTER'),
      reportIntervalMs: integer(env, 'METRICS_REPORT_INTERVAL', 900, 0) * 1000,
    },
  });
}
