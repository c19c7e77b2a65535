/** Writes runtime variables together with their history, so both always agree. */
import type { StoredValue } from '../core/typed-value.js';
import { newId } from '../core/ids.js';
import type { Db } from '../persistence/database.js';
import { appendHistoricVariableContent, markHistoricVariableDeleted, upsertHistoricVariableInstances } from '../persistence/history-repository.js';
import { commandOperationId } from './command-operation.js';
import type { ProcessTaskRow } from '../persistence/task-repository.js';
import { appendVariableContent, deleteVariable, upsertVariables, type VariableRow } from '../persistence/variable-repository.js';
import type { InstanceIdentity } from './instance-identity.js';
import { recordVariableEvent } from './variable-events.js';

/** Where a variable lives: the instance itself, or a task (task-local variables). */
export interface VariableScope {
  scopeId: string;
  activityInstanceId: string;
  taskId: string | null;
  /** The execution the scope belongs to, as history shows it; the process instance when not given. */
  executionId?: string | null;
}

export function instanceScope(identity: Pick<InstanceIdentity, 'processInstanceId'>): VariableScope {
  return { scopeId: identity.processInstanceId, activityInstanceId: identity.processInstanceId, taskId: null };
}

/** A task's own scope (task-local variables), inside the activity instance the task belongs to. */
export function taskScope(task: Pick<ProcessTaskRow, 'id' | 'activity_instance_id' | 'execution_id'>): VariableScope {
  return { scopeId: task.id, activityInstanceId: task.activity_instance_id, taskId: task.id, executionId: task.execution_id };
}

/** One variable to write: its scope, name and value. */
export interface VariableWrite {
  scope: VariableScope;
  name: string;
  value: StoredValue;
}

export interface WriteOptions {
  /** Set as the instance starts (start variables): Camunda marks their details `initial`. */
  initial?: boolean;
  /**
   * A called instance's inputs, which the caller sets before the child starts: Camunda's details of them are neither
   * `initial` nor in an activity instance.
   */
  fromCaller?: boolean;
}

/**
 * Writes variables (distinct scope and name each) and their history, with one historic detail each: two statements
 * however many there are. An update keeps the row's id, so its history row is updated too (and its revision counted).
 */
export async function writeVariableBatch(db: Db, identity: InstanceIdentity, writes: readonly VariableWrite[], now: Date, options: WriteOptions = {}): Promise<VariableRow[]> {
  const ids = writes.map(() => newId());
  const rows = await upsertVariables(db, writes.map(({ scope, name, value }, i) => ({
    id: ids[i],
    process_instance_id: identity.processInstanceId,
    scope_id: scope.scopeId,
    name,
    type: value.type,
    text_value: value.text,
    bytes_value: value.bytes,
    value_info: value.valueInfo,
    create_time: now,
  })));
  const historic = writes.map(({ scope, name, value }, i) => ({
    id: rows[i].id,
    process_instance_id: identity.processInstanceId,
    process_definition_id: identity.definition.id,
    process_definition_key: identity.definition.key,
    scope_id: scope.scopeId,
    activity_instance_id: scope.activityInstanceId,
    execution_id: scope.executionId ?? identity.processInstanceId,
    task_id: scope.taskId,
    name,
    type: value.type,
    text_value: value.text,
    bytes_value: value.bytes,
    value_info: value.valueInfo,
    tenant_id: identity.tenantId,
    state: 'CREATED' as const,
    create_time: now,
    revision: 0,
  }));
  const details = writes.map(() => ({ id: newId(), initial: options.initial === true, inActivity: options.fromCaller !== true }));
  await upsertHistoricVariableInstances(db, historic, details, now, commandOperationId(db));
  for (const [i, { value }] of writes.entries()) {
    if (!value.moreBytes?.length) continue;
    await appendVariableContent(db, rows[i].id, value.moreBytes);
    await appendHistoricVariableContent(db, { variableId: rows[i].id, detailId: details[i].id }, value.moreBytes);
  }
  writes.forEach(({ name }, i) => recordVariableEvent(db, { processInstanceId: identity.processInstanceId, name, event: rows[i].id === ids[i] ? 'create' : 'update' }));
  return rows;
}

export async function writeVariable(db: Db, identity: InstanceIdentity, scope: VariableScope, name: string, value: StoredValue, now: Date): Promise<VariableRow> {
  const [row] = await writeVariableBatch(db, identity, [{ scope, name, value }], now);
  return row;
}

export async function writeVariables(db: Db, identity: InstanceIdentity, scope: VariableScope, values: Map<string, StoredValue>, now: Date, options: WriteOptions = {}): Promise<void> {
  await writeVariableBatch(db, identity, [...values].map(([name, value]) => ({ scope, name, value })), now, options);
}

/** Removes a variable; returns false when it did not exist. */
export async function removeVariable(db: Db, scopeId: string, name: string): Promise<boolean> {
  const deleted = await deleteVariable(db, scopeId, name);
  if (!deleted) return false;
  await markHistoricVariableDeleted(db, deleted.id);
  recordVariableEvent(db, { processInstanceId: deleted.process_instance_id, name, event: 'delete' });
  return true;
}
