/** Where the reference engine Operaton answers: OPERATON_URL, or the one scripts/run-tests.mjs builds and starts. */
import { existsSync, readFileSync } from 'node:fs';
import { skipOrFail } from '../support/skip-report.js';

/** A first Maven build downloads Spring Boot and Operaton; later runs take the cached jar and start in ~25 s. */
const LAUNCH_TIMEOUT_MS = 15 * 60_000;

interface LaunchStatus {
  state: 'building' | 'starting' | 'ready' | 'unavailable' | 'failed';
  url?: string;
  reason?: string;
}

function readStatus(file: string): LaunchStatus | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LaunchStatus;
}

/**
 * Waits until Operaton answers and returns its REST base URL; skips (fails under CI=true) when Java or Maven is
 * missing, and fails when it could not be built or started. Call from a before hook.
 */
export async function operatonUrl(ctx: Mocha.Context, suite: string): Promise<string> {
  if (process.env.OPERATON_URL) return process.env.OPERATON_URL.replace(/\/$/, '');
  const file = process.env.OPERATON_STATUS_FILE;
  if (!file) {
    return skipOrFail(ctx, suite, 'Operaton is not running: run the suite through npm test (scripts/run-tests.mjs starts it), or set OPERATON_URL to its /engine-rest');
  }
  ctx.timeout(LAUNCH_TIMEOUT_MS + 10_000);
  const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
  for (;;) {
    const status = readStatus(file);
    if (status?.state === 'ready') return status.url!;
    if (status?.state === 'unavailable') return skipOrFail(ctx, suite, status.reason!);
    if (status?.state === 'failed') throw new Error(`${suite}: Operaton could not be built or started: ${status.reason}`);
    if (Date.now() > deadline) throw new Error(`${suite}: Operaton was not ready after ${LAUNCH_TIMEOUT_MS / 60_000} minutes (last state: ${status?.state ?? 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
