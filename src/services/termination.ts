/** Ends a running instance from outside (delete, cascading undeploy): rows removed, history closed as terminated. */
import type { Knex } from 'knex';
import { cancelOpenActivityInstances, deleteHistoryOfInstance, endHistoricProcessInstance, findHistoricProcessInstance } from '../persistence/history-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { lockProcessInstance } from '../persistence/process-instance-repository.js';
import { stampHistoryOfEndedRoot } from './history-removal-time.js';
import type { ServiceContext } from './service-context.js';
import { removeInstanceRuntime } from './wait-reconciler.js';

export async function terminateInstance(
  ctx: ServiceContext,
  tx: Knex.Transaction,
  processInstanceId: string,
  options: { purgeHistory: boolean; deleteReason: string | null },
): Promise<boolean> {
  return terminate(tx, processInstanceId, { ...options, now: ctx.clock.now() });
}

/**
 * Ends the child of a call activity its caller's own flow cancelled (a boundary event, a terminate end event): Camunda
 * records it as INTERNALLY_TERMINATED. The caller's lock is held, so the call tree's root is too.
 */
export async function terminateCalledInstance(tx: Knex.Transaction, childId: string, now: Date, deleteReason: string | null): Promise<void> {
  await terminate(tx, childId, { purgeHistory: false, deleteReason, now, state: 'INTERNALLY_TERMINATED' });
}

/** Ends these children of an instance's call activities (removeInstanceRuntime names them), and theirs. */
export async function terminateCalledInstances(tx: Knex.Transaction, calledInstanceIds: readonly string[], now: Date, deleteReason: string | null): Promise<void> {
  for (const childId of calledInstanceIds) await terminate(tx, childId, { purgeHistory: false, deleteReason, now });
}

async function terminate(
  tx: Knex.Transaction,
  processInstanceId: string,
  options: { purgeHistory: boolean; deleteReason: string | null; now: Date; state?: 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED' },
): Promise<boolean> {
  const row = await lockProcessInstance(tx, processInstanceId);
  if (!row) return false;
  const now = options.now;
  await terminateCalledInstances(tx, await removeInstanceRuntime(tx, processInstanceId, now), now, options.deleteReason);
  await cancelOpenActivityInstances(tx, processInstanceId, now);
  const history = await findHistoricProcessInstance(tx, processInstanceId);
  await endHistoricProcessInstance(tx, processInstanceId, {
    state: options.state ?? 'EXTERNALLY_TERMINATED',
    end_time: now,
    delete_reason: options.deleteReason,
    duration_in_millis: history ? Math.max(0, now.getTime() - new Date(history.start_time).getTime()) : null,
  });
  // Closed first even when purged: ending the history is where the metrics count a terminated instance.
  if (options.purgeHistory) {
    await deleteHistoryOfInstance(tx, processInstanceId);
    return true;
  }
  if (row.root_process_instance_id === processInstanceId) {
    const definition = await findProcessDefinition(tx, row.process_definition_id);
    await stampHistoryOfEndedRoot(tx, processInstanceId, now, definition?.history_time_to_live ?? null);
  }
  return true;
}
