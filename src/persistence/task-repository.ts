/**
 * User tasks: one row per waiting user-task execution, unique on (process instance, engine execution), and stand-alone
 * tasks (created over REST), which have no instance, definition or execution.
 */
import type { VariableCondition } from '../core/variable-condition.js';
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { whereVariablesHold } from './variable-instance-repository.js';

export interface TaskRow {
  id: string;
  process_instance_id: string | null;
  engine_execution_id: string | null;
  execution_id: string | null;
  activity_instance_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  task_definition_key: string | null;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  candidate_users: string[];
  candidate_groups: string[];
  form_key: string | null;
  priority: number;
  due_date: Date | null;
  follow_up_date: Date | null;
  create_time: Date;
  last_updated: Date | null;
  tenant_id: string | null;
  suspended: boolean;
  delegation_state: 'PENDING' | 'RESOLVED' | null;
  parent_task_id: string | null;
  case_instance_id: string | null;
  /** Links of other types than candidate, assignee and owner. */
  identity_links: CustomIdentityLink[];
}

export interface CustomIdentityLink {
  userId: string | null;
  groupId: string | null;
  type: string;
}

/** A task of a process instance, as every command of the engine sees it (stand-alone tasks have none of these). */
export type ProcessTaskRow = TaskRow & {
  process_instance_id: string;
  engine_execution_id: string;
  activity_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  task_definition_key: string;
};

export function isProcessTask(task: TaskRow): task is ProcessTaskRow {
  return task.process_instance_id !== null;
}

export interface TaskFilter {
  taskId?: string;
  taskIdIn?: string[];
  processInstanceId?: string;
  processInstanceIdIn?: string[];
  processInstanceBusinessKey?: string;
  processInstanceBusinessKeyLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  taskDefinitionKey?: string;
  taskDefinitionKeyIn?: string[];
  name?: string;
  nameLike?: string;
  assignee?: string;
  assigneeIn?: string[];
  assigneeLike?: string;
  assigned?: boolean;
  unassigned?: boolean;
  candidateUser?: string;
  /** The candidate user's groups when the caller knows them (Camunda uses the authenticated user's); else the stored memberships. */
  candidateUserGroups?: readonly string[];
  candidateGroup?: string;
  candidateGroups?: string[];
  withCandidateGroups?: boolean;
  withoutCandidateGroups?: boolean;
  includeAssignedTasks?: boolean;
  priority?: number;
  minPriority?: number;
  maxPriority?: number;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  active?: boolean;
  suspended?: boolean;
  owner?: string;
  delegationState?: 'PENDING' | 'RESOLVED';
  parentTaskId?: string;
  /** Each holds for a variable of the task's process instance in any scope but a task's, as Operaton reads it. */
  processVariables?: VariableCondition[];
  /** Each holds for a local variable of the task. */
  taskVariables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  instanceId: 't.process_instance_id', caseInstanceId: 't.id', dueDate: 't.due_date', executionId: 't.process_instance_id',
  caseExecutionId: 't.id', assignee: 't.assignee', created: 't.create_time', lastUpdated: 't.last_updated',
  description: 't.description', id: 't.id', name: 't.name', nameCaseInsensitive: 't.name', priority: 't.priority',
  processInstanceId: 't.process_instance_id', followUpDate: 't.follow_up_date', tenantId: 't.tenant_id',
  taskDefinitionKey: 't.task_definition_key',
};

/** jsonb takes the links as JSON text: the driver would write a JavaScript array as a PostgreSQL array. */
function insertable(row: TaskRow) {
  return { ...row, identity_links: JSON.stringify(row.identity_links) };
}

export async function insertTasks(db: Db, rows: TaskRow[]): Promise<void> {
  for (const chunk of statementChunks(rows)) await db('task').insert(chunk.map(insertable));
}

export async function findTask(db: Db, id: string): Promise<TaskRow | undefined> {
  return db<TaskRow>('task').where({ id }).first();
}

/** A stand-alone task under this transaction's row lock: its commands lock the task, as process tasks' lock their instance. */
export async function lockStandaloneTask(db: Db, id: string): Promise<TaskRow | undefined> {
  return db<TaskRow>('task').where({ id }).whereNull('process_instance_id').forUpdate().first();
}

export async function insertStandaloneTask(db: Db, row: TaskRow): Promise<void> {
  await db('task').insert(insertable(row));
}

export async function updateTask(db: Db, id: string, changes: Partial<TaskRow>): Promise<void> {
  const { identity_links: links, ...columns } = changes;
  await db('task').where({ id }).update(links === undefined ? columns : { ...columns, identity_links: JSON.stringify(links) });
}

