/** Applies one engine command to an instance inside the caller's transaction: state, variables, tasks and history. */
import { OptimisticLockingError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { fromPlainValue, toPlainValue, type StoredValue } from '../core/typed-value.js';
import {
  ENGINE_VERSION,
  expressionContext,
  runProcessCommand,
  type ActivityTransition,
  type EngineCommand,
  type EngineState,
  type InstanceScope,
  type RunResult,
} from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import {
  cancelOpenActivityInstances,
  findActivityInstanceByExecution,
  insertHistoricActivityInstances,
  insertHistoricProcessInstance,
  nextActivitySequence,
  updateHistoricActivityInstance,
  updateHistoricProcessInstance,
  type HistoricActivityInstanceRow,
} from '../persistence/history-repository.js';
import { deleteProcessInstance, insertProcessInstance, updateProcessInstanceState } from '../persistence/process-instance-repository.js';
import { deleteVariablesOfInstance, listVariablesOfInstance, storedValueOf } from '../persistence/variable-repository.js';
import type { InstanceIdentity } from './instance-identity.js';
import type { CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceScope, writeVariable } from './variable-writer.js';
import { reconcileWaits, removeAllWaits } from './wait-reconciler.js';

/** An instance as a command sees it: `version` null means it is being started by this command. */
export interface RunningInstance extends InstanceIdentity {
  state: EngineState | null;
  version: number | null;
  startTime: Date;
}

export interface AdvanceResult {
  ended: boolean;
  /** The instance's variables after the command (also when it ended and its rows are gone). */
  variables: Map<string, StoredValue>;
  uncaughtBpmnError: RunResult['uncaughtBpmnError'];
}

/** Loads the instance-scoped variables as the typed values and the plain values the engine sees. */
export async function loadInstanceVariables(db: Db, processInstanceId: string) {
  const stored = new Map<string, StoredValue>();
  const plain: Record<string, unknown> = {};
  for (const row of await listVariablesOfInstance(db, processInstanceId)) {
    if (row.scope_id !== processInstanceId) continue;
    const value = storedValueOf(row);
    stored.set(row.name, value);
    plain[row.name] = toPlainValue(value);
  }
  return { stored, plain };
}

export function engineScopeOf(ctx: ServiceContext, identity: InstanceIdentity): InstanceScope {
  return {
    processInstanceId: identity.processInstanceId,
    processDefinitionId: identity.definition.id,
    businessKey: identity.businessKey,
    clock: ctx.clock,
    variableWrites: new Map(),
  };
}

export function processModelOf(identity: InstanceIdentity) {
  return { definitionId: identity.definition.id, processKey: identity.definition.key, serializedContext: identity.definition.serialized_context };
}

function durationBetween(start: Date, end: Date): number {
  return Math.max(0, end.getTime() - new Date(start).getTime());
}

/** Writes the activity history of one command; returns engine execution id → activity instance id for new rows. */
async function writeActivityHistory(db: Db, identity: InstanceIdentity, transitions: ActivityTransition[], now: Date, isNew: boolean) {
  const created = new Map<string, HistoricActivityInstanceRow>();
  let sequence = isNew ? 1 : await nextActivitySequence(db, identity.processInstanceId);
  for (const transition of transitions) {
    if (transition.kind === 'start') {
      const parent = transition.parentExecutionId ? created.get(transition.parentExecutionId) : undefined;
      created.set(transition.executionId, {
        id: `${transition.activityId}:${newId()}`,
        parent_activity_instance_id: parent?.id ?? identity.processInstanceId,
        process_instance_id: identity.processInstanceId,
        engine_execution_id: transition.executionId,
        process_definition_id: identity.definition.id,
        process_definition_key: identity.definition.key,
        activity_id: transition.activityId,
        activity_name: transition.activityName,
        activity_type: transition.activityType,
        task_id: null,
        assignee: null,
        tenant_id: identity.tenantId,
        canceled: false,
        complete_scope: false,
        start_time: now,
        end_time: null,
        duration_in_millis: null,
        sequence: sequence++,
      });
      continue;
    }
    const ending = { end_time: now, canceled: transition.kind === 'cancel', complete_scope: transition.kind === 'end' && transition.activityType.endsWith('EndEvent') };
    const fresh = created.get(transition.executionId);
    if (fresh) {
      Object.assign(fresh, ending, { duration_in_millis: 0 });
      continue;
    }
    const existing = await findActivityInstanceByExecution(db, identity.processInstanceId, transition.executionId);
    if (existing && existing.end_time === null) {
      await updateHistoricActivityInstance(db, existing.id, { ...ending, duration_in_millis: durationBetween(existing.start_time, now) });
    }
  }
  await insertHistoricActivityInstances(db, [...created.values()]);
  return created;
}

function endActivityOf(transitions: ActivityTransition[]): string | null {
  const ends = transitions.filter((t) => t.kind === 'end' && t.activityType.endsWith('EndEvent'));
  return ends.length > 0 ? ends[ends.length - 1].activityId : null;
}

function startActivityOf(transitions: ActivityTransition[]): string | null {
  return transitions.find((t) => t.kind === 'start' && t.activityType.toLowerCase().includes('startevent'))?.activityId ?? null;
}

export async function advanceInstance(
  ctx: ServiceContext,
  command: CommandScope,
  instance: RunningInstance,
  engineCommand: EngineCommand,
  transientVariables: Record<string, unknown> = {},
): Promise<AdvanceResult> {
  const db = command.tx;
  const now = ctx.clock.now();
  const variables = await loadInstanceVariables(db, instance.processInstanceId);
  const scope = engineScopeOf(ctx, instance);
  const plain = { ...variables.plain, ...transientVariables };
  const result = await runProcessCommand(ctx.cache, processModelOf(instance), instance.state, plain, scope, engineCommand);

  const finalVariables = new Map(variables.stored);
  for (const [name, value] of scope.variableWrites) {
    const stored = fromPlainValue(value, variables.stored.get(name));
    finalVariables.set(name, stored);
    await writeVariable(db, instance, instanceScope(instance), name, stored, now);
  }
  const activityInstances = await writeActivityHistory(db, instance, result.transitions, now, instance.version === null);

  if (instance.version === null) {
    await insertHistoricProcessInstance(db, {
      id: instance.processInstanceId,
      business_key: instance.businessKey,
      process_definition_id: instance.definition.id,
      process_definition_key: instance.definition.key,
      process_definition_name: instance.definition.name,
      process_definition_version: instance.definition.version,
      root_process_instance_id: instance.processInstanceId,
      super_process_instance_id: null,
      tenant_id: instance.tenantId,
      start_activity_id: startActivityOf(result.transitions),
      end_activity_id: null,
      state: 'ACTIVE',
      delete_reason: null,
      start_time: instance.startTime,
      end_time: null,
      duration_in_millis: null,
    });
  }

  if (result.ended) {
    await deleteVariablesOfInstance(db, instance.processInstanceId);
    await removeAllWaits(db, instance.processInstanceId);
    if (instance.version !== null) await deleteProcessInstance(db, instance.processInstanceId);
    // A terminate end event stops other branches without an end event of their own.
    await cancelOpenActivityInstances(db, instance.processInstanceId, now);
    await updateHistoricProcessInstance(db, instance.processInstanceId, {
      state: 'COMPLETED',
      end_time: now,
      end_activity_id: endActivityOf(result.transitions),
      duration_in_millis: durationBetween(instance.startTime, now),
    });
    return { ended: true, variables: finalVariables, uncaughtBpmnError: result.uncaughtBpmnError };
  }

  const state = result.state as Record<string, unknown>;
  if (instance.version === null) {
    await insertProcessInstance(db, {
      id: instance.processInstanceId,
      process_definition_id: instance.definition.id,
      process_definition_key: instance.definition.key,
      business_key: instance.businessKey,
      root_process_instance_id: instance.processInstanceId,
      super_process_instance_id: null,
      tenant_id: instance.tenantId,
      suspended: false,
      state,
      engine_version: ENGINE_VERSION,
      version: 1,
      start_time: instance.startTime,
    });
  } else if (!(await updateProcessInstanceState(db, instance.processInstanceId, instance.version, state))) {
    throw new OptimisticLockingError(`Process instance ${instance.processInstanceId} was updated by another transaction concurrently`);
  }
  const afterWrites = { ...plain, ...Object.fromEntries(scope.variableWrites) };
  await reconcileWaits(db, {
    identity: instance,
    waits: result.waits,
    activityInstances,
    expressions: (activityId) => expressionContext(scope, afterWrites, activityId),
    now,
    isNew: instance.version === null,
  });
  command.touched.add(instance.processInstanceId);
  return { ended: false, variables: finalVariables, uncaughtBpmnError: result.uncaughtBpmnError };
}
