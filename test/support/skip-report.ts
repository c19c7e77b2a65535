/** Skips a suite or test with a reason that `npm test` lists at the end; under CI=true a skip is a failure. */
import { appendFileSync } from 'node:fs';

export function isCi(): boolean {
  return process.env.CI === 'true';
}

/** Writes the skip where scripts/run-tests.mjs collects it (one JSON object per line). */
export function recordSkip(suite: string, reason: string): void {
  const file = process.env.TEST_SKIP_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ suite, reason })}\n`);
}

/** Never returns: skips `ctx` (a hook or test context), or throws under CI where nothing may be skipped. */
export function skipOrFail(ctx: Mocha.Context, suite: string, reason: string): never {
  if (isCi()) throw new Error(`${suite}: ${reason} (CI=true: nothing may be skipped)`);
  recordSkip(suite, reason);
  console.log(`      skipped ${suite}: ${reason}`);
  ctx.skip();
}
