/** History: process instances, activity instances and variable instances, kept after the runtime rows are gone. */
import { recordWork } from '../telemetry/committed-work.js';
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { durationReport, type DurationReportRow, type PeriodUnit } from './duration-report.js';
import { millisSinceStart } from './history-sql.js';
import { likePattern, orTerms, pagedQuery } from './query-options.js';
import { statementChunks } from './statement-chunks.js';
import { withRootInstanceColumns, type WithRootInstance } from './root-instance-column.js';
import { whereHistoricVariablesHold, whereVariableValue } from './variable-instance-repository.js';
import type { VariableCondition } from '../core/variable-condition.js';

export type HistoricProcessInstanceState = 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';

export interface HistoricProcessInstanceRow {
  id: string;
  business_key: string | null;
  process_definition_id: string;
  process_definition_key: string;
  process_definition_name: string | null;
  process_definition_version: number;
  root_process_instance_id: string;
  super_process_instance_id: string | null;
  super_execution_id: string | null;
  tenant_id: string | null;
  /** The authenticated user whose command started the instance (a called one: the caller's command). */
  start_user_id: string | null;
  start_activity_id: string | null;
  end_activity_id: string | null;
  state: HistoricProcessInstanceState;
  delete_reason: string | null;
  start_time: Date;
  end_time: Date | null;
  duration_in_millis: string | number | null;
  removal_time: Date | null;
}

/** History is written without a removal time: it is stamped when the root instance ends (Camunda's strategy "end"). */
export type NewHistoryRow<Row> = Omit<Row, 'removal_time'>;

export interface HistoricActivityInstanceRow {
  id: string;
  parent_activity_instance_id: string;
  process_instance_id: string;
  engine_execution_id: string;
  execution_id: string | null;
  /** A call activity's child instance. */
  called_process_instance_id: string | null;
  process_definition_id: string;
  process_definition_key: string;
  activity_id: string;
  activity_name: string | null;
  activity_type: string;
  task_id: string | null;
  assignee: string | null;
  tenant_id: string | null;
  canceled: boolean;
  complete_scope: boolean;
  start_time: Date;
  end_time: Date | null;
  duration_in_millis: string | number | null;
  sequence: string | number;
  removal_time: Date | null;
}

export interface HistoricVariableInstanceRow {
  id: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  scope_id: string;
  activity_instance_id: string;
  execution_id: string | null;
  task_id: string | null;
  name: string;
  type: string;
  text_value: string | null;
  bytes_value: Buffer | null;
  value_info: Record<string, unknown>;
  tenant_id: string | null;
  state: 'CREATED' | 'DELETED';
  create_time: Date;
  removal_time: Date | null;
  revision: number;
}

