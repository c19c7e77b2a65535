/** Runs a command in one transaction with exactly one commit, then the optional self-check on what it touched. */
import type { Knex } from 'knex';
import type { ServiceContext } from './service-context.js';
import { verifyInstance } from './instance-verifier.js';

/** Handed to a command: its transaction, and where it records the instances it changed for the self-check. */
export interface CommandScope {
  tx: Knex.Transaction;
  touched: Set<string>;
}

export async function runCommand<T>(ctx: ServiceContext, name: string, work: (scope: CommandScope) => Promise<T>): Promise<T> {
  const touched = new Set<string>();
  ctx.metrics.commands += 1;
  const result = await ctx.database.knex.transaction(async (tx) => {
    const value = await work({ tx, touched });
    const pause = ctx.options.pauseBeforeCommit;
    if (pause && pause.command === name) {
      ctx.logger.warn(`test hook: ${name} paused before commit for ${pause.ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, pause.ms));
    }
    return value;
  });
  ctx.metrics.commits += 1;
  if (ctx.options.selfCheck) {
    for (const processInstanceId of touched) await verifyInstance(ctx, processInstanceId);
  }
  return result;
}
