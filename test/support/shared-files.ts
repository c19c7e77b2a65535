/** Access to the shared reference folder beside the project (`../shared`), which is never copied into it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipOrFail } from './skip-report.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared folder; SHARED_DIR overrides it for checkouts that live elsewhere. */
export const sharedDir = resolve(process.env.SHARED_DIR ?? resolve(projectRoot, '..', 'shared'));

/** The absolute path of `rel` inside the shared folder, or undefined when it does not exist. */
export function sharedPath(rel: string): string | undefined {
  const path = resolve(sharedDir, rel);
  return existsSync(path) ? path : undefined;
}

/** The absolute path of `rel`; skips the calling test or hook when it is absent (and fails under CI=true). */
export function requireShared(ctx: Mocha.Context, rel: string): string {
  const path = sharedPath(rel);
  if (path !== undefined) return path;
  // In a hook ctx.test is the hook (and ctx.currentTest merely the next test), so name its suite; in a test, the test.
  const runnable = ctx.test;
  const isHook = (runnable as { type?: string } | undefined)?.type === 'hook';
  const suite = (isHook ? runnable?.parent?.fullTitle() : runnable?.fullTitle()) ?? 'a suite';
  return skipOrFail(ctx, suite, `shared file ${resolve(sharedDir, rel)} is absent`);
}
