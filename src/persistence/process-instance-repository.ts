/** Running process instances: the engine state blob, its version, and the columns queries filter on. */
import type { VariableCondition } from '../core/variable-condition.js';
import type { Db } from './database.js';
import type { ProcessDefinitionRow } from './process-definition-repository.js';
import { likePattern, pagedQuery } from './query-options.js';
import { whereVariablesHold } from './variable-instance-repository.js';

export interface ProcessInstanceRow {
  id: string;
  process_definition_id: string;
  process_definition_key: string;
  business_key: string | null;
  root_process_instance_id: string;
  super_process_instance_id: string | null;
  /** The caller's execution of the call activity (Camunda's), and the engine's run of it. */
  super_execution_id: string | null;
  super_engine_execution_id: string | null;
  tenant_id: string | null;
  suspended: boolean;
  /** The engine state as JSON text (parseEngineState); only commands read it. */
  state: string;
  engine_version: string;
  version: number;
  start_time: Date;
}

export interface ProcessInstanceFilter {
  processInstanceIds?: string[];
  businessKey?: string;
  businessKeyLike?: string;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionKeyNotIn?: string[];
  deploymentId?: string;
  superProcessInstance?: string;
  subProcessInstance?: string;
  rootProcessInstances?: boolean;
  active?: boolean;
  suspended?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  activityIdIn?: string[];
  withIncident?: boolean;
  incidentType?: string;
  /** Each holds for some variable of the instance's own execution (also task-local ones of the tasks it executes), as in Operaton. */
  variables?: VariableCondition[];
  variableNamesIgnoreCase?: boolean;
  variableValuesIgnoreCase?: boolean;
}

const SORT_COLUMNS: Record<string, string> = {
  instanceId: 'pi.id', definitionKey: 'pi.process_definition_key', definitionId: 'pi.process_definition_id',
  tenantId: 'pi.tenant_id', businessKey: 'pi.business_key',
};

/** An instance row as a command locks it: everything but the engine state, which only a command that recovers reads. */
export type LockedInstanceRow = Omit<ProcessInstanceRow, 'state'>;
const LOCKED_COLUMNS: Array<keyof LockedInstanceRow> = [
  'id', 'process_definition_id', 'process_definition_key', 'business_key', 'root_process_instance_id', 'super_process_instance_id',
  'super_execution_id', 'super_engine_execution_id', 'tenant_id', 'suspended', 'engine_version', 'version', 'start_time',
];

const LIST_COLUMNS = ['id', 'process_definition_id', 'process_definition_key', 'business_key', 'root_process_instance_id', 'super_process_instance_id', 'tenant_id', 'suspended', 'start_time'].map((c) => `pi.${c}`);

export async function insertProcessInstance(db: Db, row: Omit<ProcessInstanceRow, 'state'> & { state: Record<string, unknown> }): Promise<void> {
  await db('process_instance').insert({ ...row, state: JSON.stringify(row.state) });
}

export async function findProcessInstance(db: Db, id: string): Promise<ProcessInstanceRow | undefined> {
  return db<ProcessInstanceRow>('process_instance').where({ id }).first();
}

/** The instances an instance's call activities started, or only those of these runs of its call activities. */
export async function listCalledInstances(db: Db, processInstanceId: string, superEngineExecutionIds?: string[]): Promise<Array<{ id: string; engine_execution_id: string; execution_id: string | null }>> {
  const query = db('process_instance').where({ super_process_instance_id: processInstanceId });
  if (superEngineExecutionIds) query.whereIn('super_engine_execution_id', superEngineExecutionIds);
  return query.orderBy('id').select('id', 'super_engine_execution_id as engine_execution_id', 'super_execution_id as execution_id');
}

/** The root of the call tree an instance belongs to (itself unless it was called), read without a lock. */
export async function findRootOf(db: Db, id: string): Promise<string | undefined> {
  const row = await db('process_instance').where({ id }).first('root_process_instance_id');
  return row?.root_process_instance_id as string | undefined;
}

/**
 * Locks the row of an instance that is the root of its call tree, and reads its definition in the same query (only
 * the instance's row is locked): undefined for a called instance, or none.
 */
export async function lockRootProcessInstance(db: Db, id: string): Promise<{ row: LockedInstanceRow; definition: ProcessDefinitionRow | null } | undefined> {
  // row_to_json keeps every column of a definition row as it is (text, integers, booleans; it has no timestamps).
  const found = (await db('process_instance')
    .leftJoin('process_definition', 'process_definition.id', 'process_instance.process_definition_id')
    .where({ 'process_instance.id': id, 'process_instance.root_process_instance_id': id })
    .select([...LOCKED_COLUMNS.map((column) => `process_instance.${column}`), db.raw('row_to_json(process_definition.*) as joined_definition')])
    .forUpdate('process_instance')
    .first()) as (LockedInstanceRow & { joined_definition: ProcessDefinitionRow | null }) | undefined;
  if (!found) return undefined;
  const { joined_definition: definition, ...row } = found;
  return { row, definition };
}