export interface HistoricProcessInstanceFilter {
  processInstanceId?: string;
  processInstanceIds?: string[];
  processInstanceIdNotIn?: string[];
  processInstanceBusinessKey?: string;
  processInstanceBusinessKeyIn?: string[];
  processInstanceBusinessKeyLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionKeyNotIn?: string[];
  processDefinitionName?: string;
  processDefinitionNameLike?: string;
  startedBy?: string;
  /** Instances with an activity instance of one of these activities still open. */
  activeActivityIdIn?: string[];
  /** Instances with an activity instance of one of these activities ended. */
  executedActivityIdIn?: string[];
  /** Conditions on the instance's own (process-level) variables, each met by one of them. */
  variables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
  /** Camunda's orQueries: for each, one of its criteria holds. */
  orQueries?: HistoricProcessInstanceFilter[];
  rootProcessInstanceId?: string;
  subProcessInstanceId?: string;
  /** Instances with incidents in their history (any state); `withRootIncidents` too (no incident here has a cause). */
  withIncidents?: boolean;
  incidentIdIn?: string[];
  incidentType?: string;
  /** `none`: a status Camunda does not know, which no incident has. */
  incidentStatus?: 'open' | 'resolved' | 'none';
  incidentMessage?: string;
  incidentMessageLike?: string;
  /** Instances with an activity instance started or ended on or after / on or before the date. */
  executedActivityAfter?: Date;
  executedActivityBefore?: Date;
  /** Criteria on cases, which never match: this engine runs no CMMN. */
  caseCriteria?: boolean;
  finished?: boolean;
  unfinished?: boolean;
  state?: string;
  startedBefore?: Date;
  startedAfter?: Date;
  finishedBefore?: Date;
  finishedAfter?: Date;
  superProcessInstanceId?: string;
  rootProcessInstances?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

export interface HistoricActivityInstanceFilter {
  activityInstanceId?: string;
  processInstanceId?: string;
  processDefinitionId?: string;
  executionId?: string;
  activityId?: string;
  activityName?: string;
  activityType?: string;
  taskAssignee?: string;
  finished?: boolean;
  unfinished?: boolean;
  canceled?: boolean;
  completeScope?: boolean;
  startedBefore?: Date;
  startedAfter?: Date;
  finishedBefore?: Date;
  finishedAfter?: Date;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

export interface HistoricVariableInstanceFilter {
  variableInstanceId?: string;
  variableName?: string;
  variableNameIn?: string[];
  variableNameLike?: string;
  executionIdIn?: string[];
  /** With `variableName`: Camunda's variableValueEquals. */
  variableValue?: VariableCondition['value'];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
  processInstanceId?: string;
  processInstanceIdIn?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  taskIdIn?: string[];
  activityInstanceIdIn?: string[];
  variableTypeIn?: string[];
  includeDeleted?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
}

const PROCESS_SORT: Record<string, string> = {
  instanceId: 'id', definitionId: 'process_definition_id', definitionKey: 'process_definition_key', definitionName: 'process_definition_name',
  definitionVersion: 'process_definition_version', businessKey: 'business_key', startTime: 'start_time', endTime: 'end_time',
  duration: 'duration_in_millis', tenantId: 'tenant_id',
};
const ACTIVITY_SORT: Record<string, string> = {
  activityInstanceId: 'id', instanceId: 'process_instance_id', executionId: 'process_instance_id', activityId: 'activity_id',
  activityName: 'activity_name', activityType: 'activity_type', startTime: 'start_time', endTime: 'end_time', duration: 'duration_in_millis',
  definitionId: 'process_definition_id', occurrence: 'sequence', tenantId: 'tenant_id',
};
const VARIABLE_SORT: Record<string, string> = { instanceId: 'process_instance_id', variableName: 'name', tenantId: 'tenant_id' };

export async function insertHistoricProcessInstance(db: Db, row: NewHistoryRow<HistoricProcessInstanceRow>): Promise<void> {
  await db('hist_process_instance').insert(row);
  recordWork(db, { kind: 'processInstanceStarted', processDefinitionKey: row.process_definition_key, root: row.super_process_instance_id === null });
}

/** Closes an instance's history as completed or terminated, the one place the metrics count ended instances. */
export async function endHistoricProcessInstance(
  db: Db,
  id: string,
  changes: Pick<HistoricProcessInstanceRow, 'state' | 'end_time' | 'duration_in_millis'> & Partial<Pick<HistoricProcessInstanceRow, 'end_activity_id' | 'delete_reason'>>,
): Promise<void> {
  const [ended] = await db('hist_process_instance').where({ id }).update(changes).returning<Array<{ process_definition_key: string }>>('process_definition_key');
  if (ended) recordWork(db, { kind: 'processInstanceEnded', processDefinitionKey: ended.process_definition_key, outcome: changes.state === 'COMPLETED' ? 'completed' : 'terminated' });
}

export async function updateHistoricProcessInstance(db: Db, id: string, changes: Partial<HistoricProcessInstanceRow>): Promise<void> {
  await db('hist_process_instance').where({ id }).update(changes);
}

export async function findHistoricProcessInstance(db: Db, id: string): Promise<HistoricProcessInstanceRow | undefined> {
  return db<HistoricProcessInstanceRow>('hist_process_instance').where({ id }).first();
}

export async function insertHistoricActivityInstances(db: Db, rows: NewHistoryRow<HistoricActivityInstanceRow>[]): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of statementChunks(rows)) await db('hist_activity_instance').insert(chunk);
  recordWork(db, { kind: 'activityInstances', started: rows.length, ended: rows.filter((row) => row.end_time !== null).length });
}

