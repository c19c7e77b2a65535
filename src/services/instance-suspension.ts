/** Suspending and activating instances together with their tasks, external tasks and jobs, and their history's state. */
import type { Knex } from 'knex';
import { updateExternalTaskSuspensionOfInstance } from '../persistence/external-task-repository.js';
import { updateHistoricProcessInstance } from '../persistence/history-repository.js';
import { updateJobSuspensionOfInstance } from '../persistence/job-repository.js';
import { lockProcessInstance, updateProcessInstanceSuspension } from '../persistence/process-instance-repository.js';
import { updateTaskSuspensionOfInstance } from '../persistence/task-repository.js';
import { announceExternalTasks, type KafkaDelivery } from './external-task-delivery.js';

/** Suspends or activates instances with everything that works on them, each locked first; unknown ids are skipped. */
export async function suspendInstances(tx: Knex.Transaction, ids: readonly string[], suspended: boolean, kafka: KafkaDelivery | null, now: Date): Promise<void> {
  for (const id of ids) {
    if (!(await lockProcessInstance(tx, id))) continue;
    await updateProcessInstanceSuspension(tx, id, suspended);
    await updateTaskSuspensionOfInstance(tx, id, suspended);
    const externalTasks = await updateExternalTaskSuspensionOfInstance(tx, id, suspended);
    await updateJobSuspensionOfInstance(tx, id, suspended);
    await updateHistoricProcessInstance(tx, id, { state: suspended ? 'SUSPENDED' : 'ACTIVE' });
    if (!suspended) await announceExternalTasks(tx, kafka, externalTasks, now);
  }
}
