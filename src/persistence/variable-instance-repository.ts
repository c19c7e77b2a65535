/**
 * Camunda's runtime variable instances (`/variable-instance`): the `variable` rows with what history keeps beside each
 * (same id): the execution, task, activity instance, definition and tenant it belongs to.
 */
import type { Knex } from 'knex';
import type { VariableCondition } from '../core/variable-condition.js';
import type { Db } from './database.js';
import { applyListOptions, countOf, likePattern, type PagedQuery } from './query-options.js';

export interface VariableInstanceRow {
  id: string;
  name: string;
  type: string;
  text_value: string | null;
  bytes_value: Buffer | null;
  value_info: Record<string, unknown>;
  process_instance_id: string;
  process_definition_id: string | null;
  execution_id: string;
  task_id: string | null;
  activity_instance_id: string | null;
  tenant_id: string | null;
}

export interface VariableInstanceFilter {
  variableName?: string;
  variableNameLike?: string;
  processInstanceIdIn?: string[];
  executionIdIn?: string[];
  /** There are no cases or batches: set, these match nothing. */
  caseInstanceIdIn?: string[];
  caseExecutionIdIn?: string[];
  batchIdIn?: string[];
  taskIdIn?: string[];
  activityInstanceIdIn?: string[];
  tenantIdIn?: string[];
  variableScopeIdIn?: string[];
  variableValues?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
}

/** Camunda's execution of a variable: its scope's execution, the process instance for instance variables. */
const EXECUTION_ID = 'coalesce(h.execution_id, v.process_instance_id)';
/** Camunda's variable scope: the task for task variables, else the execution. */
const SCOPE_ID = `coalesce(h.task_id, ${EXECUTION_ID})`;
const NUMERIC_TYPES = ['Short', 'Integer', 'Long', 'Double'];
const COMPARISONS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gteq: '>=', lt: '<', lteq: '<=', like: 'like' };

const SORT_COLUMNS: Record<string, string> = { variableName: 'v.name', variableType: 'v.type', activityInstanceId: 'h.activity_instance_id', tenantId: 'h.tenant_id' };

const COLUMNS = [
  'v.id', 'v.name', 'v.type', 'v.text_value', 'v.value_info', 'v.process_instance_id', 'h.process_definition_id', 'h.task_id', 'h.activity_instance_id', 'h.tenant_id',
];

/**
 * A value condition as Camunda's typed comparison: a string matches String variables, a number the numeric ones, a
 * boolean Boolean ones, null a Null one; `like` compares text only; `neq` holds for every value of the name that `eq`
 * does not match, of any type. Casts sit inside CASE, so no row's text is cast unless its type says it is a number.
 * The variable table (runtime or historic) is aliased `v`.
 */
export function whereVariableValue(query: Knex.QueryBuilder, condition: VariableCondition, ignoreNameCase: boolean, ignoreValueCase: boolean): Knex.QueryBuilder {
  query.where((where) => {
    if (ignoreNameCase) where.whereRaw('lower(v.name) = lower(?)', [condition.name]);
    else where.where('v.name', condition.name);
    if (condition.operator === 'neq') where.whereNot((match) => whereValueMatches(match, { ...condition, operator: 'eq' }, ignoreValueCase));
    else whereValueMatches(where, condition, ignoreValueCase);
  });
  return query;
}

function whereValueMatches(where: Knex.QueryBuilder, condition: VariableCondition, ignoreValueCase: boolean): void {
  const value = condition.value;
  const operator = COMPARISONS[condition.operator]!;
  if (value === null) {
    if (condition.operator === 'eq') where.where((or) => or.where('v.type', 'Null').orWhereNull('v.text_value'));
    else where.whereRaw('false');
  } else if (typeof value === 'string') {
    const text = ignoreValueCase ? 'lower(v.text_value)' : 'v.text_value';
    const pattern = condition.operator === 'like' ? likePattern(value) : value;
    where.where('v.type', 'String').whereRaw(`${text} ${operator} ${ignoreValueCase ? 'lower(?)' : '?'}`, [pattern]);
  } else if (typeof value === 'boolean') {
    if (condition.operator !== 'eq') where.whereRaw('false');
    else where.where('v.type', 'Boolean').whereRaw('v.text_value = ?', [String(value)]);
  } else {
    if (condition.operator === 'like') where.whereRaw('false');
    else where.whereIn('v.type', NUMERIC_TYPES).whereRaw(`(case when v.type in ('Short', 'Integer', 'Long', 'Double') then v.text_value::numeric end) ${operator} ?::numeric`, [value.toString()]);
  }
}

