/** Configuration: defaults for a fresh checkout, overrides from the environment, and clear refusals of bad values. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultWorkerCount, loadConfig } from '../../src/config/load-config.js';

describe('config/load-config', () => {
  it('should default to port 8080, the embedded database in data/pglite and the processes/ folder', () => {
    const config = loadConfig({}, '/srv/engine');
    expect(config).to.include({ port: 8080, databaseUrl: undefined, dataDir: path.resolve('/srv/engine/data/pglite'), processesDir: path.resolve('/srv/engine/processes'), maxUploadBytes: 10 * 1024 * 1024, selfCheck: false });
    expect(config.testPauseBeforeCommit).to.equal(null);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('should take PORT, DATABASE_URL, DATA_DIR=memory, MAX_UPLOAD_BYTES and ENGINE_SELF_CHECK from the environment', () => {
    const config = loadConfig({ PORT: '9090', DATABASE_URL: 'postgres://u@h/db', DATA_DIR: 'memory', MAX_UPLOAD_BYTES: '1024', ENGINE_SELF_CHECK: 'true' }, '/srv');
    expect(config).to.include({ port: 9090, databaseUrl: 'postgres://u@h/db', dataDir: null, maxUploadBytes: 1024, selfCheck: true });
  });

  it('should read Basic auth users, splitting each entry at its first colon', () => {
    expect([...loadConfig({ BASIC_AUTH_USERS: 'anna:s3cret, ben:a:b' }).basicAuthUsers!]).to.deep.equal([['anna', 's3cret'], ['ben', 'a:b']]);
    expect(loadConfig({}).basicAuthUsers).to.equal(null);
    expect(() => loadConfig({ BASIC_AUTH_USERS: 'anna' })).to.throw(ConfigError, /BASIC_AUTH_USERS/);
  });

  it('should deploy Java delegates as external tasks only when DELEGATES_AS_EXTERNAL_TASKS is true', () => {
    expect(loadConfig({}).delegatesAsExternalTasks).to.equal(false);
    expect(loadConfig({ DELEGATES_AS_EXTERNAL_TASKS: 'true' }).delegatesAsExternalTasks).to.equal(true);
    expect(() => loadConfig({ DELEGATES_AS_EXTERNAL_TASKS: 'java' })).to.throw(ConfigError, /DELEGATES_AS_EXTERNAL_TASKS must be true or false/);
  });

  it('should record only operations of authenticated users in the audit trail unless RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS is false', () => {
    expect(loadConfig({}).restrictUserOperationLogToAuthenticatedUsers).to.equal(true);
    expect(loadConfig({ RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS: 'false' }).restrictUserOperationLogToAuthenticatedUsers).to.equal(false);
    expect(() => loadConfig({ RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS: 'maybe' })).to.throw(ConfigError, /RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS must be true or false/);
  });

  it('should read the timer time zone and the job executor settings, defaulting to the system zone and a running executor', () => {
    expect(loadConfig({})).to.include({ timerTimeZone: 'system' });
    expect(loadConfig({}).jobExecutor).to.deep.equal({ enabled: true, lockDurationMs: 300_000, pollIntervalMs: 1_000 });
    const config = loadConfig({ TIMER_TIME_ZONE: 'Europe/Berlin', JOB_EXECUTOR: 'false', JOB_LOCK_DURATION_MS: '5000', JOB_POLL_INTERVAL_MS: '250' });
    expect(config.timerTimeZone).to.equal('Europe/Berlin');
    expect(config.jobExecutor).to.deep.equal({ enabled: false, lockDurationMs: 5_000, pollIntervalMs: 250 });
  });

  it('should refuse a time zone that is not an IANA name, naming the variable', () => {
    expect(() => loadConfig({ TIMER_TIME_ZONE: 'Mars/Olympus' })).to.throw(ConfigError, /TIMER_TIME_ZONE must be an IANA time zone/);
  });

  it('should refuse a port that is not a number, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT must be an integer/);
  });

  it('should refuse a flag that is neither true nor false', () => {
    expect(() => loadConfig({ ENGINE_SELF_CHECK: 'maybe' })).to.throw(ConfigError, /ENGINE_SELF_CHECK must be true or false/);
  });

  it('should arm the crash-window hook only for a named command, after the commands it lets through', () => {
    expect(loadConfig({ TEST_PAUSE_COMMAND: 'complete task', TEST_PAUSE_BEFORE_COMMIT_MS: '500' }).testPauseBeforeCommit).to.deep.equal({ command: 'complete task', ms: 500, skip: 0 });
    expect(loadConfig({ TEST_PAUSE_COMMAND: 'deliver signal', TEST_PAUSE_SKIP: '40' }).testPauseBeforeCommit).to.deep.equal({ command: 'deliver signal', ms: 60_000, skip: 40 });
    expect(loadConfig({}).testPauseBeforeCommit).to.equal(null);
  });

  it('should read the signal broadcast lease, a minute by default', () => {
    expect(loadConfig({}).signalBroadcastLeaseMs).to.equal(60_000);
    expect(loadConfig({ SIGNAL_BROADCAST_LEASE_MS: '1500' }).signalBroadcastLeaseMs).to.equal(1500);
    expect(() => loadConfig({ SIGNAL_BROADCAST_LEASE_MS: '10' })).to.throw(ConfigError, /SIGNAL_BROADCAST_LEASE_MS/);
  });

  it('should leave Kafka off without KAFKA_BROKERS and read its settings, with defaults, when brokers are set', () => {
    expect(loadConfig({}).kafka).to.equal(null);
    expect(loadConfig({ KAFKA_BROKERS: 'k1:9092, k2:9093' }).kafka).to.deep.equal({
      brokers: ['k1:9092', 'k2:9093'], clientId: 'camunda7-compatible-engine', topicPrefix: 'engine', externalTopics: '*',
      lockDurationMs: 300_000, partitions: 4, replicationFactor: 1, ssl: false, sasl: null,
    });
    const kafka = loadConfig({ KAFKA_BROKERS: 'k1:9092', KAFKA_TOPIC_PREFIX: 'care', KAFKA_EXTERNAL_TOPICS: 'check-eligibility, notify', KAFKA_LOCK_DURATION: '60000', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'engine', KAFKA_SASL_PASSWORD: 'pw' }).kafka!;
    expect(kafka).to.include({ topicPrefix: 'care', lockDurationMs: 60_000, ssl: true });
    expect(kafka.externalTopics).to.deep.equal(['check-eligibility', 'notify']);
    expect(kafka.sasl).to.deep.equal({ mechanism: 'scram-sha-512', username: 'engine', password: 'pw' });
  });

  it('should refuse Kafka settings a broker could not take, naming the variable', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).to.throw(ConfigError, /KAFKA_BROKERS must list host:port pairs/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_TOPIC_PREFIX: 'my prefix' })).to.throw(ConfigError, /KAFKA_TOPIC_PREFIX/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_EXTERNAL_TOPICS: 'pay:charge' })).to.throw(ConfigError, /KAFKA_EXTERNAL_TOPICS names 'pay:charge'/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_LOCK_DURATION: '0' })).to.throw(ConfigError, /KAFKA_LOCK_DURATION must be an integer ≥ 1/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' })).to.throw(ConfigError, /KAFKA_SASL_USERNAME/);
  });
  it('should require authentication with BASIC_AUTH_USERS, OIDC or AUTHENTICATION=basic, and leave the API open otherwise', () => {
    expect(loadConfig({}).authentication).to.deep.equal({ required: false, credentialCacheMs: 60_000, idPattern: '[a-zA-Z0-9]+|camunda-admin', oidc: null });
    expect(loadConfig({ BASIC_AUTH_USERS: 'anna:pw' }).authentication.required).to.equal(true);
    expect(loadConfig({ AUTHENTICATION: 'basic', AUTHENTICATION_CACHE_MS: '0', IDENTITY_ID_PATTERN: '[a-z.@-]+' }).authentication).to.include({ required: true, credentialCacheMs: 0, idPattern: '[a-z.@-]+' });
    expect(() => loadConfig({ AUTHENTICATION: 'ldap' })).to.throw(ConfigError, /AUTHENTICATION must be one of basic, none/);
    expect(() => loadConfig({ AUTHENTICATION: 'none', BASIC_AUTH_USERS: 'anna:pw' })).to.throw(ConfigError, /AUTHENTICATION=none contradicts BASIC_AUTH_USERS/);
    expect(() => loadConfig({ AUTHENTICATION_CACHE_MS: '-1' })).to.throw(ConfigError, /AUTHENTICATION_CACHE_MS/);
    expect(() => loadConfig({ IDENTITY_ID_PATTERN: '[a-z' })).to.throw(ConfigError, /IDENTITY_ID_PATTERN must be a regular expression/);
  });

  it('should read OIDC settings, with the JWKS from a file or a URL, and refuse incomplete ones naming the variable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-jwks-'));
    try {
      const file = path.join(dir, 'jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB', kid: 'k1' }] }));
      const fromFile = loadConfig({ OIDC_JWKS_FILE: 'jwks.json', OIDC_ISSUER: 'https://id', OIDC_AUDIENCE: 'engine' }, dir).authentication;
      expect(fromFile.required).to.equal(true);
      expect(fromFile.oidc).to.deep.equal({ jwks: { keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB', kid: 'k1' }] }, issuer: 'https://id', audience: 'engine', userIdClaim: 'sub', groupsClaim: 'groups' });
      const fromUrl = loadConfig({ OIDC_JWKS_URL: 'https://id/certs', OIDC_ISSUER: 'https://id', OIDC_AUDIENCE: 'engine', OIDC_USER_ID_CLAIM: 'preferred_username', OIDC_GROUPS_CLAIM: 'roles' }).authentication.oidc!;
      expect(fromUrl.jwks).to.deep.equal(new URL('https://id/certs'));
      expect(fromUrl).to.include({ userIdClaim: 'preferred_username', groupsClaim: 'roles' });

      expect(() => loadConfig({ OIDC_JWKS_FILE: file, OIDC_AUDIENCE: 'engine' })).to.throw(ConfigError, /OIDC_ISSUER is required/);
      expect(() => loadConfig({ OIDC_JWKS_FILE: file, OIDC_ISSUER: 'https://id' })).to.throw(ConfigError, /OIDC_AUDIENCE is required/);
      expect(() => loadConfig({ OIDC_ISSUER: 'https://id' })).to.throw(ConfigError, /OIDC_ISSUER needs OIDC_JWKS_FILE or OIDC_JWKS_URL/);
      expect(() => loadConfig({ OIDC_JWKS_FILE: path.join(dir, 'missing.json'), OIDC_ISSUER: 'i', OIDC_AUDIENCE: 'a' })).to.throw(ConfigError, /OIDC_JWKS_FILE must name a readable JSON Web Key Set file/);
      writeFileSync(file, '{"keys": []}');
      expect(() => loadConfig({ OIDC_JWKS_FILE: file, OIDC_ISSUER: 'i', OIDC_AUDIENCE: 'a' })).to.throw(ConfigError, /OIDC_JWKS_FILE must hold a JSON Web Key Set/);
      expect(() => loadConfig({ OIDC_JWKS_URL: 'ftp://id/certs', OIDC_ISSUER: 'i', OIDC_AUDIENCE: 'a' })).to.throw(ConfigError, /OIDC_JWKS_URL must be an http\(s\) URL/);
      expect(() => loadConfig({ OIDC_JWKS_URL: 'https://id/certs', OIDC_JWKS_FILE: file, OIDC_ISSUER: 'i', OIDC_AUDIENCE: 'a' })).to.throw(ConfigError, /both set/);
      expect(() => loadConfig({ AUTHENTICATION: 'none', OIDC_JWKS_URL: 'https://id/certs', OIDC_ISSUER: 'i', OIDC_AUDIENCE: 'a' })).to.throw(ConfigError, /AUTHENTICATION=none contradicts OIDC/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should take the levels of pino and silent for LOG_LEVEL and refuse others, naming the variable and the levels', () => {
    expect(loadConfig({}).logLevel).to.equal('info');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(loadConfig({ LOG_LEVEL: level }).logLevel).to.equal(level);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).to.throw(ConfigError, "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'");
  });

  it('should read SHUTDOWN_GRACE_PERIOD in seconds, 30 by default, and refuse anything but a positive integer', () => {
    expect(loadConfig({}).shutdownGracePeriodMs).to.equal(30_000);
    expect(loadConfig({ SHUTDOWN_GRACE_PERIOD: '5' }).shutdownGracePeriodMs).to.equal(5_000);
    for (const bad of ['0', '-1', '2.5', '30s']) expect(() => loadConfig({ SHUTDOWN_GRACE_PERIOD: bad })).to.throw(ConfigError, /SHUTDOWN_GRACE_PERIOD must be an integer ≥ 1/);
  });

  it('should take a host name or IP address for HOST and refuse anything else', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'engine.internal.example']) expect(loadConfig({ HOST: host }).host).to.equal(host);
    for (const bad of ['http://localhost', 'local host', 'host:8080', '-leading']) expect(() => loadConfig({ HOST: bad })).to.throw(ConfigError, /^HOST must be a host name or an IP address/);
  });

  it('should read TRUST_PROXY as Express takes it, trusting no proxy by default, and refuse what is neither', () => {
    expect(loadConfig({}).trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback, ::1' }).trustProxy).to.deep.equal(['10.0.0.0/8', 'loopback', '::1']);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.internal', '1.2.3.4/8/9']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).to.throw(ConfigError, /^TRUST_PROXY must be true, false, a number of proxy hops/);
  });

  it('should refuse a port above 65535', () => {
    expect(loadConfig({ PORT: '65535' }).port).to.equal(65_535);
    expect(() => loadConfig({ PORT: '70000' })).to.throw(ConfigError, /PORT must be a port number from 0 to 65535/);
  });

  it('should take only a postgres:// or postgresql:// URL with a host for DATABASE_URL, never echoing it', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/engine' }).databaseUrl).to.equal('postgresql://u:p@db:5432/engine');
    expect(() => loadConfig({ DATABASE_URL: 'db:5432/engine' })).to.throw(ConfigError, /DATABASE_URL must be a PostgreSQL URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'not a url with s3cret' })).to.throw(ConfigError, /^DATABASE_URL must be a PostgreSQL URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:s3cret@db/engine' })).to.throw(ConfigError, /DATABASE_URL/);
    try {
      loadConfig({ DATABASE_URL: 'mysql://u:s3cret@db/engine' });
    } catch (error) {
      expect((error as Error).message).not.to.contain('s3cret');
    }
  });

  it('should refuse a folder variable that names a file', () => {
    const file = fileURLToPath(import.meta.url);
    for (const name of ['DATA_DIR', 'PROCESSES_DIR', 'DECISIONS_DIR', 'WEB_APP_DIR']) {
      expect(() => loadConfig({ [name]: file })).to.throw(ConfigError, new RegExp(`^${name} must name a folder, but .* is a file`));
    }
    expect(loadConfig({ PROCESSES_DIR: path.dirname(file) }).processesDir).to.equal(path.dirname(file));
  });

  it('should refuse a Kafka client id a broker could not take', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_CLIENT_ID: 'engine-1' }).kafka!.clientId).to.equal('engine-1');
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_CLIENT_ID: 'engine 1' })).to.throw(ConfigError, /KAFKA_CLIENT_ID/);
  });

  it('should report meter counts every 15 minutes under the host name by default, and read METRICS_REPORT_INTERVAL and METRICS_REPORTER', () => {
    expect(loadConfig({}).metrics).to.deep.equal({ reporter: hostname(), reportIntervalMs: 900_000 });
    expect(loadConfig({ METRICS_REPORT_INTERVAL: '60', METRICS_REPORTER: 'node-a' }).metrics).to.deep.equal({ reporter: 'node-a', reportIntervalMs: 60_000 });
    expect(loadConfig({ METRICS_REPORT_INTERVAL: '0' }).metrics.reportIntervalMs).to.equal(0);
  });

  it('should refuse a report interval that is not a whole number of seconds, or a reporter name with spaces around it, naming the variable', () => {
    expect(() => loadConfig({ METRICS_REPORT_INTERVAL: '15m' })).to.throw(ConfigError, /METRICS_REPORT_INTERVAL must be an integer ≥ 0, got '15m'/);
    expect(() => loadConfig({ METRICS_REPORT_INTERVAL: '-1' })).to.throw(ConfigError, /METRICS_REPORT_INTERVAL/);
    // a longer timer than Node can run (24.8 days) would fire after 1 ms
    expect(() => loadConfig({ METRICS_REPORT_INTERVAL: '2147484' })).to.throw(ConfigError, /METRICS_REPORT_INTERVAL must be at most 2147483, got '2147484'/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_PERIOD: '99999999' })).to.throw(ConfigError, /SHUTDOWN_GRACE_PERIOD must be at most 2147483/);
    expect(() => loadConfig({ METRICS_REPORTER: ' node-a' })).to.throw(ConfigError, /METRICS_REPORTER must be a name/);
  });

  it('should leave tracing off when no OTEL_* variable names an exporter or an endpoint', () => {
    expect(loadConfig({}).tracing).to.equal(null);
    expect(loadConfig({ OTEL_SERVICE_NAME: 'engine' }).tracing).to.equal(null);
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).to.equal(null);
    expect(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console' }).tracing).to.equal(null);
  });

  it('should export over OTLP to the endpoint with /v1/traces appended, or to the traces endpoint as it is', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).to.deep.equal({
      serviceName: 'camunda7-compatible-engine',
      resourceAttributes: {},
      otlp: { url: 'http://collector:4318/v1/traces', headers: {} },
      console: false,
    });
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces', OTEL_SERVICE_NAME: 'engine-eu', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s%3Dcret,x=1', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' });
    expect(config.tracing).to.deep.equal({ serviceName: 'engine-eu', resourceAttributes: { 'deployment.environment': 'prod' }, otlp: { url: 'https://b/traces', headers: { 'api-key': 's=cret', x: '1' } }, console: false });
  });

  it('should take OTEL_TRACES_EXPORTER as a list: otlp to localhost:4318 by default, console to stdout', () => {
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing).to.include({ otlp: null, console: true });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp, console' }).tracing).to.deep.include({ otlp: { url: 'http://localhost:4318/v1/traces', headers: {} }, console: true });
  });

  it('should refuse an unknown exporter, another OTLP protocol, a bad endpoint or header list, naming the variable', () => {
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).to.throw(ConfigError, /OTEL_TRACES_EXPORTER must list otlp, console, none, got 'jaeger'/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_EXPORTER: 'otlp' })).to.throw(ConfigError, /OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).to.throw(ConfigError, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).to.throw(ConfigError, /OTEL_EXPORTER_OTLP_HEADERS must list key=value pairs/);
    expect(() => loadConfig({ OTEL_SDK_DISABLED: 'maybe' })).to.throw(ConfigError, /OTEL_SDK_DISABLED must be true or false/);
  });

  it('should run one process per usable core on PostgreSQL, at most four, and one on the embedded database, unless WORKERS says otherwise', () => {
    const workers = loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).workers;
    expect(workers).to.be.within(1, Math.min(availableParallelism(), 4));
    expect(loadConfig({}).workers).to.equal(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', WORKERS: '3' }).workers).to.equal(3);
    expect(loadConfig({ WORKERS: '1' }).workers).to.equal(1);
  });

  it('should default to the cores a container\'s CPU quota allows, and to at most four workers, whose connections fit PostgreSQL\'s default limit', () => {
    expect(defaultWorkerCount(2, undefined)).to.equal(2);
    expect(defaultWorkerCount(64, 2)).to.equal(2);
    expect(defaultWorkerCount(16, undefined)).to.equal(4);
    expect(defaultWorkerCount(1, 3)).to.equal(1);
  });

  it('should refuse WORKERS that is not a positive integer, or more than one without DATABASE_URL, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db', WORKERS: '0' })).to.throw(ConfigError, /WORKERS must be an integer ≥ 1, got '0'/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db', WORKERS: 'all' })).to.throw(ConfigError, /WORKERS must be an integer ≥ 1, got 'all'/);
    expect(() => loadConfig({ WORKERS: '2' })).to.throw(ConfigError, /^WORKERS=2 needs DATABASE_URL: the embedded database \(PGlite\) has one session/);
  });
});
