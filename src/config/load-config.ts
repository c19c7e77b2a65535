/** Parses the environment once into a typed, validated, frozen configuration: the only reader of process.env. */
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
  /** OpenTelemetry tracing (OTEL_*); null when it is off: no exporter, no endpoint, or OTEL_SDK_DISABLED. */
  readonly tracing: TracingConfig | null;
}

/** Where spans go: the OTLP/HTTP protobuf exporter and/or the console, as OTEL_TRACES_EXPORTER lists them. */
export interface TracingConfig {
  readonly serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, besides `service.name`. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** The OTLP traces URL and headers when `otlp` is among the exporters; null otherwise. */
  readonly otlp: { readonly url: string; readonly headers: Readonly<Record<string, string>> } | null;
  readonly console: boolean;
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

const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;

/** `key=value` pairs separated by commas, values percent-encoded (the OTel spec's format for headers and resource attributes). */
function keyValues(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const raw = env[name];
  const pairs: Record<string, string> = {};
  if (raw === undefined || raw.trim() === '') return pairs;
  for (const entry of raw.split(',')) {
    const equals = entry.indexOf('=');
    const key = entry.slice(0, equals).trim();
    if (equals <= 0 || key === '') throw new ConfigError(`${name} must list key=value pairs separated by commas, got an entry without a key`);
    try {
      pairs[key] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new ConfigError(`${name} has a value for '${key}' that is not valid percent-encoding`);
    }
  }
  return pairs;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL such as http://collector:4318, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL such as http://collector:4318, got '${raw}'`);
  return raw;
}

/**
 * OTEL_* as the OpenTelemetry specification defines them, except that tracing is off unless an exporter or an OTLP
 * endpoint is named (the specification defaults to `otlp` at localhost:4318, which would export from every dev start).
 */
function tracing(env: NodeJS.ProcessEnv): TracingConfig | null {
  const disabled = flag(env, 'OTEL_SDK_DISABLED', false);
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const protocol = env[name]?.trim();
    if (protocol && protocol !== 'http/protobuf') throw new ConfigError(`${name} must be http/protobuf (the only OTLP protocol this server exports with), got '${protocol}'`);
  }
  const baseEndpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const tracesEndpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const listed = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of listed) {
    if (!(TRACES_EXPORTERS as readonly string[]).includes(name)) throw new ConfigError(`OTEL_TRACES_EXPORTER must list ${TRACES_EXPORTERS.join(', ')}, got '${name}'`);
  }
  const headers = { ...keyValues(env, 'OTEL_EXPORTER_OTLP_HEADERS'), ...keyValues(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') };
  const resourceAttributes = keyValues(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const exporters = listed.length > 0 ? listed : baseEndpoint || tracesEndpoint ? ['otlp'] : [];
  if (disabled || exporters.includes('none') || exporters.length === 0) return null;
  // A signal-specific endpoint is used as it is; the general one gets the traces path appended (OTLP exporter spec).
  const url = tracesEndpoint ?? (baseEndpoint ? `${baseEndpoint.replace(/\/+$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces');
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || resourceAttributes['service.name'] || 'camunda7-compatible-engine',
    resourceAttributes,
    otlp: exporters.includes('otlp') ? { url, headers } : null,
    console: exporters.includes('console'),
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
    tracing: tracing(env),
  });
}
