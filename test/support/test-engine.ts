/** An engine for tests: services on a test database and the REST app in-process, with the self-check on. */
import type { Express } from 'express';
import type { Clock } from '../../src/core/clock.js';
import type { Database } from '../../src/persistence/database.js';
import { createApp, type AppOptions } from '../../src/server/create-app.js';
import { FetchAndLockWaiter } from '../../src/services/fetch-and-lock-waiter.js';
import type { KafkaDelivery } from '../../src/services/external-task-delivery.js';
import type { ReadinessCheck } from '../../src/services/readiness.js';
import { createServiceContext, type Logger, type ServiceContext } from '../../src/services/service-context.js';

export interface TestEngine {
  ctx: ServiceContext;
  app: Express;
  warnings: string[];
  fetchAndLockWaiter: FetchAndLockWaiter;
}

/** A logger that keeps warnings (tests assert some) and fails loudly on errors it was not told to expect. */
function recordingLogger(warnings: string[]): Logger {
  return { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(`error: ${m}`) };
}

export function createTestEngine(database: Database, options: { clock?: Clock; maxUploadBytes?: number; unhandledBpmnError?: 'end' | 'incident'; maxPendingFetches?: number; javascriptScripts?: boolean; delegatesAsExternalTasks?: boolean; webAppDir?: string; basicAuthUsers?: ReadonlyMap<string, string>; authentication?: AppOptions['authentication']; timeZone?: string; kafka?: KafkaDelivery; restrictUserOperationLogToAuthenticatedUsers?: boolean; logger?: Logger; readinessChecks?: readonly ReadinessCheck[] } = {}): TestEngine {
  const warnings: string[] = [];
  const ctx = createServiceContext(database, {
    clock: options.clock,
    logger: options.logger ?? recordingLogger(warnings),
    options: { selfCheck: true, unhandledBpmnError: options.unhandledBpmnError ?? 'end', scripts: { javascript: options.javascriptScripts ?? false }, delegatesAsExternalTasks: options.delegatesAsExternalTasks ?? false, timeZone: options.timeZone ?? 'UTC', kafka: options.kafka ?? null, restrictUserOperationLogToAuthenticatedUsers: options.restrictUserOperationLogToAuthenticatedUsers ?? true },
  });
  const fetchAndLockWaiter = new FetchAndLockWaiter(ctx, options.maxPendingFetches ?? 200);
  return { ctx, app: createApp(ctx, { maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024, fetchAndLockWaiter, webAppDir: options.webAppDir, basicAuthUsers: options.basicAuthUsers, authentication: options.authentication, readinessChecks: options.readinessChecks }), warnings, fetchAndLockWaiter };
}
