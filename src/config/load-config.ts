/** Parses the environment once into a typed, validated, frozen configuration: the only reader of process.env. */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { IANAZone } from 'luxon';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (for the sign-in lockout per address); false trusts none. */
  readonly trustProxy: boolean | number | readonly string[];
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
  readonly logLevel: LogLevel;
  /** How long a shutdown may take (SHUTDOWN_GRACE_PERIOD seconds) before the process exits 1 naming what still ran. */
  readonly shutdownGracePeriodMs: number;
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
  /** Record only operations of an authenticated user in the user operation log (Camunda's default); false also records the rest, user null. */
  readonly restrictUserOperationLogToAuthenticatedUsers: boolean;
  /** How many instances' engines a node keeps between commands (ENGINE_CACHE_SIZE); 0 recovers every command from its state. */
  readonly engineCacheSize: number;
  /** Who may use the REST API: AUTHENTICATION, the credential cache, user and group ids, OIDC bearer tokens. */
  readonly authentication: AuthenticationConfig;
  /** OpenTelemetry tracing (OTEL_*); null when it is off: no exporter, no endpoint, or OTEL_SDK_DISABLED. */
  readonly tracing: TracingConfig | null;
  /** Server processes (WORKERS), each an ordinary node; more than 1 only on PostgreSQL. */
  readonly workers: number;
}

export interface AuthenticationConfig {
  /** AUTHENTICATION=basic: the REST API requires HTTP Basic (configured or database users) or a bearer token. */
  readonly required: boolean;
  /** How long a node remembers a successful password check (scrypt is costly per request); 0 turns it off. */
  readonly credentialCacheMs: number;
  /** User and group ids must match it (Camunda's generalResourceWhitelistPattern). */
  readonly idPattern: string;
  readonly oidc: OidcConfig | null;
}

export interface OidcConfig {
  /** The JSON Web Key Set read from OIDC_JWKS_FILE, or the OIDC_JWKS_URL to fetch it from. */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] } | URL;
  readonly issuer: string;
  readonly audience: string;
  readonly userIdClaim: string;
  readonly groupsClaim: string;
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

/** pino's levels and `silent`: the values LOG_LEVEL accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  if (value > max) throw new ConfigError(`${name} must be at most ${max}, got '${raw}'`);
  return value;
}

/** Node runs a timer of more than 2^31 − 1 ms (24.8 days) after 1 ms: seconds-valued timer settings stay below. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

// A DNS name (RFC 1123 labels) or an IP address; anything else would fail only when the server binds.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function host(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return '0.0.0.0';
  if (isIP(raw) === 0 && !HOST_NAME.test(raw)) throw new ConfigError(`${name} must be a host name or an IP address to listen on, got '${raw}'`);
  return raw;
}

function port(env: NodeJS.ProcessEnv, name: string): number {
  const value = integer(env, name, 8080);
  if (value > 65_535) throw new ConfigError(`${name} must be a port number from 0 to 65535, got '${env[name]}'`);
  return value;
}

/** A postgres:// or postgresql:// URL with a host; the password is never echoed back. */
function databaseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a PostgreSQL URL such as postgres://user:password@host:5432/database, but it does not parse as a URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new ConfigError(`${name} must be a PostgreSQL URL starting with postgres:// or postgresql://, got one starting with ${url.protocol}//`);
  if (!url.hostname && !url.searchParams.has('host')) throw new ConfigError(`${name} must name the database host (postgres://user:password@host:5432/database)`);
  return raw;
}

/** A folder path, resolved against `cwd`; one that exists must be a folder (one that does not is created or skipped by its user). */
function folder(env: NodeJS.ProcessEnv, name: string, cwd: string, fallback: string): string {
  const raw = env[name];
  if (raw !== undefined && raw !== '' && raw.trim() === '') throw new ConfigError(`${name} must name a folder, got only spaces`);
  const resolved = path.resolve(cwd, raw || fallback);
  const stat = statSync(resolved, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new ConfigError(`${name} must name a folder, but ${resolved} is a file`);
  return resolved;
}

function logLevel(env: NodeJS.ProcessEnv, name: string): LogLevel {
  return oneOf(env, name, LOG_LEVELS, 'info');
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: true, false, a number of proxy hops, or addresses, CIDR ranges and Express's names, comma-separated. */
function trustProxy(env: NodeJS.ProcessEnv, name: string): boolean | number | string[] {
  const raw = env[name]?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const validAddress = PROXY_NAMES.includes(entry) || (isIP(address!) !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address!) === 4 ? 32 : 128))));
    if (!validAddress) throw new ConfigError(`${name} must be true, false, a number of proxy hops, or IP addresses, CIDR ranges, loopback, linklocal or uniquelocal separated by commas, got '${entry}'`);
  }
  return entries;
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

