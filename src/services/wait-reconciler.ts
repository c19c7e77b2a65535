/** Keeps the wait-state rows (user tasks, external tasks) equal to what the engine waits for (DESIGN §4 step 4). */
import { InconsistentStateError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { fromPlainValue } from '../core/typed-value.js';
import { resolveExternalWork, resolveUserTaskAttributes, type TaskRecord, type WaitingActivity } from '../engine/index.js';
import type { ExpressionContext } from '../expressions/index.js';
import type { Db } from '../persistence/database.js';
import { deleteExternalTask, deleteExternalTasksOfInstance, insertExternalTask, listExternalTasksOfInstance } from '../persistence/external-task-repository.js';
import { findActivityInstanceByExecution, updateHistoricActivityInstance, type HistoricActivityInstanceRow } from '../persistence/history-repository.js';
import { notify } from '../persistence/notifier.js';
import { endHistoricTaskInstances, insertHistoricTaskInstance } from '../persistence/historic-task-repository.js';
import { deleteTask, deleteTasksOfInstance, insertTask, listTasksOfInstance, type TaskRow } from '../persistence/task-repository.js';
import { deleteVariablesOfScope } from '../persistence/variable-repository.js';
import { removeIncidentsOfConfiguration, removeIncidentsOfInstance } from './incident-lifecycle.js';
import { EXTERNAL_TASK_CHANNEL, externalTaskAvailable } from './external-task-notifications.js';
import type { InstanceIdentity } from './instance-identity.js';
import { listenerAttributesOf, taskRecordOf } from './task-record.js';
import { taskScope, writeVariable } from './variable-writer.js';

export interface WaitReconciliation {
  identity: InstanceIdentity;
  waits: WaitingActivity[];
  /** Activity instances this command created, by engine execution id. */
  activityInstances: Map<string, HistoricActivityInstanceRow>;
  /** What expressions in a wait's attributes see: the variables visible from its execution after the command. */
  expressions: (wait: WaitingActivity) => ExpressionContext;
  /** Runs a user task's task listeners of an event (create, assignment) in its execution's scope. */
  taskListeners: (wait: WaitingActivity, event: 'create' | 'assignment', task: TaskRecord) => void;
  now: Date;
  /** A new instance has no rows yet: nothing to read. */
  isNew: boolean;
}

/**
 * The activity instance a wait belongs to. Every wait's activity started with the same execution id, in this command
 * or an earlier one, so a missing row means history and engine state disagree: fail the command rather than
 * attach the wait to the process instance (its task would then always end as Deleted).
 */
async function activityInstanceOf(db: Db, input: WaitReconciliation, wait: WaitingActivity): Promise<HistoricActivityInstanceRow> {
  const { processInstanceId } = input.identity;
  const found = input.activityInstances.get(wait.executionId) ?? (await findActivityInstanceByExecution(db, processInstanceId, wait.executionId));
  if (!found) throw new InconsistentStateError(`Process instance ${processInstanceId} waits at '${wait.activityId}' (execution ${wait.executionId}), which has no activity instance`);
  return found;
}

async function reconcileUserTasks(db: Db, input: WaitReconciliation, waits: WaitingActivity[]): Promise<void> {
  const { identity, now } = input;
  const existing = input.isNew ? [] : await listTasksOfInstance(db, identity.processInstanceId);
  const waiting = new Set(waits.map((wait) => wait.executionId));
  const ended = existing.filter((task) => !waiting.has(task.engine_execution_id));
  for (const task of ended) {
    await deleteTask(db, task.id);
    // The task's own variables and its activity's scope end with the wait.
    await deleteVariablesOfScope(db, task.id);
    await deleteVariablesOfScope(db, task.activity_instance_id);
  }
  await endHistoricTaskInstances(db, ended.map((task) => task.id), now);
  const known = new Set(existing.map((task) => task.engine_execution_id));
  for (const wait of waits) {
    if (known.has(wait.executionId)) continue;
    const attributes = resolveUserTaskAttributes(wait.activityId, { ...wait.behaviour, name: wait.activityName }, input.expressions(wait));
    const activityInstance = await activityInstanceOf(db, input, wait);
    const resolved: TaskRow = {
      id: newId(),
      process_instance_id: identity.processInstanceId,
      engine_execution_id: wait.executionId,
      activity_instance_id: activityInstance.id,
      process_definition_id: identity.definition.id,
      process_definition_key: identity.definition.key,
      task_definition_key: wait.activityId,
      name: attributes.name,
      description: attributes.description,
      assignee: attributes.assignee,
      owner: null,
      candidate_users: attributes.candidateUsers,
      candidate_groups: attributes.candidateGroups,
      form_key: attributes.formKey,
      priority: attributes.priority,
      due_date: attributes.dueDate,
      follow_up_date: attributes.followUpDate,
      create_time: now,
      last_updated: null,
      tenant_id: identity.tenantId,
      suspended: false,
    };
    const record = taskRecordOf(resolved);
    // Camunda runs 'create' listeners, then 'assignment' ones when the task starts with an assignee.
    input.taskListeners(wait, 'create', record);
    if (record.assignee) input.taskListeners(wait, 'assignment', record);
    const task: TaskRow = { ...resolved, ...listenerAttributesOf(record) };
    await insertTask(db, task);
    await insertHistoricTaskInstance(db, historicTaskOf(task));
    // Task-local variables the listeners set (task.setVariableLocal) live in the task's own scope.
    for (const [name, value] of record.localChanges) await writeVariable(db, identity, taskScope(task), name, fromPlainValue(value), now);
    await updateHistoricActivityInstance(db, activityInstance.id, { task_id: task.id, assignee: task.assignee });
  }
}

function historicTaskOf(task: TaskRow) {
  return {
    id: task.id,
    process_instance_id: task.process_instance_id,
    activity_instance_id: task.activity_instance_id,
    process_definition_id: task.process_definition_id,
    process_definition_key: task.process_definition_key,
    task_definition_key: task.task_definition_key,
    name: task.name,
    description: task.description,
    assignee: task.assignee,
    owner: task.owner,
    priority: task.priority,
    due_date: task.due_date,
    follow_up_date: task.follow_up_date,
    tenant_id: task.tenant_id,
    task_state: 'Created',
    delete_reason: null,
    start_time: task.create_time,
    end_time: null,
    duration_in_millis: null,
  };
}

async function reconcileExternalTasks(db: Db, input: WaitReconciliation, waits: WaitingActivity[]): Promise<void> {
  const { identity, now } = input;
  const existing = input.isNew ? [] : await listExternalTasksOfInstance(db, identity.processInstanceId);
  const waiting = new Set(waits.map((wait) => wait.executionId));
  for (const task of existing) {
    if (waiting.has(task.engine_execution_id)) continue;
    await deleteExternalTask(db, task.id);
    await removeIncidentsOfConfiguration(db, task.id, now);
    await deleteVariablesOfScope(db, task.activity_instance_id);
  }
  const known = new Set(existing.map((task) => task.engine_execution_id));
  const topics = new Set<string>();
  for (const wait of waits) {
    if (known.has(wait.executionId)) continue;
    const work = resolveExternalWork(wait.activityId, wait.behaviour, input.expressions(wait));
    const activityInstance = await activityInstanceOf(db, input, wait);
    await insertExternalTask(db, {
      id: newId(),
      process_instance_id: identity.processInstanceId,
      engine_execution_id: wait.executionId,
      activity_id: wait.activityId,
      activity_instance_id: activityInstance.id,
      process_definition_id: identity.definition.id,
      process_definition_key: identity.definition.key,
      process_definition_version_tag: identity.definition.version_tag,
      topic_name: work.topicName,
      worker_id: null,
      lock_expiration_time: null,
      retries: null,
      error_message: null,
      error_details: null,
      priority: work.priority,
      business_key: identity.businessKey,
      tenant_id: identity.tenantId,
      suspended: false,
      extension_properties: work.extensionProperties,
      create_time: now,
    });
    topics.add(work.topicName);
  }
  // Delivered on COMMIT only, so a parked fetchAndLock on any node wakes to rows it can see.
  for (const topic of topics) await notify(db, EXTERNAL_TASK_CHANNEL, externalTaskAvailable(topic, null));
}

export async function reconcileWaits(db: Db, input: WaitReconciliation): Promise<void> {
  await reconcileUserTasks(db, input, input.waits.filter((wait) => wait.kind === 'userTask'));
  await reconcileExternalTasks(db, input, input.waits.filter((wait) => wait.kind === 'externalTask'));
}

/** Removes every wait-state row of an instance that ended or was deleted. */
export async function removeAllWaits(db: Db, processInstanceId: string, now: Date): Promise<void> {
  const tasks = await deleteTasksOfInstance(db, processInstanceId);
  await endHistoricTaskInstances(db, tasks.map((task) => task.id), now);
  await deleteExternalTasksOfInstance(db, processInstanceId);
  await removeIncidentsOfInstance(db, processInstanceId, now);
}
