/** User task rows: a task (and its history) per waiting user task, created with its attributes and task listeners. */
import { newId } from '../../core/ids.js';
import { fromPlainValue } from '../../core/typed-value.js';
import { resolveUserTaskAttributes } from '../../engine/index.js';
import { linkTasksToActivityInstances } from '../../persistence/history-repository.js';
import { endHistoricTaskInstances, insertHistoricTaskInstances } from '../../persistence/historic-task-repository.js';
import { insertIdentityLinkLogs, type IdentityLinkLogRow } from '../../persistence/identity-link-log-repository.js';
import { deleteTask, insertTasks, listTasksOfInstance, type ProcessTaskRow } from '../../persistence/task-repository.js';
import { identityLinkLogRows, linksOfNewTask } from '../identity-link-log.js';
import { deleteVariablesOfScope } from '../../persistence/variable-repository.js';
import { listenerAttributesOf, taskRecordOf } from '../task-record.js';
import { taskScope, writeVariableBatch, type VariableWrite } from '../variable-writer.js';
import { activityInstanceOf, type WaitRows } from './wait-rows.js';

export const userTaskRows: WaitRows<ProcessTaskRow> = {
  kinds: ['userTask'],
  table: 'task',
  count: (db, processInstanceId) => db('task').count('*').where({ process_instance_id: processInstanceId }),
  list: listTasksOfInstance,

  async create(db, input, waits) {
    const { identity, now } = input;
    const tasks: ProcessTaskRow[] = [];
    const linkLog: IdentityLinkLogRow[] = [];
    const localVariables: VariableWrite[] = [];
    const links: Array<{ activityInstanceId: string; taskId: string; assignee: string | null }> = [];
    for (const wait of waits) {
      const attributes = resolveUserTaskAttributes(wait.activityId, { ...wait.behaviour, name: wait.activityName }, input.expressions(wait));
      const activityInstance = await activityInstanceOf(db, input, wait);
      const resolved: ProcessTaskRow = {
        id: newId(),
        process_instance_id: identity.processInstanceId,
        engine_execution_id: wait.executionId,
        execution_id: input.executionOf(wait),
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
        delegation_state: null,
        parent_task_id: null,
        case_instance_id: null,
        identity_links: [],
      };
      const record = taskRecordOf(resolved);
      // Camunda runs 'create' listeners, then 'assignment' ones when the task starts with an assignee.
      input.taskListeners(wait, 'create', record);
      if (record.assignee) input.taskListeners(wait, 'assignment', record);
      const task: ProcessTaskRow = { ...resolved, ...listenerAttributesOf(record) };
      tasks.push(task);
      linkLog.push(...identityLinkLogRows(task, input.rootProcessInstanceId, linksOfNewTask(task), now));
      // Task-local variables the listeners set (task.setVariableLocal) live in the task's own scope.
      for (const [name, value] of record.localChanges) localVariables.push({ scope: taskScope(task), name, value: fromPlainValue(value) });
      links.push({ activityInstanceId: activityInstance.id, taskId: task.id, assignee: task.assignee });
    }
    // A multi-instance creates many tasks at once: a statement per table, not per task.
    await insertTasks(db, tasks);
    await insertHistoricTaskInstances(db, tasks.map(historicTaskOf));
    await insertIdentityLinkLogs(db, linkLog);
    await writeVariableBatch(db, identity, localVariables, now);
    await linkTasksToActivityInstances(db, links);
  },

  async remove(db, input, tasks) {
    for (const task of tasks) {
      await deleteTask(db, task.id);
      // The task's own variables and its activity's scope end with the wait.
      await deleteVariablesOfScope(db, task.id);
      await deleteVariablesOfScope(db, task.activity_instance_id);
    }
    await endHistoricTaskInstances(db, tasks.map((task) => task.id), input.now);
  },

};

function historicTaskOf(task: ProcessTaskRow) {
  return {
    id: task.id,
    process_instance_id: task.process_instance_id,
    execution_id: task.execution_id,
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
    parent_task_id: null,
    case_instance_id: null,
    task_state: 'Created',
    delete_reason: null,
    start_time: task.create_time,
    end_time: null,
    duration_in_millis: null,
  };
}

