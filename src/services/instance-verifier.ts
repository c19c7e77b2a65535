/** The self-check (DESIGN §4 step 7): a committed state, recovered, must wait exactly where the wait-state rows say. */
import type { Knex } from 'knex';
import { parseEngineState, runProcessCommand } from '../engine/index.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { findProcessInstance } from '../persistence/process-instance-repository.js';
import { engineScopeOf, loadInstanceVariables } from './instance-advancer.js';
import { processModelOf } from './instance-identity.js';
import type { ServiceContext } from './service-context.js';
import { waitRowExecutionIds } from './wait-reconciler.js';

/** Thrown when the stored engine state and the wait-state rows disagree: a bug, never a user error. */
export class SelfCheckError extends Error {}

/**
 * Reads the state and the rows in one snapshot (a read-only REPEATABLE READ transaction): read one after the other,
 * a command committed in between on another connection (a worker completing the task the instance just reached)
 * would make a consistent instance look broken.
 */
export async function verifyInstance(ctx: ServiceContext, processInstanceId: string): Promise<void> {
  await ctx.database.knex.transaction((tx) => verifyInSnapshot(ctx, tx, processInstanceId), { isolationLevel: 'repeatable read', readOnly: true });
}

async function verifyInSnapshot(ctx: ServiceContext, db: Knex.Transaction, processInstanceId: string): Promise<void> {
  const row = await findProcessInstance(db, processInstanceId);
  if (!row) return;
  const definition = await findProcessDefinition(db, row.process_definition_id);
  if (!definition) throw new SelfCheckError(`Self-check: definition ${row.process_definition_id} of instance ${processInstanceId} is missing`);
  const identity = { processInstanceId, businessKey: row.business_key, tenantId: row.tenant_id, definition };
  const { scopes } = await loadInstanceVariables(db, processInstanceId);
  const result = await runProcessCommand(ctx.cache, processModelOf(identity), parseEngineState(row.state), engineScopeOf(ctx, identity, scopes), { kind: 'resume' });
  const engineWaits = result.waits.map((wait) => wait.executionId).sort();
  const rows = (await waitRowExecutionIds(db, processInstanceId)).sort();
  if (result.ended || JSON.stringify(engineWaits) !== JSON.stringify(rows)) {
    const message = `Self-check failed for process instance ${processInstanceId}: the recovered state waits at [${engineWaits.join(', ')}]${result.ended ? ' (ended)' : ''} but the rows hold [${rows.join(', ')}]`;
    ctx.logger.error(message);
    throw new SelfCheckError(message);
  }
}
