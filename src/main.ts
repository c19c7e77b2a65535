/** Composition root: configuration → database → services → HTTP; deploys processes/ and decisions/ and shuts down cleanly on SIGTERM. */
import cluster from 'node:cluster';
import type { Server, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { loadConfig, type Config } from './config/load-config.js';
import { newId } from './core/ids.js';
import type { CommandOptions, ServiceContext } from './services/service-context.js';
import type { AppOptions } from './server/create-app.js';
import type { ShutdownStep } from './server/graceful-shutdown.js';
import type { MeterReporting } from './telemetry/engine-metrics.js';
import { createLogger, type ProcessLogger } from './telemetry/logger.js';

// Modules that load express, pg, kafkajs or http are imported in main(), after tracing started: OpenTelemetry's
// instrumentations patch them as they load. Do not import them statically here (type imports are erased).

/** The REST API's authentication settings, with the JWKS as jose reads it. */
function authenticationOptions(config: Config): AppOptions['authentication'] {
  const { required, credentialCacheMs, idPattern, oidc } = config.authentication;
  return { required, credentialCacheMs, idPattern, oidc: oidc && { ...oidc, jwks: oidc.jwks instanceof URL ? oidc.jwks : (oidc.jwks as unknown as JSONWebKeySet) } };
}

/** The command options and meter reporting of this node's ServiceContext. */
function serviceSettings(config: Config): { options: Partial<CommandOptions>; meterReporting: MeterReporting } {
  return {
    options: {
      selfCheck: config.selfCheck,
      pauseBeforeCommit: config.testPauseBeforeCommit,
      signalBroadcastLeaseMs: config.signalBroadcastLeaseMs,
      unhandledBpmnError: config.unhandledBpmnError,
      scripts: { javascript: config.javascriptScripts },
      delegatesAsExternalTasks: config.delegatesAsExternalTasks,
      timeZone: config.timerTimeZone,
      restrictUserOperationLogToAuthenticatedUsers: config.restrictUserOperationLogToAuthenticatedUsers,
      engineCacheSize: config.engineCacheSize,
      kafka: config.kafka && { topicPrefix: config.kafka.topicPrefix, externalTopics: config.kafka.externalTopics === '*' ? '*' : new Set(config.kafka.externalTopics), lockDurationMs: config.kafka.lockDurationMs },
    },
    // Each worker process is a node of its own in the meter log.
    meterReporting: { reporter: cluster.isWorker ? `${config.metrics.reporter}/${cluster.worker!.id}` : config.metrics.reporter, intervalMs: config.metrics.reportIntervalMs },
  };
}

/** Deploys processes/ and decisions/ (once per start: by the only process, or by the primary before it forks workers). */
async function deployAtStart(ctx: ServiceContext, config: Config, logger: ProcessLogger): Promise<void> {
  const { deployDirectory } = await import('./services/startup-deployer.js');
  if (config.javascriptScripts) logger.warn('JAVASCRIPT_SCRIPTS is on: JavaScript in diagrams runs in node:vm, which is no sandbox; deploy only trusted diagrams');
  const deployed = await deployDirectory(ctx, config.processesDir, config.decisionsDir);
  if (deployed) {
    const count = deployed.processDefinitions?.length ?? 0;
    const decisions = deployed.decisionDefinitions?.length ?? 0;
    logger.info(count + decisions > 0
      ? `Deployed ${count} process definition(s) from ${config.processesDir} and ${decisions} decision definition(s) from ${config.decisionsDir}`
      : `Processes in ${config.processesDir} and decisions in ${config.decisionsDir} are unchanged since the last start`);
  }
}

/**
 * WORKERS > 1 (PostgreSQL only): this process migrates the database and deploys once, then forks the workers, each
 * running main() as an ordinary node. It serves nothing itself, so it starts no tracing.
 */
async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const [{ openDatabase }, { createServiceContext }, { runClusterPrimary }] = await Promise.all([
    import('./persistence/database.js'),
    import('./services/service-context.js'),
    import('./server/cluster-primary.js'),
  ]);
  const database = await openDatabase({ url: config.databaseUrl, log: (m) => logger.info(m) });
  try {
    await deployAtStart(createServiceContext(database, { logger, ...serviceSettings(config) }), config, logger);
  } finally {
    await database.close();
  }
  logger.info(`Starting ${config.workers} workers on PostgreSQL at ${database.location}`, { workers: config.workers });
  runClusterPrimary({ workers: config.workers, shutdownGracePeriodMs: config.shutdownGracePeriodMs, logger });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const tracing = config.tracing ? await import('./telemetry/tracing.js') : null;
  if (config.tracing) tracing!.startTracing(config.tracing);
  const [{ JobExecutor }, { kafkaReadinessCheck }, { startKafkaTransport }, { openDatabase }, { createApp, REST_BASE }, { runShutdown }, { createServiceContext }, { FetchAndLockWaiter }, { MeterLogReporter }, { joinClusterMetrics }, { announceWorkerStarted }] = await Promise.all([
    import('./jobs/job-executor.js'),
    import('./kafka/kafka-readiness.js'),
    import('./kafka/kafka-transport.js'),
    import('./persistence/database.js'),
    import('./server/create-app.js'),
    import('./server/graceful-shutdown.js'),
    import('./services/service-context.js'),
    import('./services/fetch-and-lock-waiter.js'),
    import('./services/meter-log-reporter.js'),
    import('./server/cluster-metrics.js'),
    import('./server/cluster-primary.js'),
  ]);
  // A worker's lines carry its pid: several processes write to the same stdout.
  const logger = createLogger(config.logLevel, undefined, cluster.isWorker ? { pid: process.pid } : undefined);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl || config.dataDir === null ? undefined : config.dataDir, log: (m) => logger.info(m) });
  const ctx = createServiceContext(database, { logger, ...serviceSettings(config) });
  if (cluster.isWorker) joinClusterMetrics(ctx.metrics);
  const meterLogReporter = new MeterLogReporter(ctx);
  meterLogReporter.start();

  if (!cluster.isWorker) await deployAtStart(ctx, config, logger);

  const jobExecutor = config.jobExecutor.enabled
    ? new JobExecutor(ctx, { lockOwner: `${hostname()}:${process.pid}:${newId().slice(0, 8)}`, lockDurationMs: config.jobExecutor.lockDurationMs, pollIntervalMs: config.jobExecutor.pollIntervalMs })
    : null;
  await jobExecutor?.start();
  const kafkaTransport = config.kafka ? await startKafkaTransport(ctx, config.kafka) : null;
  const readinessChecks = config.kafka ? [kafkaReadinessCheck(config.kafka)] : [];

  const fetchAndLockWaiter = new FetchAndLockWaiter(ctx, config.maxPendingFetches);
  const app = createApp(ctx, { maxUploadBytes: config.maxUploadBytes, trustProxy: config.trustProxy, fetchAndLockWaiter, webAppDir: config.webAppDir, basicAuthUsers: config.basicAuthUsers, authentication: authenticationOptions(config), readinessChecks });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`Web app: http://localhost:${port}/`);
  logger.info(`REST API: http://localhost:${port}${REST_BASE}`);
  if (config.authentication.required) {
    logger.info(`REST API requires authentication: HTTP Basic with database users${config.basicAuthUsers ? ` and ${config.basicAuthUsers.size} configured user(s)` : ''}${config.authentication.oidc ? ', or an OIDC bearer token' : ''}`);
  }
  logger.info(`Data: ${database.kind === 'pglite' ? `embedded PGlite in ${database.location}` : `PostgreSQL at ${database.location}`}`);
  if (config.tracing) logger.info(`Tracing: service ${config.tracing.serviceName}, spans to ${[config.tracing.otlp?.url, config.tracing.console ? 'the console' : undefined].filter(Boolean).join(' and ')}`);

  // Responses being served, so a shutdown can wait for them and say how many it cut off.
  const openResponses = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    openResponses.add(res);
    // While stopping, a keep-alive connection closes after its response instead of idling until the grace period ends.
    if (stopping) res.setHeader('Connection', 'close');
    res.once('close', () => {
      openResponses.delete(res);
      if (stopping) server.closeIdleConnections();
    });
  });

  // Telemetry flushes run after HTTP, jobs and Kafka stopped and before the database closes, within the grace period.
  const telemetryFlushes: ShutdownStep[] = [
    // The counts of this node's last, unfinished interval go to the meter log while the database is still open.
    { name: 'meter log', run: () => meterLogReporter.stop() },
  ];

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`, { signal, gracePeriodMs: config.shutdownGracePeriodMs });
    const outcome = await runShutdown([
      [
        {
          name: 'http',
          run: async () => {
            // Parked long polls answer [] first, so workers see a clean end instead of a reset connection.
            const closed = new Promise((resolve) => server.close(resolve));
            for (const res of openResponses) if (!res.headersSent) res.setHeader('Connection', 'close');
            await fetchAndLockWaiter.close();
            server.closeIdleConnections();
            await closed;
          },
        },
        // Running jobs finish; jobs it acquired but did not run are released at once for other nodes.
        ...(jobExecutor ? [{ name: 'job executor', run: () => jobExecutor.stop() }] : []),
        // Results being applied finish; published deliveries are in Kafka, unpublished ones wait in the outbox.
        ...(kafkaTransport ? [{ name: 'kafka transport', run: () => kafkaTransport.stop() }] : []),
      ],
      telemetryFlushes,
      [{ name: 'database', run: () => database.close() }],
      // The last spans (this shutdown's own among them) are exported before the process ends.
      ...(tracing ? [[{ name: 'tracing', run: () => tracing.shutdownTracing() }]] : []),
    ], config.shutdownGracePeriodMs, logger);
    if (outcome.clean) {
      logger.info('Shut down cleanly');
      process.exit(0);
    }
    logger.error('Shutdown grace period exceeded; exiting with work still running', { gracePeriodMs: config.shutdownGracePeriodMs, unfinished: outcome.unfinished, openRequests: openResponses.size, runningJobs: jobExecutor?.runningJobIds ?? [] });
    process.exit(1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (cluster.isWorker) announceWorkerStarted();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
