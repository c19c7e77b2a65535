/** An engine for tests: services on a test database and the REST app in-process, with the self-check on. */
import type { Express } from 'express';
import type { Clock } from '../../src/core/clock.js';
import { DefinitionCache } from '../../src/engine/index.js';
import type { Database } from '../../src/persistence/database.js';
import { createApp } from '../../src/server/create-app.js';
import { DecisionModelCache } from '../../src/services/decision-model-cache.js';
import { FetchAndLockWaiter } from '../../src/services/fetch-and-lock-waiter.js';
import type { Logger, ServiceContext } from '../../src/services/service-context.js';

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

export function createTestEngine(database: Database, options: { clock?: Clock; maxUploadBytes?: number; unhandledBpmnError?: 'end' | 'incident'; maxPendingFetches?: number; javascriptScripts?: boolean; delegatesAsExternalTasks?: boolean; webAppDir?: string; basicAuthUsers?: ReadonlyMap<string, string> } = {}): TestEngine {
  const warnings: string[] = [];
  const ctx: ServiceContext = {
    database,
    cache: new DefinitionCache(),
    decisions: new DecisionModelCache({ javascript: options.javascriptScripts ?? false }),
    clock: options.clock ?? { now: () => new Date() },
    logger: recordingLogger(warnings),
    options: { selfCheck: true, pauseBeforeCommit: null, unhandledBpmnError: options.unhandledBpmnError ?? 'end', scripts: { javascript: options.javascriptScripts ?? false }, delegatesAsExternalTasks: options.delegatesAsExternalTasks ?? false },
    metrics: { commands: 0, commits: 0 },
  };
  const fetchAndLockWaiter = new FetchAndLockWaiter(ctx, options.maxPendingFetches ?? 200);
  return { ctx, app: createApp(ctx, { maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024, fetchAndLockWaiter, webAppDir: options.webAppDir, basicAuthUsers: options.basicAuthUsers }), warnings, fetchAndLockWaiter };
}
