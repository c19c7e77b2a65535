/** Ends a running instance from outside (delete, cascading undeploy): rows removed, history closed as terminated. */
import type { Knex } from 'knex';
import { cancelOpenActivityInstances, deleteHistoryOfInstance, findHistoricProcessInstance, updateHistoricProcessInstance } from '../persistence/history-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { deleteProcessInstance, lockProcessInstance } from '../persistence/process-instance-repository.js';
import { deleteVariablesOfInstance } from '../persistence/variable-repository.js';
import { stampHistoryOfEndedRoot } from './history-removal-time.js';
import type { ServiceContext } from './service-context.js';
import { removeAllWaits } from './wait-reconciler.js';

export async function terminateInstance(
  ctx: ServiceContext,
  tx: Knex.Transaction,
  processInstanceId: string,
  options: { purgeHistory: boolean; deleteReason: string | null },
): Promise<boolean> {
  const row = await lockProcessInstance(tx, processInstanceId);
  if (!row) return false;
  const now = ctx.clock.now();
  await removeAllWaits(tx, processInstanceId, now);
  await deleteVariablesOfInstance(tx, processInstanceId);
  await deleteProcessInstance(tx, processInstanceId);
  if (options.purgeHistory) {
    await deleteHistoryOfInstance(tx, processInstanceId);
    return true;
  }
  await cancelOpenActivityInstances(tx, processInstanceId, now);
  const history = await findHistoricProcessInstance(tx, processInstanceId);
  await updateHistoricProcessInstance(tx, processInstanceId, {
    state: 'EXTERNALLY_TERMINATED',
    end_time: now,
    delete_reason: options.deleteReason,
    duration_in_millis: history ? Math.max(0, now.getTime() - new Date(history.start_time).getTime()) : null,
  });
  if (row.root_process_instance_id === processInstanceId) {
    const definition = await findProcessDefinition(tx, row.process_definition_id);
    await stampHistoryOfEndedRoot(tx, processInstanceId, now, definition?.history_time_to_live ?? null);
  }
  return true;
}
