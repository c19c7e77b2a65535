/** Runs one command on a freshly recovered bpmn-engine and reports what changed: waits, activity transitions, state. */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';
import { camundaActivityType } from './activity-type.js';
import type { DefinitionCache, ProcessModel } from './definition-cache.js';
import { createEngineExpressions, createEngineScripts, type InstanceScope } from './engine-expressions.js';

export type EngineCommand =
  | { kind: 'start' }
  | { kind: 'signal'; activityId: string; executionId: string }
  /** Recover and resume only: what the self-check and wait-set reconciliation use. */
  | { kind: 'resume' };

/** An activity waiting for the outside world (a user task now; external tasks, messages and timers later). */
export interface WaitingActivity {
  executionId: string;
  activityId: string;
  activityName: string | null;
  bpmnType: string;
  parentExecutionId: string | null;
  behaviour: Record<string, unknown>;
}

/** One step of an activity's life, in the order the engine took them; history is written from these. */
export interface ActivityTransition {
  kind: 'start' | 'end' | 'cancel';
  executionId: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  parentExecutionId: string | null;
}

export interface RunResult {
  /** The state to store, without the definition source and without variables (the variable table is their truth). */
  state: EngineState | null;
  ended: boolean;
  waits: WaitingActivity[];
  transitions: ActivityTransition[];
}

export type EngineState = Record<string, unknown> & { definitions?: DefinitionState[] };
interface EnvironmentState { variables?: Record<string, unknown> }
interface DefinitionState { source?: unknown; environment?: EnvironmentState; execution?: { processes?: Array<{ environment?: EnvironmentState }> } }

interface EventApi {
  id: string;
  type: string;
  name?: string;
  executionId: string;
  content: { parent?: { executionId?: string }; isRootScope?: boolean };
  owner: { type?: string; behaviour?: Record<string, unknown>; eventDefinitions?: Array<{ type: string }> };
}

/** Element types whose `activity.wait` is a wait state the server tracks; other waits (error boundaries) are internal. */
const TRACKED_WAIT_TYPES = new Set(['bpmn:UserTask']);

const ENGINE_VERSION = 'bpmn-engine@25.0.1';
export { ENGINE_VERSION };

function noopTimers() {
  return new Elements.Timers({ setTimeout: (() => 0) as never, clearTimeout() {} });
}

/** Removes the parts of a state that are stored elsewhere or must not be persisted. */
function slimState(state: EngineState): EngineState {
  for (const definition of state.definitions ?? []) {
    delete definition.source;
    if (definition.environment) definition.environment.variables = {};
    for (const process of definition.execution?.processes ?? []) {
      if (process.environment) process.environment.variables = {};
    }
  }
  return state;
}

/** Puts the projected variables where bpmn-elements reads them after a recover; the state object is the command's own. */
function withVariables(state: EngineState, variables: Record<string, unknown>): EngineState {
  for (const definition of state.definitions ?? []) {
    if (definition.environment) definition.environment.variables = variables;
    for (const process of definition.execution?.processes ?? []) {
      if (process.environment) process.environment.variables = variables;
    }
  }
  return state;
}

function transitionOf(kind: ActivityTransition['kind'], api: EventApi): ActivityTransition {
  return {
    kind,
    executionId: api.executionId,
    activityId: api.id,
    activityName: api.name ?? null,
    // Event definitions publish on their activity's broker with their own type; the owner is the activity.
    activityType: camundaActivityType(api.owner.type ?? api.type, (api.owner.eventDefinitions ?? []).map((d) => d.type)),
    parentExecutionId: api.content.parent?.executionId ?? null,
  };
}

/**
 * Recovers (or starts) the instance, applies the command synchronously and snapshots the result.
 * No engine outlives the call: any node can run the next command from the stored state.
 */
export async function runProcessCommand(
  cache: DefinitionCache,
  model: ProcessModel,
  state: EngineState | null,
  variables: Record<string, unknown>,
  scope: InstanceScope,
  command: EngineCommand,
): Promise<RunResult> {
  const listener = new EventEmitter();
  const waits = new Map<string, WaitingActivity>();
  const transitions: ActivityTransition[] = [];
  // Activities started by this command, or found waiting while resuming: a discard of either is a cancellation.
  const live = new Set<string>();
  const errors: unknown[] = [];
  let ended = false;

  listener.on('activity.start', (api: EventApi) => {
    live.add(api.executionId);
    transitions.push(transitionOf('start', api));
  });
  listener.on('activity.wait', (api: EventApi) => {
    live.add(api.executionId);
    if (!TRACKED_WAIT_TYPES.has(api.type)) return;
    waits.set(api.executionId, {
      executionId: api.executionId,
      activityId: api.id,
      activityName: api.name ?? null,
      bpmnType: api.type,
      parentExecutionId: api.content.parent?.executionId ?? null,
      behaviour: { ...(api.owner.behaviour ?? {}) },
    });
  });
  listener.on('activity.end', (api: EventApi) => {
    waits.delete(api.executionId);
    transitions.push(transitionOf('end', api));
  });
  listener.on('activity.discard', (api: EventApi) => {
    waits.delete(api.executionId);
    // A discard of an activity that never started (a flow not taken) is no history.
    if (live.has(api.executionId)) transitions.push(transitionOf('cancel', api));
  });
  listener.on('process.end', () => {
    ended = true;
  });

  const engine = new Engine({
    name: scope.processInstanceId,
    sourceContext: cache.get(model),
    expressions: createEngineExpressions(scope),
    scripts: createEngineScripts(),
    timers: noopTimers(),
    settings: { strict: false, batchSize: 10000 },
    listener,
  } as never);
  engine.on('error', (error: unknown) => errors.push(error));

  try {
    if (state === null) {
      await engine.execute({ listener, variables } as never);
    } else {
      engine.recover(withVariables(state, variables) as never);
      await engine.resume({ listener } as never);
      if (command.kind === 'signal') {
        const execution = engine.execution;
        if (!execution) throw new ProcessEngineError(`Process instance ${scope.processInstanceId} has nothing to resume`);
        execution.signal({ id: command.activityId, executionId: command.executionId } as never);
      }
    }
  } catch (thrown) {
    errors.push(thrown);
  }

  if (errors.length > 0) {
    const first = errors[0];
    if (first instanceof ProcessEngineError) throw first;
    const cause = (first as { inner?: unknown })?.inner ?? first;
    if (cause instanceof ProcessEngineError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ProcessEngineError(`Process instance ${scope.processInstanceId} failed: ${message}`, { cause });
  }

  if (!ended && engine.state !== 'running') ended = engine.state === 'idle' && waits.size === 0;
  const snapshot = ended ? null : slimState((await engine.getState()) as unknown as EngineState);
  return { state: snapshot, ended, waits: [...waits.values()], transitions };
}
