/** Runs one command on a freshly recovered bpmn-engine and reports what changed: waits, activity transitions, state. */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';
import { camundaActivityType } from './activity-type.js';
import type { DefinitionCache, ProcessModel } from './definition-cache.js';
import { createEngineExpressions, createEngineScripts, type InstanceScope } from './engine-expressions.js';
import { onActivityEnd, onActivityStart, onFlowTaken, type HookTarget } from './activity-hooks.js';
import { asyncContinuationOf, isAsyncContinuationId } from './async-continuations.js';
import { announcedTimer, type AnnouncedTimer } from './timer-event-definition.js';
import { ANNOUNCING_EVENTS, announcedWaitKind, type WaitKind } from './wait-kinds.js';
import type { RunEvent, ScopeKind } from './execution-tree.js';
import { scopeKindsOf } from './scope-kinds.js';

export type EngineCommand =
  /** Starts at `startEventId` (a timer start event, whose timer fires at once), else at the process's none start event. */
  | { kind: 'start'; startEventId?: string }
  | { kind: 'signal'; activityId: string; executionId: string }
  /** Fires the timer whose own execution id is `executionId` (`<activity execution>_0`, as `activity.timer` announced it). */
  | { kind: 'fireTimer'; activityId: string; executionId: string }
  /** A BPMN error thrown at a waiting activity: caught by a matching error boundary event, else the execution ends. */
  | { kind: 'bpmnError'; activityId: string; executionId: string; errorCode: string; errorMessage: string | null; endIfUncaught: boolean }
  /** Recover and resume only: what the self-check and wait-set reconciliation use. */
  | { kind: 'resume' };

export type { WaitKind };

/** An activity waiting for the outside world: a user task, external work or a timer; messages later. */
export interface WaitingActivity {
  kind: WaitKind;
  /** The wait's own execution id: the activity's, or for a timer its event definition's (`<activity execution>_0`). */
  executionId: string;
  /** The activity's execution: the wait ends when it does. */
  ownerExecutionId: string;
  activityId: string;
  activityName: string | null;
  bpmnType: string;
  parentExecutionId: string | null;
  /** The engine run of the sub-process the wait sits in; null is the process. */
  scopeRunId: string | null;
  behaviour: Record<string, unknown>;
  /** For a timer: its resolved definition. */
  timer?: AnnouncedTimer;
}

/** One step of an activity's life, in the order the engine took them; history is written from these. */
export interface ActivityTransition {
  /** `join`: the parallel join `activityId` in the scope `parentExecutionId` fired; its waiting arrivals end. */
  kind: 'start' | 'end' | 'cancel' | 'join';
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
  /** How the engine's runs changed, for the execution tree (execution-tree.ts). */
  runEvents: RunEvent[];
  /** Set when a BPMN error found no error boundary event: Camunda ends that execution and logs a warning. */
  uncaughtBpmnError: { activityId: string; errorCode: string; errorMessage: string | null } | null;
}

export type EngineState = Record<string, unknown> & { definitions?: DefinitionState[] };
interface EnvironmentState { variables?: Record<string, unknown> }
interface DefinitionState { source?: unknown; environment?: EnvironmentState; execution?: { processes?: Array<{ environment?: EnvironmentState }> } }

interface EventApi {
  id: string;
  type: string;
  name?: string;
  executionId: string;
  content: {
    parent?: { executionId?: string; type?: string; path?: Array<{ executionId?: string; type?: string }> };
    isRootScope?: boolean;
    targetId?: string;
    sourceId?: string;
    sequenceId?: string;
    inbound?: Array<{ sequenceId?: string }>;
    [key: string]: unknown;
  };
  owner: { type?: string; behaviour?: Record<string, unknown>; eventDefinitions?: Array<{ type: string }> };
}

/** An activity the engine has postponed, as `getPostponed()` hands it out. */
interface PostponedApi {
  id: string;
  executionId: string;
  owner: { type?: string; behaviour?: BoundaryBehaviour; getActivityById(id: string): { errorCode?: string } | undefined };
  sendApiMessage(action: string, content: unknown): void;
  discard(): void;
}

interface BoundaryBehaviour {
  attachedTo?: { id?: string };
  eventDefinitions?: Array<{ type?: string; behaviour?: { errorRef?: { id?: string }; errorCodeVariable?: string; errorMessageVariable?: string } }>;
}

function isProcessStartEvent(api: EventApi): boolean {
  return (api.owner.type ?? api.type) === 'bpmn:StartEvent' && api.content.parent?.type === 'bpmn:Process';
}