/** Takes the row lock every command on an instance holds until it commits (DESIGN §4 step 1). */
export async function lockProcessInstance(db: Db, id: string): Promise<LockedInstanceRow | undefined> {
  return db<ProcessInstanceRow>('process_instance').where({ id }).forUpdate().first(LOCKED_COLUMNS);
}

/** The stored engine state (JSON text) of an instance the caller has locked. */
export async function readProcessInstanceState(db: Db, id: string): Promise<string> {
  const row = await db<ProcessInstanceRow>('process_instance').where({ id }).first('state');
  if (!row) throw new Error(`process instance ${id} has no row to read its state from`);
  return row.state;
}

/** Writes the new state; the version guard asserts the row lock worked (0 rows means a bug, not a race to retry). */
export async function updateProcessInstanceState(db: Db, id: string, expectedVersion: number, state: Record<string, unknown>): Promise<boolean> {
  const updated = await db('process_instance')
    .where({ id, version: expectedVersion })
    .update({ state: JSON.stringify(state), version: expectedVersion + 1 });
  return Number(updated) === 1;
}

/** Suspends or activates the instance row; false when there is no such instance. */
export async function updateProcessInstanceSuspension(db: Db, id: string, suspended: boolean): Promise<boolean> {
  return Number(await db('process_instance').where({ id }).update({ suspended })) === 1;
}

function filtered(db: Db, filter: ProcessInstanceFilter) {
  const query = db('process_instance as pi');
  if (filter.processInstanceIds) query.whereIn('pi.id', filter.processInstanceIds);
  if (filter.businessKey !== undefined) query.where('pi.business_key', filter.businessKey);
  if (filter.businessKeyLike !== undefined) query.where('pi.business_key', 'like', likePattern(filter.businessKeyLike));
  if (filter.processDefinitionId !== undefined) query.where('pi.process_definition_id', filter.processDefinitionId);
  if (filter.processDefinitionKey !== undefined) query.where('pi.process_definition_key', filter.processDefinitionKey);
  if (filter.processDefinitionKeyIn) query.whereIn('pi.process_definition_key', filter.processDefinitionKeyIn);
  if (filter.processDefinitionKeyNotIn) query.whereNotIn('pi.process_definition_key', filter.processDefinitionKeyNotIn);
  if (filter.deploymentId !== undefined) {
    query.whereIn('pi.process_definition_id', (sub) => sub.select('id').from('process_definition').where('deployment_id', filter.deploymentId!));
  }
  if (filter.superProcessInstance !== undefined) query.where('pi.super_process_instance_id', filter.superProcessInstance);
  if (filter.subProcessInstance !== undefined) query.whereIn('pi.id', db('process_instance').where('id', filter.subProcessInstance).select('super_process_instance_id'));
  if (filter.rootProcessInstances) query.whereNull('pi.super_process_instance_id');
  if (filter.active) query.where('pi.suspended', false);
  if (filter.suspended) query.where('pi.suspended', true);
  if (filter.tenantIdIn) query.whereIn('pi.tenant_id', filter.tenantIdIn);
  if (filter.withoutTenantId) query.whereNull('pi.tenant_id');
  if (filter.withIncident || filter.incidentType !== undefined) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('incident as i').whereRaw('i.process_instance_id = pi.id');
      if (filter.incidentType !== undefined) sub.where('i.incident_type', filter.incidentType);
    });
  }
  if (filter.activityIdIn) {
    query.whereExists((sub) =>
      sub.select(db.raw('1')).from('hist_activity_instance as ai')
        .whereRaw('ai.process_instance_id = pi.id').whereNull('ai.end_time').whereIn('ai.activity_id', filter.activityIdIn!),
    );
  }
  whereVariablesHold(db, query, filter.variables, { execution: 'pi.id' }, { ignoreNameCase: filter.variableNamesIgnoreCase, ignoreValueCase: filter.variableValuesIgnoreCase });
  return query;
}

export const processInstanceQuery = pagedQuery<ProcessInstanceFilter, ProcessInstanceRow>({ filtered: filtered, columns: LIST_COLUMNS, sortColumns: SORT_COLUMNS, tieBreaker: 'pi.id' });


/** Instance ids of a definition's deployment, for cascading deletes. */
export async function listProcessInstanceIdsOfDeployment(db: Db, deploymentId: string): Promise<string[]> {
  const rows = await filtered(db, { deploymentId }).select('pi.id');
  return rows.map((row: { id: string }) => row.id);
}

/** The ids of the running instances of these definitions. */
export async function listProcessInstanceIdsOfDefinitions(db: Db, definitionIds: string[]): Promise<string[]> {
  if (definitionIds.length === 0) return [];
  return (await db('process_instance').whereIn('process_definition_id', definitionIds).orderBy('id').select('id')).map((row: { id: string }) => row.id);
}
