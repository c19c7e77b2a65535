/** Suspending and activating instances together with their tasks, external tasks and jobs, and their history's state. */
import type { Knex } from 'knex';
import { updateExternalTaskSuspensionOfInstance } from '../persistence/external-task-repository.js';
import { updateHistoricProcessInstance } from '../persistence/history-repository.js';
import { updateJobSuspensionOfInstance } from '../persistence/job-repository.js';
import { notify } from '../persistence/notifier.js';
import { lockProcessInstance, updateProcessInstanceSuspension } from '../persistence/process-instance-repository.js';
import { updateTaskSuspensionOfInstance } from '../persistence/task-repository.js';
import { EXTERNAL_TASK_CHANNEL, externalTaskAvailable } from './external-task-notifications.js';

/** Suspends or activates instances with everything that works on them, each locked first; unknown ids are skipped. */
export async function suspendInstances(tx: Knex.Transaction, ids: readonly string[], suspended: boolean): Promise<void> {
  for (const id of ids) {
    if (!(await lockProcessInstance(tx, id))) continue;
    await updateProcessInstanceSuspension(tx, id, suspended);
    await updateTaskSuspensionOfInstance(tx, id, suspended);
    const topics = await updateExternalTaskSuspensionOfInstance(tx, id, suspended);
    await updateJobSuspensionOfInstance(tx, id, suspended);
    await updateHistoricProcessInstance(tx, id, { state: suspended ? 'SUSPENDED' : 'ACTIVE' });
    if (!suspended) for (const topic of topics) await notify(tx, EXTERNAL_TASK_CHANNEL, externalTaskAvailable(topic, null));
  }
}