function openActivityInstancesOf(db: Db, processInstanceId: string) {
  return db<HistoricActivityInstanceRow>('hist_activity_instance').where({ process_instance_id: processInstanceId }).whereNull('end_time').orderBy('sequence');
}

/** The sequence number the next activity instance of a process instance takes. */
function nextSequenceOf(db: Db, processInstanceId: string) {
  return db('hist_activity_instance').where({ process_instance_id: processInstanceId }).select(db.raw('coalesce(max(sequence), 0) + 1'));
}

export async function findOpenActivityInstances(db: Db, processInstanceId: string): Promise<HistoricActivityInstanceRow[]> {
  return openActivityInstancesOf(db, processInstanceId);
}

/** What a command needs of an open activity instance: its scope in the tree, and its start for the duration. */
export type OpenActivityInstance = Pick<HistoricActivityInstanceRow, 'id' | 'engine_execution_id' | 'parent_activity_instance_id' | 'execution_id' | 'start_time'>;
const OPEN_ACTIVITY_INSTANCE_COLUMNS: Array<keyof OpenActivityInstance> = ['id', 'engine_execution_id', 'parent_activity_instance_id', 'execution_id', 'start_time'];

/**
 * The open activity instances of a process instance, with the sequence number its next activity instance takes, in one
 * query; the sequence is undefined when nothing is open (then nextActivitySequence tells it). Only the columns a command
 * needs: a wide multi-instance has hundreds open.
 */
export async function findOpenActivityInstancesAndNextSequence(db: Db, processInstanceId: string): Promise<{ open: OpenActivityInstance[]; nextSequence: number | undefined }> {
  const rows = (await openActivityInstancesOf(db, processInstanceId).select(...OPEN_ACTIVITY_INSTANCE_COLUMNS, { next_sequence: nextSequenceOf(db, processInstanceId) })) as Array<OpenActivityInstance & { next_sequence?: string | number }>;
  const nextSequence = rows.length > 0 ? Number(rows[0].next_sequence) : undefined;
  for (const row of rows) delete row.next_sequence;
  return { open: rows, nextSequence };
}

export async function findActivityInstanceByExecution(db: Db, processInstanceId: string, engineExecutionId: string): Promise<HistoricActivityInstanceRow | undefined> {
  return db<HistoricActivityInstanceRow>('hist_activity_instance').where({ process_instance_id: processInstanceId, engine_execution_id: engineExecutionId }).first();
}

/** Ends every still-open activity instance of a process instance as cancelled (terminate end event, deletion). */
export async function cancelOpenActivityInstances(db: Db, processInstanceId: string, endTime: Date): Promise<void> {
  const ended = await db('hist_activity_instance')
    .where({ process_instance_id: processInstanceId })
    .whereNull('end_time')
    .update({
      end_time: endTime,
      canceled: true,
      duration_in_millis: millisSinceStart(db, endTime),
    });
  recordWork(db, { kind: 'activityInstances', started: 0, ended });
}

/** Ends the open activity instances of tokens that waited at a parallel join (their execution ids share a prefix). */
export async function endJoinArrivals(db: Db, processInstanceId: string, parentActivityInstanceId: string, executionIdPrefix: string, endTime: Date): Promise<void> {
  const ended = await db('hist_activity_instance')
    .where({ process_instance_id: processInstanceId, parent_activity_instance_id: parentActivityInstanceId })
    .where('engine_execution_id', 'like', `${executionIdPrefix.replace(/[\\%_]/g, '\\$&')}%`)
    .whereNull('end_time')
    .update({
      end_time: endTime,
      duration_in_millis: millisSinceStart(db, endTime),
    });
  recordWork(db, { kind: 'activityInstances', started: 0, ended });
}

/** Records the child a call activity (or one of its iterations) started. */
export async function setCalledProcessInstance(db: Db, processInstanceId: string, engineExecutionId: string, calledProcessInstanceId: string): Promise<void> {
  await db('hist_activity_instance').where({ process_instance_id: processInstanceId, engine_execution_id: engineExecutionId }).update({ called_process_instance_id: calledProcessInstanceId });
}

