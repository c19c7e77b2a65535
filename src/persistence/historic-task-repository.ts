/** History of user tasks: one row per task, from creation to completion or deletion. */
import { recordWork } from '../telemetry/committed-work.js';
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { durationReport, type DurationReportRow, type PeriodUnit } from './duration-report.js';
import { activityInstanceCompleted, millisSinceStart } from './history-sql.js';
import { likePattern, orTerms, pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';
import { whereHistoricVariablesHold } from './variable-instance-repository.js';
import type { VariableCondition } from '../core/variable-condition.js';

export interface HistoricTaskInstanceRow {
  id: string;
  /** Null, as the definition, activity and task definition key, for a stand-alone task. */
  process_instance_id: string | null;
  execution_id: string | null;
  activity_instance_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  task_definition_key: string | null;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  due_date: Date | null;
  follow_up_date: Date | null;
  tenant_id: string | null;
  parent_task_id: string | null;
  case_instance_id: string | null;
  /** Camunda's TaskState names: Created, Updated, Completed, Deleted. */
  task_state: string;
  delete_reason: string | null;
  start_time: Date;
  end_time: Date | null;
  duration_in_millis: string | number | null;
  removal_time: Date | null;
}

export interface HistoricTaskInstanceFilter {
  taskId?: string;
  processInstanceId?: string;
  processInstanceBusinessKey?: string;
  processInstanceBusinessKeyIn?: string[];
  processInstanceBusinessKeyLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionName?: string;
  activityInstanceIdIn?: string[];
  taskName?: string;
  taskNameLike?: string;
  taskDefinitionKey?: string;
  taskDefinitionKeyIn?: string[];
  taskDeleteReason?: string;
  taskAssignee?: string;
  taskAssigneeLike?: string;
  taskOwner?: string;
  taskOwnerLike?: string;
  taskPriority?: number;
  /** Conditions on the task's process instance's own variables, each met by one of them. */
  processVariables?: VariableCondition[];
  /** Conditions on the task's local variables, each met by one of them. */
  taskVariables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
  /** Camunda's orQueries: for each, one of its criteria holds. */
  orQueries?: HistoricTaskInstanceFilter[];
  executionId?: string;
  rootProcessInstanceId?: string;
  taskParentTaskId?: string;
  taskDescription?: string;
  taskDescriptionLike?: string;
  taskDeleteReasonLike?: string;
  taskDueDate?: Date;
  taskDueDateBefore?: Date;
  taskDueDateAfter?: Date;
  withoutTaskDueDate?: boolean;
  taskFollowUpDate?: Date;
  taskFollowUpDateBefore?: Date;
  taskFollowUpDateAfter?: Date;
  /** Criteria on the task's identity link log: any link of the user or group, or a candidate one. */
  taskInvolvedUser?: string;
  taskInvolvedGroup?: string;
  taskHadCandidateUser?: string;
  taskHadCandidateGroup?: string;
  withCandidateGroups?: boolean;
  withoutCandidateGroups?: boolean;
  caseInstanceId?: string;
  /** Criteria on case definitions, which never match: this engine runs no CMMN. */
  caseDefinitionCriteria?: boolean;
  assigned?: boolean;
  unassigned?: boolean;
  finished?: boolean;
  unfinished?: boolean;
  processFinished?: boolean;
  processUnfinished?: boolean;
  startedBefore?: Date;
  startedAfter?: Date;
  finishedBefore?: Date;
  finishedAfter?: Date;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  taskId: 't.id', activityInstanceId: 't.activity_instance_id', processDefinitionId: 't.process_definition_id',
  processInstanceId: 't.process_instance_id', executionId: 't.process_instance_id', duration: 't.duration_in_millis',
  endTime: 't.end_time', startTime: 't.start_time', taskName: 't.name', taskDescription: 't.description', assignee: 't.assignee',
  owner: 't.owner', dueDate: 't.due_date', followUpDate: 't.follow_up_date', deleteReason: 't.delete_reason',
  taskDefinitionKey: 't.task_definition_key', priority: 't.priority', tenantId: 't.tenant_id',
};

export async function insertHistoricTaskInstances(db: Db, rows: Array<Omit<HistoricTaskInstanceRow, 'removal_time'>>): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of statementChunks(rows)) await db('hist_task_instance').insert(chunk);
  recordWork(db, { kind: 'userTasks', created: rows.length, completed: 0 });
}

export async function findHistoricTaskInstance(db: Db, id: string): Promise<HistoricTaskInstanceRow | undefined> {
  return db<HistoricTaskInstanceRow>('hist_task_instance').where({ id }).first();
}

export async function updateHistoricTaskInstance(db: Db, id: string, changes: Partial<HistoricTaskInstanceRow>): Promise<void> {
  await db('hist_task_instance').where({ id }).update(changes);
}

/**
 * Ends the history of tasks whose runtime rows are gone: 'completed' when their activity instance ended normally,
 * 'deleted' (Camunda's reason for a cancelled task) when it was cancelled or is still open (instance terminated).
 */