/**
 * A wait the server keeps rows for (wait-kinds.ts); other waits (error boundaries, a sub-process itself) are internal.
 * A timer announces itself from its event definition, whose parent is the activity's execution.
 */
function announcedWait(event: string, api: EventApi): WaitingActivity | null {
  const behaviour = api.owner.behaviour ?? {};
  const kind = announcedWaitKind(event, { id: api.id, type: api.owner.type ?? api.type, behaviour, isProcessStartEvent: isProcessStartEvent(api) });
  if (!kind) return null;
  const isTimer = event === 'activity.timer';
  const ownerExecutionId = isTimer ? api.content.parent?.executionId ?? api.executionId : api.executionId;
  return {
    kind,
    executionId: api.executionId,
    ownerExecutionId,
    activityId: api.id,
    activityName: api.name ?? null,
    bpmnType: api.owner.type ?? api.type,
    parentExecutionId: isTimer ? null : api.content.parent?.executionId ?? null,
    scopeRunId: isTimer ? scopeOfTimer(api) : enclosingScopeOf(api),
    behaviour: { ...behaviour },
    ...(isTimer ? { timer: announcedTimer(api.content) } : {}),
  };
}

/** The scope an activity's variables live under: its sub-process's execution, or null (the process). */
function enclosingScopeOf(api: EventApi): string | null {
  const parent = api.content.parent;
  return parent?.executionId && parent.type !== 'bpmn:Process' ? parent.executionId : null;
}

/** A timer event definition's parent is its activity; the first entry of the parent's path is the enclosing scope. */
function scopeOfTimer(api: EventApi): string | null {
  const enclosing = api.content.parent?.path?.[0];
  return enclosing?.executionId && enclosing.type !== 'bpmn:Process' ? enclosing.executionId : null;
}

function hookTarget(api: EventApi): HookTarget {
  return { id: api.id, executionId: api.executionId ?? null, behaviour: api.owner.behaviour ?? {}, parentScope: enclosingScopeOf(api) };
}

function isBoundaryEvent(api: EventApi): boolean {
  return (api.owner.type ?? api.type) === 'bpmn:BoundaryEvent';
}

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

/** The prefix of the history execution ids of tokens arriving at a parallel join (one activity instance each). */
export function joinArrivalPrefix(gatewayId: string): string {
  return `${gatewayId}#arrival:`;
}

type ElementLookup = { getActivityById(id: string): { type?: string; name?: string } | undefined; getInboundSequenceFlows(id: string): unknown[] };

/**
 * Records how runs start and end for the execution tree, and where each came from: a flow taken is attributed to
 * the run of its source that ended last in the same scope (bpmn-elements takes a run's flows right after its end).
 */
class RunTracker {
  readonly events: RunEvent[] = [];
  private readonly lastEnded = new Map<string, string>();
  private readonly flowSources = new Map<string, string>();
  /** The predecessor of the join gateway's run: the arrival it replaces. */
  private pendingJoinPredecessor: string | null = null;

  constructor(private readonly kinds: Map<string, ScopeKind>) {}

  sourceOf(sequenceId: string | undefined): string | null {
    return (sequenceId && this.flowSources.get(sequenceId)) || null;
  }

  flowTaken(flow: EventApi): void {
    const source = this.lastEnded.get(`${enclosingScopeOf(flow)}/${flow.content.sourceId}`);
    if (source && flow.content.sequenceId) this.flowSources.set(flow.content.sequenceId, source);
  }

  started(api: EventApi): void {
    const continuation = asyncContinuationOf(api.id);
    const activityId = continuation?.activityId ?? api.id;
    const predecessor = this.pendingJoinPredecessor ?? this.sourceOf(api.content.inbound?.[0]?.sequenceId);
    this.pendingJoinPredecessor = null;
    const kind = continuation ? 'leaf' : this.kinds.get(activityId) ?? 'leaf';
    this.events.push({ type: 'start', runId: api.executionId, activityId, kind, scopeRunId: enclosingScopeOf(api), predecessorRunId: predecessor });
  }

  ended(api: EventApi): void {
    this.lastEnded.set(`${enclosingScopeOf(api)}/${api.id}`, api.executionId);
    this.events.push({ type: 'end', runId: api.executionId });
  }

  endedRun(runId: string): void {
    this.events.push({ type: 'end', runId });
  }

  /** The last arrival at a join becomes the gateway's own run. */
  replaceLastArrival(prefix: string): void {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i];
      if (event.type === 'start' && event.runId.startsWith(prefix)) {
        this.events.splice(i, 1);
        this.pendingJoinPredecessor = event.predecessorRunId;
        return;
      }
    }
  }
}