/** Links activity instances to the tasks created for them (and their assignees), in one statement. */
export async function linkTasksToActivityInstances(db: Db, links: Array<{ activityInstanceId: string; taskId: string; assignee: string | null }>): Promise<void> {
  for (const chunk of statementChunks(links)) {
    await db.raw(
      `update hist_activity_instance set task_id = linked.task_id, assignee = linked.assignee from (values ${chunk.map(() => '(?, ?, ?)').join(', ')}) as linked(id, task_id, assignee) where hist_activity_instance.id = linked.id`,
      chunk.flatMap((link) => [link.activityInstanceId, link.taskId, link.assignee]),
    );
  }
}

export async function updateHistoricActivityInstance(db: Db, id: string, changes: Partial<HistoricActivityInstanceRow>): Promise<void> {
  const updated = await db('hist_activity_instance').where({ id }).update(changes);
  if (changes.end_time) recordWork(db, { kind: 'activityInstances', started: 0, ended: updated });
}

export async function nextActivitySequence(db: Db, processInstanceId: string): Promise<number> {
  const [row] = (await db.select({ next: nextSequenceOf(db, processInstanceId) })) as Array<{ next: string | number }>;
  return Number(row.next);
}

/** The historic detail a variable write leaves: its own id, and whether the value was set as the instance started. */
export interface VariableUpdateDetail {
  id: string;
  initial: boolean;
  /** False for a write outside any activity (a called instance's inputs): the detail names no activity instance. */
  inActivity: boolean;
}

const DETAIL_OF_VARIABLE = `insert into hist_detail (id, type, process_instance_id, process_definition_id, process_definition_key, activity_instance_id, execution_id,
  task_id, tenant_id, time, name, variable_instance_id, type_name, text_value, bytes_value, value_info, revision, initial, user_operation_id)
  select detail.id, 'variableUpdate', upserted.process_instance_id, upserted.process_definition_id, upserted.process_definition_key,
  case when detail.in_activity then coalesce((select a.id from hist_activity_instance a where a.process_instance_id = upserted.process_instance_id and a.end_time is null
    and coalesce(a.execution_id, a.process_instance_id) = upserted.execution_id order by a.sequence desc limit 1), upserted.activity_instance_id) end, upserted.execution_id, upserted.task_id, upserted.tenant_id, upserted.create_time_of_write, upserted.name, upserted.id,
  upserted.type, upserted.text_value, upserted.bytes_value, upserted.value_info, upserted.revision, detail.initial and upserted.revision = 0, ?::text
  from upserted join (values %VALUES%) as detail(id, variable_id, initial, in_activity) on detail.variable_id = upserted.id`;

/**
 * Inserts or updates the history of variables (distinct ids) and writes one historic detail (Camunda's
 * HistoricVariableUpdate) per write, both in one statement: an update counts the variable's revision up. The details
 * name the command's user operation (null when its operations are not recorded).
 */
export async function upsertHistoricVariableInstances(db: Db, rows: NewHistoryRow<HistoricVariableInstanceRow>[], details: VariableUpdateDetail[], time: Date, userOperationId: string | null): Promise<void> {
  const chunks = statementChunks(rows.map((row, i) => ({ row, detail: details[i] })));
  for (const chunk of chunks) {
    const upsert = db('hist_variable_instance')
      .insert(chunk.map(({ row }) => ({ ...row, value_info: JSON.stringify(row.value_info) })))
      .onConflict('id')
      .merge({
        type: db.raw('excluded.type'),
        text_value: db.raw('excluded.text_value'),
        bytes_value: db.raw('excluded.bytes_value'),
        value_info: db.raw('excluded.value_info'),
        state: db.raw('excluded.state'),
        revision: db.raw('hist_variable_instance.revision + 1'),
      })
      .returning(['*', db.raw('?::timestamptz as create_time_of_write', [time])])
      .toSQL();
    await db.raw(`with upserted as (${upsert.sql}) ${DETAIL_OF_VARIABLE.replace('%VALUES%', chunk.map(() => '(?, ?, ?::boolean, ?::boolean)').join(', '))}`, [
      ...upsert.bindings,
      userOperationId,
      ...chunk.flatMap(({ row, detail }) => [detail.id, row.id, detail.initial, detail.inActivity]),
    ]);
  }
}