function kafkaClientId(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return 'camunda7-compatible-engine';
  if (!KAFKA_NAME.test(raw)) throw new ConfigError(`${name} may hold only letters, digits, '.', '_' and '-' (at most 200), got '${raw}'`);
  return raw;
}

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
    clientId: kafkaClientId(env, 'KAFKA_CLIENT_ID'),
    topicPrefix,
    externalTopics,
    lockDurationMs: integer(env, 'KAFKA_LOCK_DURATION', 300_000, 1),
    partitions: integer(env, 'KAFKA_PARTITIONS', 4, 1),
    replicationFactor: integer(env, 'KAFKA_REPLICATION_FACTOR', 1, 1),
    ssl: flag(env, 'KAFKA_SSL', false),
    sasl: mechanism ? { mechanism, username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! } : null,
  };
}

function jwksFile(file: string, cwd: string): { keys: Record<string, unknown>[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new ConfigError(`OIDC_JWKS_FILE must name a readable JSON Web Key Set file, got '${file}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => key !== null && typeof key === 'object' && !Array.isArray(key))) {
    throw new ConfigError(`OIDC_JWKS_FILE must hold a JSON Web Key Set ({"keys": [ … ]} with at least one key), got '${file}'`);
  }
  return { keys };
}

function oidc(env: NodeJS.ProcessEnv, cwd: string): OidcConfig | null {
  const file = env.OIDC_JWKS_FILE || undefined;
  const url = env.OIDC_JWKS_URL || undefined;
  if (!file && !url) {
    for (const name of ['OIDC_ISSUER', 'OIDC_AUDIENCE'] as const) {
      if (env[name]) throw new ConfigError(`${name} needs OIDC_JWKS_FILE or OIDC_JWKS_URL, the keys tokens are checked with`);
    }
    return null;
  }
  if (file && url) throw new ConfigError('OIDC_JWKS_FILE and OIDC_JWKS_URL are both set: set one of them');
  let jwks: OidcConfig['jwks'];
  if (url) {
    try {
      jwks = new URL(url);
    } catch {
      throw new ConfigError(`OIDC_JWKS_URL must be an http(s) URL, got '${url}'`);
    }
    if (jwks.protocol !== 'https:' && jwks.protocol !== 'http:') throw new ConfigError(`OIDC_JWKS_URL must be an http(s) URL, got '${url}'`);
  } else jwks = jwksFile(file!, cwd);
  const issuer = env.OIDC_ISSUER;
  const audience = env.OIDC_AUDIENCE;
  if (!issuer) throw new ConfigError('OIDC_ISSUER is required with OIDC_JWKS_FILE or OIDC_JWKS_URL: the issuer (iss) tokens must name');
  if (!audience) throw new ConfigError('OIDC_AUDIENCE is required with OIDC_JWKS_FILE or OIDC_JWKS_URL: the audience (aud) tokens must name');
  return { jwks, issuer, audience, userIdClaim: env.OIDC_USER_ID_CLAIM || 'sub', groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups' };
}

function idPattern(env: NodeJS.ProcessEnv): string {
  const raw = env.IDENTITY_ID_PATTERN || '[a-zA-Z0-9]+|camunda-admin';
  try {
    new RegExp(`^(?:${raw})$`);
  } catch {
    throw new ConfigError(`IDENTITY_ID_PATTERN must be a regular expression, got '${raw}'`);
  }
  return raw;
}

function authentication(env: NodeJS.ProcessEnv, cwd: string, configuredUsers: ReadonlyMap<string, string> | null): AuthenticationConfig {
  const oidcConfig = oidc(env, cwd);
  const fallback = configuredUsers || oidcConfig ? 'basic' : 'none';
  const mode = oneOf(env, 'AUTHENTICATION', ['basic', 'none'] as const, fallback);
  if (mode === 'none' && configuredUsers) throw new ConfigError('AUTHENTICATION=none contradicts BASIC_AUTH_USERS: unset one of them');
  if (mode === 'none' && oidcConfig) throw new ConfigError('AUTHENTICATION=none contradicts OIDC_JWKS_FILE/OIDC_JWKS_URL: unset one of them');
  return { required: mode === 'basic', credentialCacheMs: integer(env, 'AUTHENTICATION_CACHE_MS', 60_000), idPattern: idPattern(env), oidc: oidcConfig };
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

/**
 * At most this many workers by default: each opens up to 11 connections (a pool of 10 and a LISTEN one), so four stay
 * well within PostgreSQL's default max_connections of 100 beside other clients. WORKERS may say more.
 */
const MAX_DEFAULT_WORKERS = 4;

/** The default worker count: one per core the process may use (a container's CPU quota caps it), at most four. */
export function defaultWorkerCount(cores: number, cpuQuota: number | undefined): number {
  return Math.max(1, Math.min(cores, cpuQuota ?? cores, MAX_DEFAULT_WORKERS));
}

/** The CPUs a cgroup v2 quota (`cpu.max`, e.g. a container's `--cpus=2`) allows, rounded up; undefined without one. */
function cgroupCpuQuota(): number | undefined {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    const cpus = Number(quota) / Number(period);
    return quota === 'max' || !Number.isFinite(cpus) || cpus <= 0 ? undefined : Math.ceil(cpus);
  } catch {
    return undefined;
  }
}

/** WORKERS: one process per usable core on PostgreSQL by default; PGlite has one session and a data folder one process locks. */
function workers(env: NodeJS.ProcessEnv, name: string, databaseUrl: string | undefined): number {
  const count = integer(env, name, databaseUrl ? defaultWorkerCount(availableParallelism(), cgroupCpuQuota()) : 1, 1);
  if (count > 1 && !databaseUrl) throw new ConfigError(`${name}=${count} needs DATABASE_URL: the embedded database (PGlite) has one session and its data folder belongs to one process`);
  return count;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const basicAuthUsers = users(env, 'BASIC_AUTH_USERS');
  return Object.freeze({
    port: port(env, 'PORT'),
    host: host(env, 'HOST'),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    databaseUrl: databaseUrl(env, 'DATABASE_URL'),
    dataDir: env.DATA_DIR === 'memory' ? null : folder(env, 'DATA_DIR', cwd, 'data/pglite'),
    processesDir: folder(env, 'PROCESSES_DIR', cwd, 'processes'),
    decisionsDir: folder(env, 'DECISIONS_DIR', cwd, 'decisions'),
    webAppDir: folder(env, 'WEB_APP_DIR', cwd, 'web-modeler/dist'),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 10 * 1024 * 1024, 1),
    selfCheck: flag(env, 'ENGINE_SELF_CHECK', false),
    logLevel: logLevel(env, 'LOG_LEVEL'),
    shutdownGracePeriodMs: integer(env, 'SHUTDOWN_GRACE_PERIOD', 30, 1, MAX_TIMER_SECONDS) * 1000,
    unhandledBpmnError: oneOf(env, 'UNHANDLED_BPMN_ERROR', ['end', 'incident'] as const, 'end'),
    maxPendingFetches: integer(env, 'MAX_PENDING_FETCHES', 200, 1),
    javascriptScripts: flag(env, 'JAVASCRIPT_SCRIPTS', false),
    delegatesAsExternalTasks: flag(env, 'DELEGATES_AS_EXTERNAL_TASKS', false),
    basicAuthUsers,
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
    restrictUserOperationLogToAuthenticatedUsers: flag(env, 'RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS', true),
    engineCacheSize: integer(env, 'ENGINE_CACHE_SIZE', 100),
    authentication: authentication(env, cwd, basicAuthUsers),
    metrics: {
      reporter: reporterName(env, 'METRICS_REPORTER'),
      reportIntervalMs: integer(env, 'METRICS_REPORT_INTERVAL', 900, 0, MAX_TIMER_SECONDS) * 1000,
    },
    tracing: tracing(env),
    workers: workers(env, 'WORKERS', databaseUrl(env, 'DATABASE_URL')),
  });
}