/**
 * Camunda records an activity instance for each token arriving at a joining parallel gateway, while bpmn-elements
 * starts the gateway once, when the last token arrives. Arrivals are recorded from the flows taken into the join;
 * the last one is the gateway's own start, and the join's end also ends the arrivals that waited.
 */
function parallelJoinTracker(source: ElementLookup, transitions: ActivityTransition[], runs: RunTracker) {
  const joins = new Map<string, { name: string | null } | null>();
  const joinOf = (id: string) => {
    if (!joins.has(id)) {
      const element = source.getActivityById(id);
      const isJoin = element?.type === 'bpmn:ParallelGateway' && source.getInboundSequenceFlows(id).length > 1;
      joins.set(id, isJoin ? { name: element?.name ?? null } : null);
    }
    return joins.get(id) ?? null;
  };
  return {
    arrived(flow: EventApi): void {
      const target = flow.content.targetId;
      const join = target ? joinOf(target) : null;
      if (!target || !join) return;
      const runId = `${joinArrivalPrefix(target)}${flow.content.sequenceId}`;
      runs.events.push({ type: 'start', runId, activityId: target, kind: 'leaf', scopeRunId: enclosingScopeOf(flow), predecessorRunId: runs.sourceOf(flow.content.sequenceId), active: false });
      transitions.push({
        kind: 'start', executionId: `${joinArrivalPrefix(target)}${flow.content.sequenceId}`, activityId: target, activityName: join.name,
        activityType: 'parallelGateway', parentExecutionId: flow.content.parent?.executionId ?? null,
      });
    },
    /** The gateway starts on the last arrival, just recorded: that arrival is the gateway's own activity instance. */
    started(api: EventApi): void {
      if (!joinOf(api.id)) return;
      const prefix = joinArrivalPrefix(api.id);
      for (let i = transitions.length - 1; i >= 0; i--) {
        if (transitions[i].kind === 'start' && transitions[i].executionId.startsWith(prefix)) {
          transitions.splice(i, 1);
          break;
        }
      }
      runs.replaceLastArrival(prefix);
    },
    ended(api: EventApi): void {
      if (!joinOf(api.id)) return;
      transitions.push({ ...transitionOf('end', api), kind: 'join' });
      runs.events.push({ type: 'endArrivals', prefix: joinArrivalPrefix(api.id), scopeRunId: enclosingScopeOf(api) });
    },
  };
}

interface StartEventLookup {
  getActivities(scopeId: string): Array<{ id: string; type: string; behaviour?: { eventDefinitions?: Array<{ type: string }> } }>;
}

/**
 * Which of the process's start events a start runs: the one named, else the none start events (a REST start), else
 * the only start event there is; a timer start event that runs fires at once. The others are discarded on entry
 * (bpmn-elements would start every one of them).
 */
function startPlan(context: StartEventLookup, processKey: string, startEventId: string | undefined): { runs: Set<string>; firesTimers: string[] } {
  const starts = context.getActivities(processKey).filter((activity) => activity.type === 'bpmn:StartEvent');
  const isTimer = (start: (typeof starts)[number]) => (start.behaviour?.eventDefinitions ?? []).some((definition) => definition.type === 'bpmn:TimerEventDefinition');
  let runs = starts.filter((start) => start.id === startEventId);
  if (startEventId === undefined) {
    runs = starts.filter((start) => (start.behaviour?.eventDefinitions ?? []).length === 0);
    if (runs.length === 0 && starts.length === 1) runs = starts;
  }
  if (runs.length === 0) throw new ProcessEngineError(startEventId ? `Process '${processKey}' has no start event '${startEventId}'` : `Cannot start process '${processKey}': it has no none start event, only ${starts.length} event start events`);
  return { runs: new Set(runs.map((start) => start.id)), firesTimers: runs.filter(isTimer).map((start) => start.id) };
}

/**
 * Recovers (or starts) the instance, applies the command synchronously and snapshots the result.
 * No engine outlives the call: any node can run the next command from the stored state.
 */