/** A historic variable's or a variable update's value without its binary content; `kind` is a detail's type. */
export interface HistoricContentHeader {
  id: string;
  name: string;
  kind: string;
  type: string;
  text_value: string | null;
  bytes_value: null;
  value_info: Record<string, unknown>;
  content_length: number | null;
}

export async function findHistoricContentHeader(db: Db, table: 'hist_variable_instance' | 'hist_detail', id: string): Promise<HistoricContentHeader | undefined> {
  const [kind, type] = table === 'hist_detail' ? ['type', 'type_name'] : ["'variable'", 'type'];
  return db(table)
    .select('id', 'name', 'text_value', 'value_info', db.raw(`${kind} as kind`), db.raw(`${type} as type`), db.raw('null::bytea as bytes_value'), db.raw('octet_length(bytes_value)::int as content_length'))
    .where({ id })
    .first();
}

/** Appends pieces to a historic variable's binary content and to its update's detail, as appendVariableContent does to the runtime one. */
export async function appendHistoricVariableContent(db: Db, ids: { variableId: string; detailId: string }, pieces: readonly Buffer[]): Promise<void> {
  for (const piece of pieces) {
    await db('hist_variable_instance').where({ id: ids.variableId }).update({ bytes_value: db.raw('bytes_value || ?::bytea', [piece]) });
    await db('hist_detail').where({ id: ids.detailId }).update({ bytes_value: db.raw('bytes_value || ?::bytea', [piece]) });
  }
}

/** A removed variable stays in history as DELETED; like the rest of its instance's history, it gets a removal time when the root ends. */
export async function markHistoricVariableDeleted(db: Db, id: string): Promise<void> {
  await db('hist_variable_instance').where({ id }).update({ state: 'DELETED' });
}

/**
 * Every history table that belongs to a process instance, keyed by `process_instance_id` and `process_definition_id`
 * (besides `hist_process_instance` itself). Stamping and deleting history go through this one list.
 */
const INSTANCE_HISTORY_TABLES = [
  'hist_activity_instance', 'hist_variable_instance', 'hist_detail', 'hist_task_instance', 'hist_incident', 'hist_decision_instance',
  'hist_user_operation_log', 'hist_external_task_log', 'hist_job_log', 'hist_identity_link_log',
];

/**
 * Sets the removal time on all history of a call tree, as Camunda does when its root instance ends (removal time
 * strategy "end"): one statement (an UPDATE per history table, as data-modifying CTEs), in the command that ended the
 * root. `null` (no time to live) clears it.
 */
export async function stampRemovalTimeOfRoot(db: Db, rootProcessInstanceId: string, removalTime: Date | null): Promise<void> {
  const updates = INSTANCE_HISTORY_TABLES.map((table, i) => `stamp_${i} as (update ${table} set removal_time = ? where process_instance_id in (select id from tree))`);
  // Comments and attachments name their root instance (a stand-alone task's have none).
  const byRoot = ['comment', 'attachment'].map((table) => `stamp_${table} as (update ${table} set removal_time = ? where root_process_instance_id = ?)`);
  await db.raw(
    `with tree as (select id from hist_process_instance where root_process_instance_id = ?), ${[...updates, ...byRoot].join(', ')} update hist_process_instance set removal_time = ? where root_process_instance_id = ?`,
    [rootProcessInstanceId, ...INSTANCE_HISTORY_TABLES.map(() => removalTime), ...byRoot.flatMap(() => [removalTime, rootProcessInstanceId]), removalTime, rootProcessInstanceId],
  );
}

/** Filter flags that change how variable criteria match rather than select anything themselves. */
const IGNORE_CASE = ['variableNamesIgnoreCase', 'variableValuesIgnoreCase'];

