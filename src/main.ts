/** Composition root: configuration → database → services → HTTP; deploys processes/ and decisions/ and shuts down cleanly on SIGTERM. */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { loadConfig } from './config/load-config.js';
import { newId } from './core/ids.js';
import { createLogger } from './telemetry/logger.js';

// Modules that load express, pg, kafkajs or http are imported in main(), after tracing started: OpenTelemetry's
// instrumentations patch them as they load. Do not import them statically here.
async function main(): Promise<void> {
  const config = loadConfig();
  const tracing = config.tracing ? await import('./telemetry/tracing.js') : null;
  if (config.tracing) tracing!.startTracing(config.tracing);
  const [{ JobExecutor }, { startKafkaTransport }, { openDatabase }, { createApp, REST_BASE }, { createServiceContext }, { FetchAndLockWaiter }, { deployDirectory }] = await Promise.all([
    import('./jobs/job-executor.js'),
    import('./kafka/kafka-transport.js'),
    import('./persistence/database.js'),
    import('./server/create-app.js'),
    import('./services/service-context.js'),
    import('./services/fetch-and-lock-waiter.js'),
    import('./services/startup-deployer.js'),
  ]);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl || config.dataDir === null ? undefined : config.dataDir, log: (m) => logger.info(m) });
  const ctx = createServiceContext(database, {
    logger,
    options: {
      selfCheck: config.selfCheck,
      pauseBeforeCommit: config.testPauseBeforeCommit,
      signalBroadcastLeaseMs: config.signalBroadcastLeaseMs,
      unhandledBpmnError: config.unhandledBpmnError,
      scripts: { javascript: config.javascriptScripts },
      delegatesAsExternalTasks: config.delegatesAsExternalTasks,
      timeZone: config.timerTimeZone,
      kafka: config.kafka && { topicPrefix: config.kafka.topicPrefix, externalTopics: config.kafka.externalTopics === '*' ? '*' : new Set(config.kafka.externalTopics), lockDurationMs: config.kafka.lockDurationMs },
    },
  });

  if (config.javascriptScripts) logger.warn('JAVASCRIPT_SCRIPTS is on: JavaScript in diagrams runs in node:vm, which is no sandbox; deploy only trusted diagrams');
  const deployed = await deployDirectory(ctx, config.processesDir, config.decisionsDir);
  if (deployed) {
    const count = deployed.processDefinitions?.length ?? 0;
    const decisions = deployed.decisionDefinitions?.length ?? 0;
    logger.info(count + decisions > 0
      ? `Deployed ${count} process definition(s) from ${config.processesDir} and ${decisions} decision definition(s) from ${config.decisionsDir}`
      : `Processes in ${config.processesDir} and decisions in ${config.decisionsDir} are unchanged since the last start`);
  }

  const jobExecutor = config.jobExecutor.enabled
    ? new JobExecutor(ctx, { lockOwner: `${hostname()}:${process.pid}:${newId().slice(0, 8)}`, lockDurationMs: config.jobExecutor.lockDurationMs, pollIntervalMs: config.jobExecutor.pollIntervalMs })
    : null;
  await jobExecutor?.start();
  const kafkaTransport = config.kafka ? await startKafkaTransport(ctx, config.kafka) : null;

  const fetchAndLockWaiter = new FetchAndLockWaiter(ctx, config.maxPendingFetches);
  const app = createApp(ctx, { maxUploadBytes: config.maxUploadBytes, fetchAndLockWaiter, webAppDir: config.webAppDir, basicAuthUsers: config.basicAuthUsers });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`Web app: http://localhost:${port}/`);
  logger.info(`REST API: http://localhost:${port}${REST_BASE}`);
  if (config.basicAuthUsers) logger.info(`REST API requires Basic authentication (${config.basicAuthUsers.size} user(s))`);
  logger.info(`Data: ${database.kind === 'pglite' ? `embedded PGlite in ${database.location}` : `PostgreSQL at ${database.location}`}`);
  if (config.tracing) logger.info(`Tracing: service ${config.tracing.serviceName}, spans to ${[config.tracing.otlp?.url, config.tracing.console ? 'the console' : undefined].filter(Boolean).join(' and ')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    // Parked long polls answer [] first, so workers see a clean end instead of a reset connection.
    await fetchAndLockWaiter.close();
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    // A job it was running finishes; jobs it had acquired but not run go to another node when their lock expires.
    await jobExecutor?.stop();
    // Results being applied finish; published deliveries are in Kafka, unpublished ones wait in the outbox.
    await kafkaTransport?.stop();
    await database.close();
    // The last spans (this shutdown's own among them) are exported before the process ends.
    await tracing?.shutdownTracing();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