export async function runProcessCommand(
  cache: DefinitionCache,
  model: ProcessModel,
  state: EngineState | null,
  scope: InstanceScope,
  command: EngineCommand,
): Promise<RunResult> {
  const variables = scope.variables.process;
  const listener = new EventEmitter();
  const waits = new Map<string, WaitingActivity>();
  const transitions: ActivityTransition[] = [];
  // Activities started by this command, or found waiting while resuming: a discard of either is a cancellation.
  const live = new Set<string>();
  const errors: unknown[] = [];
  let ended = false;
  let uncaughtBpmnError: RunResult['uncaughtBpmnError'] = null;
  const runs = new RunTracker(scopeKindsOf(cache.get(model)));
  const joins = parallelJoinTracker(cache.get(model) as unknown as ElementLookup, transitions, runs);
  const starts = command.kind === 'start' ? startPlan(cache.get(model) as unknown as StartEventLookup, model.processKey, command.startEventId) : null;

  // Camunda hooks (mappings, listeners) throw inside bpmn-elements' broker; the command fails after the run.
  const hook = (run: () => void) => {
    try {
      run();
    } catch (error) {
      errors.push(error);
    }
  };

  listener.on('activity.enter', (api: EventApi & { discard(): void }) => {
    if (starts && isProcessStartEvent(api) && !starts.runs.has(api.id)) api.discard();
  });
  // A boundary event is armed when its activity starts, but Camunda's history only shows it once it fires.
  listener.on('activity.start', (api: EventApi) => {
    live.add(api.executionId);
    scope.variables.setParent(api.executionId, enclosingScopeOf(api));
    if (isBoundaryEvent(api)) return;
    joins.started(api);
    runs.started(api);
    if (isAsyncContinuationId(api.id)) return;
    transitions.push(transitionOf('start', api));
    hook(() => onActivityStart(scope, hookTarget(api)));
  });
  for (const event of ANNOUNCING_EVENTS) {
    listener.on(event, (api: EventApi) => {
      live.add(api.executionId);
      const wait = announcedWait(event, api);
      if (!wait) return;
      waits.set(wait.executionId, wait);
      // A boundary event found armed while resuming only announces its timer; it ends with a leave of its own.
      live.add(wait.ownerExecutionId);
    });
  }
  /** An activity that ends, fails or is discarded stops waiting, and so do its timers. */
  const stopWaiting = (executionId: string) => {
    for (const wait of waits.values()) if (wait.executionId === executionId || wait.ownerExecutionId === executionId) waits.delete(wait.executionId);
  };
  listener.on('activity.timeout', (api: EventApi) => waits.delete(api.executionId));
  // Executions that ended, failed or were discarded; one that leaves without any of these was interrupted.
  const settled = new Set<string>();
  listener.on('activity.end', (api: EventApi) => {
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    if (!isBoundaryEvent(api)) runs.ended(api);
    if (isAsyncContinuationId(api.id)) return;
    if (isBoundaryEvent(api)) transitions.push(transitionOf('start', api));
    hook(() => onActivityEnd(scope, hookTarget(api)));
    transitions.push(transitionOf('end', api));
    joins.ended(api);
  });
  listener.on('flow.take', (api: EventApi) => {
    runs.flowTaken(api);
    hook(() => onFlowTaken(scope, { ...hookTarget(api), executionId: null }));
    joins.arrived(api);
  });
  // An activity interrupted by a caught error ends cancelled, as in Camunda; an uncaught one fails the command.
  listener.on('activity.error', (api: EventApi) => {
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    runs.endedRun(api.executionId);
    if (live.has(api.executionId) && !isAsyncContinuationId(api.id)) transitions.push(transitionOf('cancel', api));
  });
  listener.on('activity.discard', (api: EventApi) => {
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    runs.endedRun(api.executionId);
    // A discard of an activity that never started (a flow not taken) is no history.
    if (live.has(api.executionId) && !isBoundaryEvent(api) && !isAsyncContinuationId(api.id)) transitions.push(transitionOf('cancel', api));
  });
  // An interrupting boundary event (a timer) makes its activity leave with neither end nor discard: it was cancelled.
  listener.on('activity.leave', (api: EventApi) => {
    if (settled.has(api.executionId) || !live.has(api.executionId)) return;
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    runs.endedRun(api.executionId);
    if (!isBoundaryEvent(api) && !isAsyncContinuationId(api.id)) transitions.push(transitionOf('cancel', api));
  });
  listener.on('process.end', () => {
    ended = true;
  });

  const engine = new Engine({
    name: scope.processInstanceId,
    sourceContext: cache.get(model),
    expressions: createEngineExpressions(scope),
    scripts: createEngineScripts(scope),
    timers: noopTimers(),
    settings: { strict: false, batchSize: 10000 },
    listener,
  } as never);
  engine.on('error', (error: unknown) => errors.push(error));

  try {
    if (state === null) {
      await engine.execute({ listener, variables } as never);
      for (const id of starts?.firesTimers ?? []) engine.execution!.cancelActivity({ id } as never);
    } else {
      engine.recover(withVariables(state, variables) as never);
      await engine.resume({ listener } as never);
      const execution = engine.execution;
      if (!execution && command.kind !== 'resume') throw new ProcessEngineError(`Process instance ${scope.processInstanceId} has nothing to resume`);
      if (command.kind === 'signal') {
        execution!.signal({ id: command.activityId, executionId: command.executionId } as never);
      } else if (command.kind === 'fireTimer') {
        if (!waits.has(command.executionId)) throw new ProcessEngineError(`Timer '${command.activityId}' (${command.executionId}) of process instance ${scope.processInstanceId} is not waiting`);
        execution!.cancelActivity({ id: command.activityId, executionId: command.executionId } as never);
      } else if (command.kind === 'bpmnError') {
        const target = waits.get(command.executionId);
        uncaughtBpmnError = throwBpmnError(execution!.getPostponed() as unknown as PostponedApi[], command, scope);
        // A discarded activity emits no end of its own: record that its execution ended here.
        if (uncaughtBpmnError && command.endIfUncaught && target) {
          waits.delete(command.executionId);
          runs.endedRun(target.ownerExecutionId);
          transitions.push({ kind: 'end', executionId: target.executionId, activityId: target.activityId, activityName: target.activityName, activityType: camundaActivityType(target.bpmnType), parentExecutionId: target.parentExecutionId });
        }
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
    const noFlow = /^<([^>]+)> no conditional flow taken/.exec(message);
    if (noFlow) throw new ProcessEngineError(`ENGINE-02004 No outgoing sequence flow for the element with id '${noFlow[1]}' could be selected for continuing the process.`, { cause });
    throw new ProcessEngineError(`Process instance ${scope.processInstanceId} failed: ${message}`, { cause });
  }

  if (!ended && engine.state !== 'running') ended = engine.state === 'idle' && waits.size === 0;
  const snapshot = ended ? null : slimState((await engine.getState()) as unknown as EngineState);
  return { state: snapshot, ended, waits: [...waits.values()], transitions, runEvents: runs.events, uncaughtBpmnError };
}

/**
 * The error boundary event on the activity that catches this code: one whose bpmn:Error has the code, else one
 * without an error reference (or whose bpmn:Error has no code), which catches every code.
 */
function catchingBoundary(postponed: PostponedApi[], activityId: string, errorCode: string) {
  const candidates = postponed.flatMap((api) => {
    const behaviour = api.owner.behaviour;
    if (behaviour?.attachedTo?.id !== activityId) return [];
    return (behaviour.eventDefinitions ?? [])
      .filter((definition) => definition.type === 'bpmn:ErrorEventDefinition')
      .map((definition) => {
        const errorRef = definition.behaviour?.errorRef?.id;
        // The serialized reference lacks the code; the bpmn:Error element has it.
        const code = errorRef ? api.owner.getActivityById(errorRef)?.errorCode : undefined;
        return { api, definition: definition.behaviour ?? {}, code };
      });
  });
  return candidates.find((c) => c.code === errorCode) ?? candidates.find((c) => !c.code);
}

/**
 * Sends a BPMN error to the waiting activity. With a catching boundary event its `camunda:errorCodeVariable` and
 * `errorMessageVariable` are set first; without one the activity is discarded (its execution ends, Camunda's default)
 * when `endIfUncaught`, and otherwise left waiting.
 */
function throwBpmnError(postponed: PostponedApi[], command: Extract<EngineCommand, { kind: 'bpmnError' }>, scope: InstanceScope): RunResult['uncaughtBpmnError'] {
  const target = postponed.find((api) => api.executionId === command.executionId);
  if (!target) throw new ProcessEngineError(`Activity '${command.activityId}' (${command.executionId}) is not waiting`);
  const boundary = catchingBoundary(postponed, command.activityId, command.errorCode);
  if (!boundary) {
    if (command.endIfUncaught) target.discard();
    return { activityId: command.activityId, errorCode: command.errorCode, errorMessage: command.errorMessage };
  }
  // Camunda sets the code and message variables in the boundary event's scope: the activity's enclosing one.
  const enclosing = scope.variables.parentOf(command.executionId);
  const assign = (name: string | undefined, value: unknown) => {
    if (name) scope.variables.set(enclosing, name, value);
  };
  assign(boundary.definition.errorCodeVariable, command.errorCode);
  assign(boundary.definition.errorMessageVariable, command.errorMessage);
  target.sendApiMessage('error', { message: command.errorMessage ?? command.errorCode, code: command.errorCode });
  return null;
}