function processFiltered(db: Db, filter: HistoricProcessInstanceFilter): Knex.QueryBuilder {
  const query = db<HistoricProcessInstanceRow>('hist_process_instance');
  if (filter.processInstanceId !== undefined) query.where('id', filter.processInstanceId);
  if (filter.processInstanceIds) query.whereIn('id', filter.processInstanceIds);
  if (filter.processInstanceIdNotIn) query.whereNotIn('id', filter.processInstanceIdNotIn);
  if (filter.rootProcessInstanceId !== undefined) query.where('root_process_instance_id', filter.rootProcessInstanceId);
  if (filter.subProcessInstanceId !== undefined) query.whereIn('id', db('hist_process_instance as sub').select('sub.super_process_instance_id').where('sub.id', filter.subProcessInstanceId));
  if (filter.caseCriteria) query.whereRaw('false');
  const byIncident = filter.withIncidents || filter.incidentIdIn || filter.incidentType !== undefined || filter.incidentStatus !== undefined
    || filter.incidentMessage !== undefined || filter.incidentMessageLike !== undefined;
  if (byIncident) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('hist_incident as i').whereRaw('i.process_instance_id = hist_process_instance.id');
      if (filter.incidentIdIn) sub.whereIn('i.id', filter.incidentIdIn);
      if (filter.incidentType !== undefined) sub.where('i.incident_type', filter.incidentType);
      if (filter.incidentStatus !== undefined) sub.where('i.state', filter.incidentStatus);
      if (filter.incidentMessage !== undefined) sub.where('i.incident_message', filter.incidentMessage);
      if (filter.incidentMessageLike !== undefined) sub.where('i.incident_message', 'like', likePattern(filter.incidentMessageLike));
    });
  }
  if (filter.executedActivityAfter || filter.executedActivityBefore) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('hist_activity_instance as a').whereRaw('a.process_instance_id = hist_process_instance.id');
      if (filter.executedActivityAfter) sub.where((either) => either.where('a.start_time', '>=', filter.executedActivityAfter!).orWhere('a.end_time', '>=', filter.executedActivityAfter!));
      if (filter.executedActivityBefore) sub.where((either) => either.where('a.start_time', '<=', filter.executedActivityBefore!).orWhere('a.end_time', '<=', filter.executedActivityBefore!));
    });
  }
  if (filter.processInstanceBusinessKey !== undefined) query.where('business_key', filter.processInstanceBusinessKey);
  if (filter.processInstanceBusinessKeyIn) query.whereIn('business_key', filter.processInstanceBusinessKeyIn);
  if (filter.processInstanceBusinessKeyLike !== undefined) query.where('business_key', 'like', likePattern(filter.processInstanceBusinessKeyLike));
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.processDefinitionKeyIn) query.whereIn('process_definition_key', filter.processDefinitionKeyIn);
  if (filter.processDefinitionKeyNotIn) query.whereNotIn('process_definition_key', filter.processDefinitionKeyNotIn);
  if (filter.processDefinitionName !== undefined) query.where('process_definition_name', filter.processDefinitionName);
  if (filter.processDefinitionNameLike !== undefined) query.where('process_definition_name', 'like', likePattern(filter.processDefinitionNameLike));
  if (filter.startedBy !== undefined) query.where('start_user_id', filter.startedBy);
  for (const [activityIds, open] of [[filter.activeActivityIdIn, true], [filter.executedActivityIdIn, false]] as const) {
    if (!activityIds) continue;
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('hist_activity_instance as a').whereRaw('a.process_instance_id = hist_process_instance.id').whereIn('a.activity_id', activityIds);
      if (open) sub.whereNull('a.end_time');
      else sub.whereNotNull('a.end_time');
    });
  }
  whereHistoricVariablesHold(db, query, filter.variables, 'v.process_instance_id = hist_process_instance.id and v.scope_id = v.process_instance_id', filter);
  if (filter.finished) query.whereNotNull('end_time');
  if (filter.unfinished) query.whereNull('end_time');
  if (filter.state !== undefined) query.where('state', filter.state);
  if (filter.startedBefore) query.where('start_time', '<=', filter.startedBefore);
  if (filter.startedAfter) query.where('start_time', '>=', filter.startedAfter);
  if (filter.finishedBefore) query.where('end_time', '<=', filter.finishedBefore);
  if (filter.finishedAfter) query.where('end_time', '>=', filter.finishedAfter);
  if (filter.superProcessInstanceId !== undefined) query.where('super_process_instance_id', filter.superProcessInstanceId);
  if (filter.rootProcessInstances) query.whereNull('super_process_instance_id');
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  for (const or of filter.orQueries ?? []) {
    const terms = orTerms(or, IGNORE_CASE);
    if (terms.length > 0) query.where((any) => terms.forEach((term) => any.orWhereIn('hist_process_instance.id', processFiltered(db, term).select('hist_process_instance.id'))));
  }
  return query;
}

