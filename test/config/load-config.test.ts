/** Configuration: defaults for a fresh checkout, overrides from the environment, and clear refusals of bad values. */
import { expect } from 'chai';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

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
});