export async function endHistoricTaskInstances(db: Db, taskIds: string[], endTime: Date): Promise<void> {
  if (taskIds.length === 0) return;
  const completed = activityInstanceCompleted(db, 'hist_task_instance.activity_instance_id');
  const ended = await db('hist_task_instance')
    .whereIn('id', taskIds)
    .whereNull('end_time')
    .update({
      end_time: endTime,
      duration_in_millis: millisSinceStart(db, endTime),
      delete_reason: db.raw("case when ? then 'completed' else 'deleted' end", [completed]),
      task_state: db.raw("case when ? then 'Completed' else 'Deleted' end", [completed]),
    })
    .returning<Array<{ delete_reason: string }>>('delete_reason');
  recordWork(db, { kind: 'userTasks', created: 0, completed: ended.filter((task) => task.delete_reason === 'completed').length });
}

function filtered(db: Db, filter: HistoricTaskInstanceFilter): Knex.QueryBuilder {
  const query = db('hist_task_instance as t');
  if (filter.taskId !== undefined) query.where('t.id', filter.taskId);
  if (filter.processInstanceId !== undefined) query.where('t.process_instance_id', filter.processInstanceId);
  if (filter.processDefinitionId !== undefined) query.where('t.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('t.process_definition_key', filter.processDefinitionKey);
  if (filter.activityInstanceIdIn) query.whereIn('t.activity_instance_id', filter.activityInstanceIdIn);
  if (filter.taskName !== undefined) query.where('t.name', filter.taskName);
  if (filter.taskNameLike !== undefined) query.where('t.name', 'like', likePattern(filter.taskNameLike));
  if (filter.taskDefinitionKey !== undefined) query.where('t.task_definition_key', filter.taskDefinitionKey);
  if (filter.taskDefinitionKeyIn) query.whereIn('t.task_definition_key', filter.taskDefinitionKeyIn);
  if (filter.taskDeleteReason !== undefined) query.where('t.delete_reason', filter.taskDeleteReason);
  if (filter.taskAssignee !== undefined) query.where('t.assignee', filter.taskAssignee);
  if (filter.taskAssigneeLike !== undefined) query.where('t.assignee', 'like', likePattern(filter.taskAssigneeLike));
  if (filter.taskOwner !== undefined) query.where('t.owner', filter.taskOwner);
  if (filter.taskOwnerLike !== undefined) query.where('t.owner', 'like', likePattern(filter.taskOwnerLike));
  if (filter.executionId !== undefined) query.whereRaw('coalesce(t.execution_id, t.process_instance_id) = ?', [filter.executionId]);
  if (filter.taskParentTaskId !== undefined) query.where('t.parent_task_id', filter.taskParentTaskId);
  if (filter.taskDescription !== undefined) query.where('t.description', filter.taskDescription);
  if (filter.taskDescriptionLike !== undefined) query.where('t.description', 'like', likePattern(filter.taskDescriptionLike));
  if (filter.taskDeleteReasonLike !== undefined) query.where('t.delete_reason', 'like', likePattern(filter.taskDeleteReasonLike));
  if (filter.taskDueDate) query.where('t.due_date', filter.taskDueDate);
  if (filter.taskDueDateBefore) query.where('t.due_date', '<', filter.taskDueDateBefore);
  if (filter.taskDueDateAfter) query.where('t.due_date', '>', filter.taskDueDateAfter);
  if (filter.withoutTaskDueDate) query.whereNull('t.due_date');
  if (filter.taskFollowUpDate) query.where('t.follow_up_date', filter.taskFollowUpDate);
  if (filter.taskFollowUpDateBefore) query.where('t.follow_up_date', '<', filter.taskFollowUpDateBefore);
  if (filter.taskFollowUpDateAfter) query.where('t.follow_up_date', '>', filter.taskFollowUpDateAfter);
  if (filter.caseInstanceId !== undefined) query.where('t.case_instance_id', filter.caseInstanceId);
  const links = (narrow: (sub: Knex.QueryBuilder) => void) => (sub: Knex.QueryBuilder) => {
    sub.select(db.raw('1')).from('hist_identity_link_log as l').whereRaw('l.task_id = t.id');
    narrow(sub);
  };
  if (filter.taskInvolvedUser !== undefined) query.whereExists(links((sub) => sub.where('l.user_id', filter.taskInvolvedUser!)));
  if (filter.taskInvolvedGroup !== undefined) query.whereExists(links((sub) => sub.where('l.group_id', filter.taskInvolvedGroup!)));
  if (filter.taskHadCandidateUser !== undefined) query.whereExists(links((sub) => sub.where('l.type', 'candidate').where('l.user_id', filter.taskHadCandidateUser!)));
  if (filter.taskHadCandidateGroup !== undefined) query.whereExists(links((sub) => sub.where('l.type', 'candidate').where('l.group_id', filter.taskHadCandidateGroup!)));
  if (filter.withCandidateGroups) query.whereExists(links((sub) => sub.where('l.type', 'candidate').whereNotNull('l.group_id')));
  if (filter.withoutCandidateGroups) query.whereNotExists(links((sub) => sub.where('l.type', 'candidate').whereNotNull('l.group_id')));
  if (filter.caseDefinitionCriteria) query.whereRaw('false');
  if (filter.taskPriority !== undefined) query.where('t.priority', filter.taskPriority);
  if (filter.assigned) query.whereNotNull('t.assignee');
  if (filter.unassigned) query.whereNull('t.assignee');
  if (filter.finished) query.whereNotNull('t.end_time');
  if (filter.unfinished) query.whereNull('t.end_time');
  if (filter.startedBefore) query.where('t.start_time', '<=', filter.startedBefore);
  if (filter.startedAfter) query.where('t.start_time', '>=', filter.startedAfter);
  if (filter.finishedBefore) query.where('t.end_time', '<=', filter.finishedBefore);
  if (filter.finishedAfter) query.where('t.end_time', '>=', filter.finishedAfter);
  if (filter.tenantIdIn) query.whereIn('t.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('t.tenant_id');
  whereHistoricVariablesHold(db, query, filter.taskVariables, 'v.task_id = t.id', filter);
  whereHistoricVariablesHold(db, query, filter.processVariables, 'v.process_instance_id = t.process_instance_id and v.scope_id = v.process_instance_id', filter);
  const byProcess = filter.processInstanceBusinessKey !== undefined || filter.processInstanceBusinessKeyIn !== undefined || filter.processInstanceBusinessKeyLike !== undefined
    || filter.processDefinitionName !== undefined || filter.rootProcessInstanceId !== undefined || filter.processFinished || filter.processUnfinished;
  if (byProcess) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('hist_process_instance as p').whereRaw('p.id = t.process_instance_id');
      if (filter.processInstanceBusinessKey !== undefined) sub.where('p.business_key', filter.processInstanceBusinessKey);
      if (filter.processInstanceBusinessKeyIn) sub.whereIn('p.business_key', filter.processInstanceBusinessKeyIn);
      if (filter.processInstanceBusinessKeyLike !== undefined) sub.where('p.business_key', 'like', likePattern(filter.processInstanceBusinessKeyLike));
      if (filter.processDefinitionName !== undefined) sub.where('p.process_definition_name', filter.processDefinitionName);
      if (filter.rootProcessInstanceId !== undefined) sub.where('p.root_process_instance_id', filter.rootProcessInstanceId);
      if (filter.processFinished) sub.whereNotNull('p.end_time');
      if (filter.processUnfinished) sub.whereNull('p.end_time');
    });
  }
  for (const or of filter.orQueries ?? []) {
    const terms = orTerms(or, ['variableNamesIgnoreCase', 'variableValuesIgnoreCase']);
    if (terms.length > 0) query.where((any) => terms.forEach((term) => any.orWhereIn('t.id', filtered(db, term).select('t.id'))));
  }
  return query;
}