export const historicProcessInstanceQuery = pagedQuery<HistoricProcessInstanceFilter, HistoricProcessInstanceRow>({ filtered: processFiltered, columns: '*', sortColumns: PROCESS_SORT, tieBreaker: 'id' });


function activityFiltered(db: Db, filter: HistoricActivityInstanceFilter) {
  const query = db<HistoricActivityInstanceRow>('hist_activity_instance');
  if (filter.activityInstanceId !== undefined) query.where('id', filter.activityInstanceId);
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.activityId !== undefined) query.where('activity_id', filter.activityId);
  // The execution an answer shows: the instance's own where no concurrent execution ran the activity.
  if (filter.executionId !== undefined) query.whereRaw('coalesce(execution_id, process_instance_id) = ?', [filter.executionId]);
  if (filter.activityName !== undefined) query.where('activity_name', filter.activityName);
  if (filter.activityType !== undefined) query.where('activity_type', filter.activityType);
  if (filter.taskAssignee !== undefined) query.where('assignee', filter.taskAssignee);
  if (filter.finished) query.whereNotNull('end_time');
  if (filter.unfinished) query.whereNull('end_time');
  if (filter.canceled) query.where('canceled', true);
  if (filter.completeScope) query.where('complete_scope', true);
  if (filter.startedBefore) query.where('start_time', '<=', filter.startedBefore);
  if (filter.startedAfter) query.where('start_time', '>=', filter.startedAfter);
  if (filter.finishedBefore) query.where('end_time', '<=', filter.finishedBefore);
  if (filter.finishedAfter) query.where('end_time', '>=', filter.finishedAfter);
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  return query;
}

export const historicActivityInstanceQuery = pagedQuery<HistoricActivityInstanceFilter, WithRootInstance<HistoricActivityInstanceRow>>({ filtered: activityFiltered, columns: (db) => withRootInstanceColumns(db, 'hist_activity_instance'), sortColumns: ACTIVITY_SORT, tieBreaker: 'sequence' });