/**
 * Whose variables a query's conditions look at, as SQL of the outer query: an execution's (Camunda's execution of a
 * variable, so task-local ones of the tasks it executes count), a process instance's outside its tasks, or a task's own.
 */
export type VariableOwner = { execution: string } | { instanceOutsideTasks: string } | { task: string };

/** Keeps the rows for which each condition holds for some variable of `owner`. */
export function whereVariablesHold(db: Db, query: Knex.QueryBuilder, conditions: VariableCondition[] | undefined, owner: VariableOwner, cases: { ignoreNameCase?: boolean; ignoreValueCase?: boolean }): void {
  for (const condition of conditions ?? []) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('variable as v').leftJoin('hist_variable_instance as h', 'h.id', 'v.id');
      if ('execution' in owner) sub.whereRaw(`${EXECUTION_ID} = ${owner.execution}`);
      else if ('task' in owner) sub.whereRaw(`v.scope_id = ${owner.task}`);
      else sub.whereRaw(`v.process_instance_id = ${owner.instanceOutsideTasks}`).whereNull('h.task_id');
      whereVariableValue(sub, condition, cases.ignoreNameCase === true, cases.ignoreValueCase === true);
    });
  }
}

/**
 * The history's counterpart: keeps the rows for which each condition holds for some live historic variable (aliased
 * `v`) that `owner`, SQL of the outer query, picks.
 */
export function whereHistoricVariablesHold(db: Db, query: Knex.QueryBuilder, conditions: VariableCondition[] | undefined, owner: string, cases: { variableNamesIgnoreCase?: boolean; variableValuesIgnoreCase?: boolean }): void {
  for (const condition of conditions ?? []) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('hist_variable_instance as v').whereRaw(owner).where('v.state', 'CREATED');
      whereVariableValue(sub, condition, cases.variableNamesIgnoreCase === true, cases.variableValuesIgnoreCase === true);
    });
  }
}

function filtered(db: Db, filter: VariableInstanceFilter) {
  const query = db('variable as v').leftJoin('hist_variable_instance as h', 'h.id', 'v.id');
  if (filter.variableName !== undefined) query.where('v.name', filter.variableName);
  if (filter.variableNameLike !== undefined) query.where('v.name', 'like', likePattern(filter.variableNameLike));
  if (filter.processInstanceIdIn) query.whereIn('v.process_instance_id', filter.processInstanceIdIn);
  if (filter.executionIdIn) query.whereRaw(`${EXECUTION_ID} = any(?::text[])`, [filter.executionIdIn]);
  if (filter.taskIdIn) query.whereIn('h.task_id', filter.taskIdIn);
  if (filter.activityInstanceIdIn) query.whereIn('h.activity_instance_id', filter.activityInstanceIdIn);
  if (filter.tenantIdIn) query.whereIn('h.tenant_id', filter.tenantIdIn);
  if (filter.variableScopeIdIn) query.whereRaw(`${SCOPE_ID} = any(?::text[])`, [filter.variableScopeIdIn]);
  if (filter.caseInstanceIdIn?.length || filter.caseExecutionIdIn?.length || filter.batchIdIn?.length) query.whereRaw('false');
  for (const condition of filter.variableValues ?? []) whereVariableValue(query, condition, filter.variableNamesIgnoreCase === true, filter.variableValuesIgnoreCase === true);
  return query;
}

/** File and Bytes content stays in the database: `…/data` reads it in pieces. */
function selected(db: Db, query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query.select(COLUMNS).select(db.raw(`${EXECUTION_ID} as execution_id`)).select(db.raw('null::bytea as bytes_value'));
}

export const variableInstanceQuery: PagedQuery<VariableInstanceFilter, VariableInstanceRow> = {
  list: (db, filter, options) => applyListOptions(selected(db, filtered(db, filter)), options, SORT_COLUMNS, 'v.id') as unknown as Promise<VariableInstanceRow[]>,
  count: (db, filter) => countOf(filtered(db, filter)),
};

export async function findVariableInstance(db: Db, id: string): Promise<VariableInstanceRow | undefined> {
  return selected(db, db('variable as v').leftJoin('hist_variable_instance as h', 'h.id', 'v.id').where('v.id', id)).first();
}