export const historicTaskInstanceQuery = pagedQuery<HistoricTaskInstanceFilter, WithRootInstance<HistoricTaskInstanceRow>>({ filtered, columns: (db) => withRootInstanceColumns(db, 't'), sortColumns: SORT_COLUMNS, tieBreaker: 't.id' });

export interface TaskCountReportRow {
  task_name: string | null;
  count: string | number;
  process_definition_key: string;
  process_definition_id: string;
  process_definition_name: string | null;
  tenant_id: string | null;
}

/** Completed tasks counted by task name (and definition) or by process definition, as Camunda's task count report. */
export async function taskCountReport(db: Db, query: { groupBy: 'taskName' | 'processDefinition'; completedBefore?: Date; completedAfter?: Date }): Promise<TaskCountReportRow[]> {
  const byName = query.groupBy === 'taskName';
  const report = db('hist_task_instance as t')
    // A left join: tasks of a deployment deleted without cascade keep their history, and count, as in Camunda.
    .leftJoin('process_definition as d', 'd.id', 't.process_definition_id')
    .whereNotNull('t.end_time')
    .select(db.raw(byName ? 't.name as task_name' : 'null as task_name'), 't.process_definition_key', 't.process_definition_id', 'd.name as process_definition_name', 't.tenant_id')
    .count({ count: '*' })
    .groupBy([...(byName ? ['t.name'] : []), 't.process_definition_key', 't.process_definition_id', 'd.name', 't.tenant_id'])
    .orderBy([...(byName ? [{ column: 't.name' }] : []), { column: 't.process_definition_id' }]);
  if (query.completedBefore) report.where('t.end_time', '<=', query.completedBefore);
  if (query.completedAfter) report.where('t.end_time', '>=', query.completedAfter);
  return report as unknown as Promise<TaskCountReportRow[]>;
}

/** Completed tasks' durations per month or quarter of their completion, as Camunda's task duration report. */
export async function taskDurationReport(db: Db, query: { periodUnit: PeriodUnit; completedBefore?: Date; completedAfter?: Date }): Promise<DurationReportRow[]> {
  const finished = db('hist_task_instance').whereNotNull('end_time');
  if (query.completedBefore) finished.where('end_time', '<=', query.completedBefore);
  if (query.completedAfter) finished.where('end_time', '>=', query.completedAfter);
  return durationReport(db, finished, 'end_time', query.periodUnit);
}