/** An instance's tasks, or only those of these engine executions. */
export async function listTasksOfInstance(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<ProcessTaskRow[]> {
  const query = db<ProcessTaskRow>('task').where({ process_instance_id: processInstanceId });
  if (engineExecutionIds) query.whereIn('engine_execution_id', engineExecutionIds);
  return query.orderBy('create_time');
}

export async function updateTaskSuspensionOfInstance(db: Db, processInstanceId: string, suspended: boolean): Promise<void> {
  await db('task').where({ process_instance_id: processInstanceId }).update({ suspended });
}

/** The stand-alone tasks created as subtasks of this one (`parentTaskId`), locked. */
export async function findSubtasks(db: Db, parentTaskId: string): Promise<TaskRow[]> {
  return db<TaskRow>('task').where({ parent_task_id: parentTaskId }).whereNull('process_instance_id').orderBy('id').forUpdate();
}

export async function deleteTask(db: Db, id: string): Promise<void> {
  await db('task').where({ id }).delete();
}

/**
 * Camunda's candidate group report: unassigned tasks joined with their identity links and counted per group, so a
 * user link, or a task without links, counts for the null group; groups in order, null last.
 */
export async function candidateGroupCounts(db: Db): Promise<Array<{ groupName: string | null; taskCount: number }>> {
  const rows = await db.raw<{ rows: Array<{ group_name: string | null; task_count: string | number }> }>(`
    select l.group_name, count(*) as task_count from (
      select g as group_name from task t cross join unnest(t.candidate_groups) g where t.assignee is null
      union all select null from task t cross join unnest(t.candidate_users) u where t.assignee is null
      union all select l ->> 'groupId' from task t cross join jsonb_array_elements(t.identity_links) l where t.assignee is null
      union all select null from task t where t.assignee is null and cardinality(t.candidate_groups) = 0
        and cardinality(t.candidate_users) = 0 and jsonb_array_length(t.identity_links) = 0
    ) l group by l.group_name order by l.group_name asc nulls last`);
  return rows.rows.map((row) => ({ groupName: row.group_name, taskCount: Number(row.task_count) }));
}

function filtered(db: Db, filter: TaskFilter) {
  const query = db('task as t');
  if (filter.taskId !== undefined) query.where('t.id', filter.taskId);
  if (filter.taskIdIn) query.whereIn('t.id', filter.taskIdIn);
  if (filter.processInstanceId !== undefined) query.where('t.process_instance_id', filter.processInstanceId);
  if (filter.processInstanceIdIn) query.whereIn('t.process_instance_id', filter.processInstanceIdIn);
  if (filter.processInstanceBusinessKey !== undefined || filter.processInstanceBusinessKeyLike !== undefined) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('process_instance as pi').whereRaw('pi.id = t.process_instance_id');
      if (filter.processInstanceBusinessKey !== undefined) sub.where('pi.business_key', filter.processInstanceBusinessKey);
      if (filter.processInstanceBusinessKeyLike !== undefined) sub.where('pi.business_key', 'like', likePattern(filter.processInstanceBusinessKeyLike));
    });
  }
  if (filter.processDefinitionId !== undefined) query.where('t.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('t.process_definition_key', filter.processDefinitionKey);
  if (filter.processDefinitionKeyIn) query.whereIn('t.process_definition_key', filter.processDefinitionKeyIn);
  if (filter.taskDefinitionKey !== undefined) query.where('t.task_definition_key', filter.taskDefinitionKey);
  if (filter.taskDefinitionKeyIn) query.whereIn('t.task_definition_key', filter.taskDefinitionKeyIn);
  if (filter.name !== undefined) query.where('t.name', filter.name);
  if (filter.nameLike !== undefined) query.where('t.name', 'like', likePattern(filter.nameLike));
  if (filter.assignee !== undefined) query.where('t.assignee', filter.assignee);
  if (filter.assigneeIn) query.whereIn('t.assignee', filter.assigneeIn);
  if (filter.assigneeLike !== undefined) query.where('t.assignee', 'like', likePattern(filter.assigneeLike));
  if (filter.assigned) query.whereNotNull('t.assignee');
  if (filter.unassigned) query.whereNull('t.assignee');
  const candidateFilter = filter.candidateUser !== undefined || filter.candidateGroup !== undefined || filter.candidateGroups !== undefined;
  if (candidateFilter) {
    // Camunda hides assigned tasks from candidate queries unless includeAssignedTasks is set.
    if (!filter.includeAssignedTasks) query.whereNull('t.assignee');
    if (filter.candidateUser !== undefined) {
      // As in Camunda, a candidate user also sees the tasks offered to one of their groups.
      const user = filter.candidateUser;
      const groups = filter.candidateUserGroups;
      if (groups !== undefined) query.where((or) => or.whereRaw('? = any(t.candidate_users)', [user]).orWhereRaw('t.candidate_groups && ?::text[]', [[...groups]]));
      else query.where((or) => or.whereRaw('? = any(t.candidate_users)', [user]).orWhereRaw('t.candidate_groups && array(select m.group_id from identity_membership m where m.user_id = ?)', [user]));
    }
    if (filter.candidateGroup !== undefined) query.whereRaw('? = any(t.candidate_groups)', [filter.candidateGroup]);
    if (filter.candidateGroups !== undefined) query.whereRaw('t.candidate_groups && ?::text[]', [filter.candidateGroups]);
  }
  if (filter.withCandidateGroups) query.whereRaw('cardinality(t.candidate_groups) > 0');
  if (filter.withoutCandidateGroups) query.whereRaw('cardinality(t.candidate_groups) = 0');
  if (filter.priority !== undefined) query.where('t.priority', filter.priority);
  if (filter.minPriority !== undefined) query.where('t.priority', '>=', filter.minPriority);
  if (filter.maxPriority !== undefined) query.where('t.priority', '<=', filter.maxPriority);
  if (filter.tenantIdIn) query.whereIn('t.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('t.tenant_id');
  if (filter.active) query.where('t.suspended', false);
  if (filter.suspended) query.where('t.suspended', true);
  if (filter.owner !== undefined) query.where('t.owner', filter.owner);
  if (filter.delegationState !== undefined) query.where('t.delegation_state', filter.delegationState);
  if (filter.parentTaskId !== undefined) query.where('t.parent_task_id', filter.parentTaskId);
  const cases = { ignoreNameCase: filter.variableNamesIgnoreCase, ignoreValueCase: filter.variableValuesIgnoreCase };
  whereVariablesHold(db, query, filter.processVariables, { instanceOutsideTasks: 't.process_instance_id' }, cases);
  whereVariablesHold(db, query, filter.taskVariables, { task: 't.id' }, cases);
  return query;
}

export const taskQuery = pagedQuery<TaskFilter, TaskRow>({ filtered: filtered, columns: 't.*', sortColumns: SORT_COLUMNS, tieBreaker: 't.id' });

