/** Runtime executions: Camunda's execution tree of each running instance, rewritten by each command as a diff. */
import type { VariableCondition } from '../core/variable-condition.js';
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';
import { whereVariablesHold } from './variable-instance-repository.js';

export interface ExecutionRow {
  id: string;
  process_instance_id: string;
  parent_id: string | null;
  engine_scope_id: string | null;
  scope_activity_id: string | null;
  engine_token_id: string | null;
  activity_id: string | null;
  is_concurrent: boolean;
  is_scope: boolean;
  is_active: boolean;
}

export async function listExecutionsOfInstance(db: Db, processInstanceId: string): Promise<ExecutionRow[]> {
  return db<ExecutionRow>('execution').where({ process_instance_id: processInstanceId });
}

export async function findExecution(db: Db, id: string): Promise<ExecutionRow | undefined> {
  return db<ExecutionRow>('execution').where({ id }).first();
}

/** The execution below a concurrent one that carries a scope (a concurrent execution has at most one child). */
export async function findChildExecution(db: Db, parentId: string): Promise<ExecutionRow | undefined> {
  return db<ExecutionRow>('execution').where({ parent_id: parentId }).first();
}

const COMPARED: Array<keyof ExecutionRow> = ['parent_id', 'engine_scope_id', 'scope_activity_id', 'engine_token_id', 'activity_id', 'is_concurrent', 'is_scope', 'is_active'];

/**
 * Writes only what changed between the tree a command found and the one it leaves. The incidents raised on an
 * execution by hand (all but failed jobs' and external tasks', which their wait rows own) are deleted with it, in the
 * same statement; their ids are returned, for their history.
 */
export async function writeExecutionRows(db: Db, before: readonly ExecutionRow[], after: readonly ExecutionRow[]): Promise<string[]> {
  const previous = new Map(before.map((row) => [row.id, row]));
  const next = new Set(after.map((row) => row.id));
  const gone = before.filter((row) => !next.has(row.id)).map((row) => row.id);
  let removedIncidentIds: string[] = [];
  if (gone.length > 0) {
    const incidents = db('incident').where({ process_instance_id: before[0]!.process_instance_id }).whereIn('execution_id', gone).whereNotIn('incident_type', ['failedJob', 'failedExternalTask']).delete().returning('id');
    const [row] = (await db.with('removed_executions', db('execution').whereIn('id', gone).delete()).with('removed_incidents', incidents)
      .select({ ids: db.raw("coalesce((select array_agg(id) from removed_incidents), '{}')") })) as Array<{ ids: string[] }>;
    removedIncidentIds = row!.ids;
  }
  const inserted: ExecutionRow[] = [];
  for (const row of after) {
    const old = previous.get(row.id);
    if (!old) inserted.push(row);
    else if (COMPARED.some((column) => old[column] !== row[column])) {
      const { id, process_instance_id: _, ...changes } = row;
      await db('execution').where({ id }).update(changes);
    }
  }
  if (inserted.length > 0) await db('execution').insert(inserted);
  return removedIncidentIds;
}

export interface ExecutionFilter {
  executionId?: string;
  processInstanceId?: string;
  businessKey?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  activityId?: string;
  active?: boolean;
  suspended?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  incidentId?: string;
  incidentType?: string;
  /** Each holds for a variable of the execution (also task-local ones of the tasks it executes). */
  variables?: VariableCondition[];
  /** Each holds for a variable of the execution's instance in any scope but a task's. */
  processVariables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  instanceId: 'e.process_instance_id', definitionKey: 'pi.process_definition_key', definitionId: 'pi.process_definition_id', tenantId: 'pi.tenant_id',
};

export interface ExecutionListRow {
  id: string;
  process_instance_id: string;
  tenant_id: string | null;
}

function filtered(db: Db, filter: ExecutionFilter) {
  const query = db('execution as e').join('process_instance as pi', 'pi.id', 'e.process_instance_id');
  if (filter.executionId) query.where('e.id', filter.executionId);
  if (filter.processInstanceId) query.where('e.process_instance_id', filter.processInstanceId);
  if (filter.businessKey) query.where('pi.business_key', filter.businessKey);
  if (filter.processDefinitionId) query.where('pi.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey) query.where('pi.process_definition_key', filter.processDefinitionKey);
  if (filter.activityId) query.where('e.activity_id', filter.activityId);
  if (filter.active) query.where('pi.suspended', false);
  if (filter.suspended) query.where('pi.suspended', true);
  if (filter.tenantIdIn) query.whereIn('pi.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('pi.tenant_id');
  if (filter.incidentId || filter.incidentType) {
    query.whereExists((sub) => {
      sub.from('incident as i').whereRaw('i.execution_id = e.id');
      if (filter.incidentId) sub.where('i.id', filter.incidentId);
      if (filter.incidentType) sub.where('i.incident_type', filter.incidentType);
    });
  }
  const cases = { ignoreNameCase: filter.variableNamesIgnoreCase, ignoreValueCase: filter.variableValuesIgnoreCase };
  whereVariablesHold(db, query, filter.variables, { execution: 'e.id' }, cases);
  whereVariablesHold(db, query, filter.processVariables, { instanceOutsideTasks: 'e.process_instance_id' }, cases);
  return query;
}

export const executionQuery = pagedQuery<ExecutionFilter, ExecutionListRow>({
  filtered,
  columns: ['e.id', 'e.process_instance_id', 'pi.tenant_id'],
  sortColumns: SORT_COLUMNS,
  tieBreaker: 'e.id',
});
