/** Readiness checks for `/health/ready`: each says UP or DOWN with identifiers and types only, never a message. */
import { pendingMigrations } from '../persistence/schema-status.js';
import type { ServiceContext } from './service-context.js';

export interface CheckResult {
  status: 'UP' | 'DOWN';
  [detail: string]: unknown;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<CheckResult>;
}

/** How long one check may take before it counts as DOWN: a load balancer's probe must not hang on a dead database. */
export const CHECK_TIMEOUT_MS = 2_000;

export class CheckTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'Timeout';
  }
}

/** `work`, or a rejection with CheckTimeoutError after `ms` (the work itself goes on and is ignored). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A DOWN result naming what failed by its type and code (a driver's message may quote SQL or values). */
export function downBecause(error: unknown, details: Record<string, unknown> = {}): CheckResult {
  const code = (error as { code?: unknown } | null)?.code;
  const type = error instanceof Error ? error.name || error.constructor.name : typeof error;
  return { status: 'DOWN', ...details, error: typeof code === 'string' ? `${type} ${code}` : type };
}

/** The database answers a query, and every migration this build knows is applied. */
export function databaseChecks(ctx: ServiceContext): ReadinessCheck[] {
  return [
    {
      name: 'database',
      async check() {
        try {
          await withTimeout(ctx.database.knex.raw('select 1'), CHECK_TIMEOUT_MS);
          return { status: 'UP', kind: ctx.database.kind };
        } catch (error) {
          return downBecause(error, { kind: ctx.database.kind });
        }
      },
    },
    {
      name: 'migrations',
      async check() {
        try {
          const pending = await withTimeout(pendingMigrations(ctx.database.knex), CHECK_TIMEOUT_MS);
          return pending.length === 0 ? { status: 'UP' } : { status: 'DOWN', pending };
        } catch (error) {
          return downBecause(error);
        }
      },
    },
  ];
}

/** Runs every check at once; ready when all are UP. */
export async function checkReadiness(checks: readonly ReadinessCheck[]): Promise<{ status: 'UP' | 'DOWN'; checks: Record<string, CheckResult> }> {
  const results = await Promise.all(checks.map(async (check) => [check.name, await check.check().catch((error: unknown) => downBecause(error))] as const));
  return { status: results.every(([, result]) => result.status === 'UP') ? 'UP' : 'DOWN', checks: Object.fromEntries(results) };
}
