/** Runs a command in one transaction with exactly one commit, then the optional self-check on what it touched. */
import type { Knex } from 'knex';
import type { ServiceContext } from './service-context.js';
import { currentAuthentication } from './authentication.js';
import { beginCommandOperation } from './command-operation.js';
import { verifyInstance } from './instance-verifier.js';
import { takeWork } from '../telemetry/committed-work.js';
import { ENGINE_ATTRIBUTES, ENGINE_SPANS, inSpan } from '../telemetry/engine-spans.js';

/** Handed to a command: its transaction, and where it records the instances it changed for the self-check. */
export interface CommandScope {
  tx: Knex.Transaction;
  touched: Set<string>;
  /** Work that needs the command's writes committed (delivering a signal it threw to other instances). */
  afterCommit: Array<() => Promise<void>>;
}

const pausesSeen = new WeakMap<ServiceContext, number>();

/** How many commands the test pause matched before this one. */
function seenPauses(ctx: ServiceContext): number {
  const seen = pausesSeen.get(ctx) ?? 0;
  pausesSeen.set(ctx, seen + 1);
  return seen;
}

export function runCommand<T>(ctx: ServiceContext, name: string, work: (scope: CommandScope) => Promise<T>): Promise<T> {
  // One span around the transaction, its self-check and after-commit work; activity spans are its children.
  return inSpan(`${ENGINE_SPANS.command} ${name}`, () => ({ [ENGINE_ATTRIBUTES.commandName]: name }), () => runInTransaction(ctx, name, work));
}

async function runInTransaction<T>(ctx: ServiceContext, name: string, work: (scope: CommandScope) => Promise<T>): Promise<T> {
  const touched = new Set<string>();
  const afterCommit: CommandScope['afterCommit'] = [];
  const started = performance.now();
  let transaction: Knex.Transaction | null = null;
  const finished = (committed: boolean) => ctx.metrics.commandFinished(name, (performance.now() - started) / 1000, committed, transaction ? takeWork(transaction) : []);
  const result = await ctx.database.knex.transaction(async (tx) => {
    transaction = tx;
    beginCommandOperation(tx, currentAuthentication() !== null || !ctx.options.restrictUserOperationLogToAuthenticatedUsers);
    const value = await work({ tx, touched, afterCommit });
    const pause = ctx.options.pauseBeforeCommit;
    if (pause && pause.command === name && seenPauses(ctx) >= (pause.skip ?? 0)) {
      ctx.logger.warn(`test hook: ${name} paused before commit for ${pause.ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, pause.ms));
    }
    return value;
  }).catch((error: unknown) => {
    finished(false);
    throw error;
  });
  // What the command did counts only now that it committed (telemetry/committed-work.ts).
  finished(true);
  if (ctx.options.selfCheck) {
    for (const processInstanceId of touched) await verifyInstance(ctx, processInstanceId);
  }
  for (const work of afterCommit) await work();
  return result;
}