function variableFiltered(db: Db, filter: HistoricVariableInstanceFilter) {
  const query = db<HistoricVariableInstanceRow>('hist_variable_instance');
  if (filter.variableInstanceId !== undefined) query.where('id', filter.variableInstanceId);
  if (filter.variableName !== undefined && filter.variableValue !== undefined) {
    const condition: VariableCondition = { name: filter.variableName, operator: 'eq', value: filter.variableValue };
    query.whereIn('id', whereVariableValue(db('hist_variable_instance as v').select('v.id'), condition, filter.variableNamesIgnoreCase === true, filter.variableValuesIgnoreCase === true));
  } else if (filter.variableName !== undefined) query.where('name', filter.variableName);
  if (filter.variableNameIn) query.whereIn('name', filter.variableNameIn);
  if (filter.executionIdIn) query.whereRaw('coalesce(execution_id, process_instance_id) = any(?::text[])', [filter.executionIdIn]);
  if (filter.variableNameLike !== undefined) query.where('name', 'like', likePattern(filter.variableNameLike));
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  if (filter.processInstanceIdIn) query.whereIn('process_instance_id', filter.processInstanceIdIn);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('process_definition_key', filter.processDefinitionKey);
  if (filter.taskIdIn) query.whereIn('task_id', filter.taskIdIn);
  if (filter.activityInstanceIdIn) query.whereIn('activity_instance_id', filter.activityInstanceIdIn);
  // Camunda keeps type names lower case and lowers the ones asked for: `Integer` and `integer` both match.
  if (filter.variableTypeIn) query.whereRaw('lower(type) = any(?)', [filter.variableTypeIn.map((type) => type.toLowerCase())]);
  if (!filter.includeDeleted) query.where('state', 'CREATED');
  if (filter.tenantIdIn) query.whereIn('tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('tenant_id');
  return query;
}

export const historicVariableInstanceQuery = pagedQuery<HistoricVariableInstanceFilter, WithRootInstance<HistoricVariableInstanceRow>>({ filtered: variableFiltered, columns: (db) => withRootInstanceColumns(db, 'hist_variable_instance'), sortColumns: VARIABLE_SORT, tieBreaker: 'id' });


/** Removes a historic variable instance and its details; returns false when there was none. */
export async function deleteHistoricVariableInstance(db: Db, id: string): Promise<boolean> {
  await db('hist_detail').where({ variable_instance_id: id }).delete();
  return (await db('hist_variable_instance').where({ id }).delete().returning('id')).length > 0;
}

/** Removes the variable history of a process instance: its historic variables and all its details (form fields too). */
export async function deleteHistoricVariablesOfInstance(db: Db, processInstanceId: string): Promise<void> {
  await db('hist_detail').where({ process_instance_id: processInstanceId }).delete();
  await db('hist_variable_instance').where({ process_instance_id: processInstanceId }).delete();
}

export async function deleteHistoryOfInstance(db: Db, processInstanceId: string): Promise<void> {
  // Comments and attachments of the instance and of its tasks, as Camunda's deletion of a historic process instance.
  const tasksOfInstance = db('hist_task_instance').select('id').where({ process_instance_id: processInstanceId });
  for (const table of ['comment', 'attachment']) {
    await db(table).where({ process_instance_id: processInstanceId }).orWhereIn('task_id', tasksOfInstance.clone()).delete();
  }
  for (const table of INSTANCE_HISTORY_TABLES) await db(table).where({ process_instance_id: processInstanceId }).delete();
  await db('hist_process_instance').where({ id: processInstanceId }).delete();
}

/** Removes all history of the instances of these process definitions (Camunda's cascading deletion of a deployment). */
export async function deleteHistoryOfProcessDefinitions(db: Db, processDefinitionIds: string[]): Promise<void> {
  if (processDefinitionIds.length === 0) return;
  const instancesOfDefinitions = db('hist_process_instance').select('id').whereIn('process_definition_id', processDefinitionIds);
  const tasksOfDefinitions = db('hist_task_instance').select('id').whereIn('process_definition_id', processDefinitionIds);
  for (const table of ['comment', 'attachment']) {
    await db(table).whereIn('process_instance_id', instancesOfDefinitions.clone()).orWhereIn('task_id', tasksOfDefinitions.clone()).delete();
  }
  for (const table of INSTANCE_HISTORY_TABLES) {
    const rows = db(table).whereIn('process_definition_id', processDefinitionIds);
    // The audit trail keeps what was done to the definitions themselves (suspension, job definitions), as Camunda.
    await (table === 'hist_user_operation_log' ? rows.whereNotNull('process_instance_id') : rows).delete();
  }
  await db('hist_process_instance').whereIn('process_definition_id', processDefinitionIds).delete();
}

/** Finished process instances' durations per month or quarter of their start, as Camunda's process instance report. */
export async function processInstanceDurationReport(db: Db, query: {
  periodUnit: PeriodUnit; processDefinitionIdIn?: string[]; processDefinitionKeyIn?: string[]; startedBefore?: Date; startedAfter?: Date;
}): Promise<DurationReportRow[]> {
  const finished = db('hist_process_instance').whereNotNull('end_time');
  if (query.processDefinitionIdIn?.length) finished.whereIn('process_definition_id', query.processDefinitionIdIn);
  if (query.processDefinitionKeyIn?.length) finished.whereIn('process_definition_key', query.processDefinitionKeyIn);
  if (query.startedBefore) finished.where('start_time', '<=', query.startedBefore);
  if (query.startedAfter) finished.where('start_time', '>=', query.startedAfter);
  return durationReport(db, finished, 'start_time', query.periodUnit);
}
