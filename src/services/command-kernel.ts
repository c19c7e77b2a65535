/**
 * The command kernel: a command on an instance locks it (the command model's order: the call tree's root first, then
 * other instances in id order), then re-reads the entity it acts on, which may have changed before the lock was held.
 */
import type { Knex } from 'knex';
import { ProcessEngineError } from '../core/errors.js';
import { ENGINE_VERSION } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { findRootOf, lockProcessInstance, lockRootProcessInstance, type LockedInstanceRow } from '../persistence/process-instance-repository.js';
import type { RunningInstance } from './instance-advancer.js';
import type { InstanceIdentity } from './instance-identity.js';
import { runCommand, type CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';

/** A running instance under this transaction's lock: its row, and what writing rows for it and running it need. */
export interface LockedInstance {
  row: LockedInstanceRow;
  identity: InstanceIdentity;
  running: RunningInstance;
}

/**
 * Locks a running instance for a command. Its state must have been written by this engine version: a state of
 * another bpmn-engine version could be misread silently, so the command fails instead, naming both versions.
 */
export async function lockInstance(tx: Knex.Transaction, id: string, notFound: () => Error): Promise<LockedInstance> {
  const root = await lockRootProcessInstance(tx, id);
  const row = root?.row ?? (await lockCalledInstance(tx, id));
  if (!row) throw notFound();
  if (row.engine_version !== ENGINE_VERSION) {
    throw new ProcessEngineError(`Process instance ${id} was stored by ${row.engine_version}, which this server (${ENGINE_VERSION}) cannot read; run it on a server of that version`);
  }
  const definition = root ? root.definition : await findProcessDefinition(tx, row.process_definition_id);
  if (!definition) throw new ProcessEngineError(`Process definition ${row.process_definition_id} of instance ${id} no longer exists`);
  const identity: InstanceIdentity = { processInstanceId: id, businessKey: row.business_key, tenantId: row.tenant_id, definition };
  const caller = row.super_process_instance_id && row.super_engine_execution_id
    ? { processInstanceId: row.super_process_instance_id, executionId: row.super_execution_id ?? row.super_process_instance_id, engineExecutionId: row.super_engine_execution_id }
    : null;
  return { row, identity, running: { ...identity, version: row.version, startTime: row.start_time, rootProcessInstanceId: row.root_process_instance_id, caller } };
}

/** The root of a call tree first: a child's command may continue its caller, whose own commands lock downwards. */
async function lockCalledInstance(tx: Knex.Transaction, id: string): Promise<LockedInstanceRow | undefined> {
  const root = await findRootOf(tx, id);
  if (root === undefined) return undefined;
  if (root !== id) await lockProcessInstance(tx, root);
  return lockProcessInstance(tx, id);
}

/** How a command finds the entity it acts on (a task, an external task, a job) and the instance that owns it. */
export interface EntityAccess<T> {
  find(db: Db, id: string): Promise<T | undefined>;
  instanceOf(entity: T): string;
  /** The error when the entity does not exist, or no longer does once its instance is locked. */
  missing(): Error;
}

/**
 * Runs `work` as one command on an entity: lock its instance, then re-read the entity under that lock. `known` is the
 * entity as the caller read it already (the job executor's acquisition returns its jobs), which saves the first read.
 */
export async function runOnEntity<T, R>(ctx: ServiceContext, name: string, id: string, access: EntityAccess<T>, work: (command: CommandScope, entity: T, lock: LockedInstance) => Promise<R>, known?: T): Promise<R> {
  const unlocked = known ?? (await access.find(ctx.database.knex, id));
  if (!unlocked) throw access.missing();
  return runCommand(ctx, name, async (command) => {
    const lock = await lockInstance(command.tx, access.instanceOf(unlocked), access.missing);
    const entity = await access.find(command.tx, id);
    if (!entity) throw access.missing();
    return work(command, entity, lock);
  });
}
