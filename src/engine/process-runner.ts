/** Runs one command on a freshly recovered bpmn-engine and reports what changed: waits, activity transitions, state. */
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';
import { camundaActivityType } from './activity-type.js';
import { isExternalElement } from './external-work.js';
import type { DefinitionCache, ProcessModel } from './definition-cache.js';
import { createEngineExpressions, createEngineScripts, type InstanceScope } from './engine-expressions.js';
import { onActivityEnd, onActivityStart, onFlowTaken, type HookTarget } from './activity-hooks.js';
import { asyncContinuationOf, isAsyncContinuationId } from './async-continuations.js';
import { announcedTimer, type AnnouncedTimer } from './timer-event-definition.js';
import { ANNOUNCING_EVENTS, announcedWaitKind, type WaitKind } from './wait-kinds.js';
import type { RunEvent, ScopeKind } from './execution-tree.js';
import { scopeKindsOf } from './scope-kinds.js';
import { watchIterations, type IterationEnd, type IterationStart, type MultiInstanceOwner } from './multi-instance.js';
import type { VariableScopes } from './variable-scopes.js';
import { conditionOf, eventGatewaysOf, linkEventsOf, type EventSubscriptionSpec } from './event-subscriptions.js';
import { START_EVENT_IDS_SETTING } from './start-event.js';
import { EventSubProcessRuns, eventSubProcessesOf } from './event-sub-processes.js';
import { COMPENSATIONS_SERVICE, CompensationRuns, compensationHandlersOf, type PendingCompensation } from './compensation.js';
import { eventCatchersOf, thrownCodeOf, findCatcher, THROWS_SERVICE, type CatchLevel, type EventCatcher, type PendingThrow, type ThrownKind } from './thrown-events.js';

export type EngineCommand =
  /**
   * Starts at `startEventId` (a timer, message, signal or conditional start event, which happens at once), else at
   * the process's none start event.
   */
  | { kind: 'start'; startEventId?: string }
  /** Continues a waiting activity: completes a task, or delivers its message, signal or condition to a catching event. */
  | { kind: 'signal'; activityId: string; executionId: string }
  /** Fires the timer whose own execution id is `executionId` (`<activity execution>_0`, as `activity.timer` announced it). */
  | { kind: 'fireTimer'; activityId: string; executionId: string }
  /**
   * A BPMN error thrown at a waiting activity: caught by the innermost matching catcher (a boundary event on it, an
   * event sub-process of a scope it runs in, a boundary event on that scope…), else the execution ends.
   */
  | { kind: 'bpmnError'; activityId: string; executionId: string; errorCode: string; errorMessage: string | null; endIfUncaught: boolean }
  /** An escalation thrown at a waiting activity, caught as an error is; nothing happens when nothing catches it. */
  | { kind: 'bpmnEscalation'; activityId: string; executionId: string; escalationCode: string }
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
  /** For a message, signal or conditional catch: what it subscribes to. */
  subscription?: EventSubscriptionSpec;
  /**
   * The activity whose execution runs the wait when the wait's own activity has none: the activity a boundary event
   * is attached to, or the event-based gateway that armed a catch event.
   */
  hostActivityId: string | null;
  /** The start event of an event sub-process: it waits on the execution of its scope (`scopeRunId`). */
  waitsOnScope?: boolean;
}

/** A signal a throw or end event sent: the server broadcasts it to other instances (its own instance caught it already). */
export interface ThrownSignal {
  name: string;
  activityId: string;
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
  /** An end that completes its scope although it is no end event: a completed multi-instance iteration. */
  completesScope?: boolean;
}

export interface RunResult {
  /** The state to store, without the definition source and without variables (the variable table is their truth). */
  state: EngineState | null;
  ended: boolean;
  waits: WaitingActivity[];
  transitions: ActivityTransition[];
  /** How the engine's runs changed, for the execution tree (execution-tree.ts). */
  runEvents: RunEvent[];
  /** The waits found when the stored state was resumed (their rows exist), by execution id; empty for a start. */
  resumedWaits: Map<string, WaitKind>;
  /** Set when a BPMN error found no error boundary event: Camunda ends that execution and logs a warning. */
  uncaughtBpmnError: { activityId: string; errorCode: string; errorMessage: string | null } | null;
  /** Signals thrown in this command, in order. */
  thrownSignals: ThrownSignal[];
  /** An error an error end event threw that nothing in this instance caught (it ended like a none end event). */
  uncaughtErrorEnd: { activityId: string; errorCode: string; errorMessage: string | null } | null;
  /** Activities that run in an execution of their own beside their scope's tokens (execution-tree.ts): compensation handlers. */
  detachedActivityIds: ReadonlySet<string>;
  /** Set when an escalation thrown at a waiting activity found no catcher: Camunda refuses it. */
  uncaughtEscalation: { activityId: string; escalationCode: string } | null;
}

export type EngineState = Record<string, unknown> & { definitions?: DefinitionState[] };
/** A stored state (JSON text, as `process_instance.state` holds it) for `runProcessCommand`. */
export function parseEngineState(text: string): EngineState {
  return JSON.parse(text) as EngineState;
}

interface EnvironmentState { variables?: Record<string, unknown> }
interface DefinitionState { source?: unknown; environment?: EnvironmentState; execution?: { processes?: Array<{ environment?: EnvironmentState }> } }

interface ParentEntry {
  id?: string;
  executionId?: string;
  type?: string;
}

interface EventApi {
  id: string;
  type: string;
  name?: string;
  executionId: string;
  content: {
    parent?: ParentEntry & { path?: ParentEntry[] };
    isRootScope?: boolean;
    targetId?: string;
    sourceId?: string;
    sequenceId?: string;
    inbound?: Array<{ sequenceId?: string }>;
    [key: string]: unknown;
  };
  owner: { type?: string; behaviour?: Record<string, unknown>; eventDefinitions?: Array<{ type: string }>; isMultiInstance?: boolean; name?: string };
}

/** An activity the engine has postponed, as `getPostponed()` hands it out. */
interface PostponedApi {
  id: string;
  executionId: string;
  getPostponed?(): PostponedApi[];
  signal?(message?: unknown): void;
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
function announcedWait(event: string, api: EventApi, gateways: Map<string, string>): WaitingActivity | null {
  const behaviour = api.owner.behaviour ?? {};
  const kind = announcedWaitKind(event, { id: api.id, type: api.owner.type ?? api.type, definitionType: api.type, behaviour, isProcessStartEvent: isProcessStartEvent(api) });
  if (!kind) return null;
  const isTimer = event === 'activity.timer';
  const subscription = subscriptionOf(kind, api);
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
    hostActivityId: (behaviour as BoundaryBehaviour).attachedTo?.id ?? gateways.get(api.id) ?? null,
    ...(isTimer ? { timer: announcedTimer(api.content) } : {}),
    ...(subscription ? { subscription } : {}),
  };
}

/** What a message, signal or conditional wait subscribes to; bpmn-elements announces names already resolved. */
function subscriptionOf(kind: WaitKind, api: EventApi): EventSubscriptionSpec | undefined {
  const nameOf = (reference: unknown) => (reference as { name?: string } | undefined)?.name ?? null;
  if (kind === 'message') {
    const withoutMessage = api.type === 'bpmn:ReceiveTask' && !(api.owner.behaviour ?? {}).messageRef;
    return withoutMessage ? { eventType: 'receive', eventName: null } : { eventType: 'message', eventName: nameOf(api.content.message) };
  }
  if (kind === 'signal') return { eventType: 'signal', eventName: nameOf(api.content.signal) };
  if (kind === 'conditional') return { eventType: 'conditional', eventName: null, condition: conditionOf(api.owner.behaviour ?? {}) };
  return undefined;
}

/** The scope run an entry of an event's parent path stands for: a sub-process's run, or null (the process). */
function scopeRunOf(entry: ParentEntry | undefined): string | null {
  return entry?.executionId && entry.type !== 'bpmn:Process' ? entry.executionId : null;
}

/** The scope an activity's variables live under: its sub-process's execution, or null (the process). */
function enclosingScopeOf(api: EventApi): string | null {
  return scopeRunOf(api.content.parent);
}

/** A timer event definition's parent is its activity; the first entry of the parent's path is the enclosing scope. */
function scopeOfTimer(api: EventApi): string | null {
  return scopeRunOf(api.content.parent?.path?.[0]);
}

function hookTarget(api: EventApi): HookTarget {
  return { id: api.id, executionId: api.executionId ?? null, behaviour: api.owner.behaviour ?? {}, parentScope: enclosingScopeOf(api) };
}

/** The run of a multi-instance activity itself (its body): iterations carry their index. */
function isMultiInstanceRoot(api: EventApi): boolean {
  return api.owner.isMultiInstance === true && api.content.index === undefined;
}

function isBoundaryEvent(api: EventApi): boolean {
  return (api.owner.type ?? api.type) === 'bpmn:BoundaryEvent';
}

const ENGINE_VERSION = 'bpmn-engine@25.0.1';
export { ENGINE_VERSION };

/**
 * bpmn-engine logs through `debug`, which builds a logger (and asks whether stderr is a terminal) for every element
 * of every recovered definition; nothing here reads those logs.
 */
function SilentLogger() {
  const ignore = () => {};
  return { debug: ignore, error: ignore, warn: ignore };
}

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
    activityType: camundaActivityType(api.owner.type ?? api.type, (api.owner.eventDefinitions ?? []).map((d) => d.type), isExternalElement(api.owner.behaviour ?? {})),
    parentExecutionId: api.content.parent?.executionId ?? null,
  };
}

/** The prefix of the history execution ids of tokens arriving at a parallel join (one activity instance each). */
export function joinArrivalPrefix(gatewayId: string): string {
  return `${gatewayId}#arrival:`;
}

type ElementLookup = { getActivityById(id: string): { type?: string; name?: string } | undefined; getInboundSequenceFlows(id: string): unknown[] };

/** Camunda's id of a multi-instance activity's body (`<activity>#multiInstanceBody`), which holds its iterations. */
export function multiInstanceBodyId(activityId: string): string {
  return `${activityId}#multiInstanceBody`;
}

interface Body {
  activityId: string;
  activityName: string | null;
  activityType: string;
  /** The iterations started and not ended that this command knows of. */
  open: Set<string>;
}

/**
 * The bodies of multi-instance activities in one command: each iteration is an activity instance and a token of its
 * own under the body, with Camunda's `loopCounter` and element variable in its scope and the `nrOf…` counters in the
 * body's. bpmn-elements reports neither iteration starts nor ends, so they come from the loop's broker.
 */
class MultiInstanceBodies {
  private readonly bodies = new Map<string, Body>();
  /** Iteration scopes that ended in this command: dropped once the run is over (a completion condition still reads them). */
  readonly endedScopes: string[] = [];
  /** Bodies that ended: forgotten when the next command begins. */
  private readonly finished = new Set<string>();

  constructor(
    /** The scopes of the command running now. */
    private readonly scopes: () => VariableScopes,
    private readonly transitions: ActivityTransition[],
    private readonly runs: RunTracker,
    private readonly kinds: Map<string, ScopeKind>,
    private readonly stopWaiting: (executionId: string) => void,
  ) {}

  isBody(runId: string): boolean {
    return this.bodies.has(runId);
  }

  /** A new command on the same engine: nothing ended in it yet. */
  reset(): void {
    this.endedScopes.length = 0;
  }

  /**
   * The engine kept from the previous command: each running body's open iterations are those a wait belongs to, as
   * after a resume (watchRunningBodies); bodies that ended are forgotten.
   */
  reopen(waits: Iterable<WaitingActivity>): void {
    for (const rootRunId of this.finished) this.bodies.delete(rootRunId);
    this.finished.clear();
    for (const body of this.bodies.values()) body.open.clear();
    for (const wait of waits) if (wait.parentExecutionId !== null) this.noteIteration(wait.ownerExecutionId, wait.parentExecutionId);
  }

  /** A multi-instance activity's run is its body; watched from its start, or when found running after a resume. */
  watch(owner: MultiInstanceOwner & { type?: string; name?: string; eventDefinitions?: Array<{ type: string }> }, rootRunId: string): void {
    if (this.bodies.has(rootRunId)) return;
    this.bodies.set(rootRunId, {
      activityId: owner.id, activityName: owner.name ?? null, activityType: camundaActivityType(owner.type ?? '', (owner.eventDefinitions ?? []).map((d) => d.type)), open: new Set(),
    });
    watchIterations(owner, rootRunId, { started: (iteration) => this.iterationStarted(iteration), ended: (iteration) => this.iterationEnded(iteration) });
  }

  bodyTransition(kind: ActivityTransition['kind'], api: EventApi): ActivityTransition {
    return { ...transitionOf(kind, api), activityId: multiInstanceBodyId(api.id), activityType: 'multiInstanceBody' };
  }

  /** A wait found while resuming that belongs to an iteration: the iteration is open. */
  noteIteration(runId: string, rootRunId: string | null): void {
    if (rootRunId) this.bodies.get(rootRunId)?.open.add(runId);
  }

  private iterationTransition(kind: ActivityTransition['kind'], body: Body, runId: string, rootRunId: string): ActivityTransition {
    return { kind, executionId: runId, activityId: body.activityId, activityName: body.activityName, activityType: body.activityType, parentExecutionId: rootRunId };
  }

  private counter(rootRunId: string, name: string): number {
    const value = this.scopes().localsOf(rootRunId)[name];
    return typeof value === 'number' ? value : 0;
  }

  private iterationStarted(iteration: IterationStart): void {
    const body = this.bodies.get(iteration.rootRunId)!;
    body.open.add(iteration.runId);
    const scopes = this.scopes();
    scopes.setParent(iteration.runId, iteration.rootRunId);
    scopes.setLocal(iteration.rootRunId, 'nrOfInstances', iteration.cardinality);
    scopes.setLocal(iteration.rootRunId, 'nrOfActiveInstances', iteration.isSequential ? 1 : this.counter(iteration.rootRunId, 'nrOfActiveInstances') + 1);
    scopes.setLocal(iteration.rootRunId, 'nrOfCompletedInstances', this.counter(iteration.rootRunId, 'nrOfCompletedInstances'));
    scopes.setLocal(iteration.runId, 'loopCounter', iteration.index);
    if (iteration.elementVariable) scopes.setLocal(iteration.runId, iteration.elementVariable, iteration.element ?? null);
    this.transitions.push(this.iterationTransition('start', body, iteration.runId, iteration.rootRunId));
    this.runs.events.push({ type: 'start', runId: iteration.runId, activityId: body.activityId, kind: this.kinds.get(body.activityId) ?? 'leaf', scopeRunId: iteration.rootRunId, predecessorRunId: null });
  }

  private iterationEnded(iteration: IterationEnd): void {
    const body = this.bodies.get(iteration.rootRunId)!;
    if (!body.open.delete(iteration.runId) && iteration.cancelled) return;
    const scopes = this.scopes();
    if (!iteration.cancelled) scopes.setLocal(iteration.rootRunId, 'nrOfCompletedInstances', this.counter(iteration.rootRunId, 'nrOfCompletedInstances') + 1);
    if (!iteration.isSequential) scopes.setLocal(iteration.rootRunId, 'nrOfActiveInstances', Math.max(0, this.counter(iteration.rootRunId, 'nrOfActiveInstances') - 1));
    this.stopWaiting(iteration.runId);
    this.transitions.push({ ...this.iterationTransition(iteration.cancelled ? 'cancel' : 'end', body, iteration.runId, iteration.rootRunId), completesScope: !iteration.cancelled });
    // Camunda keeps a completed parallel iteration as an inactive execution until its body ends.
    this.runs.events.push({ type: iteration.isSequential || iteration.cancelled ? 'end' : 'park', runId: iteration.runId });
    this.endedScopes.push(iteration.runId);
  }

  /** The body ends: iterations still open are cancelled, and every iteration's token goes with it. */
  ended(api: EventApi, kind: 'end' | 'cancel'): void {
    const body = this.bodies.get(api.executionId);
    if (!body) return;
    this.finished.add(api.executionId);
    for (const runId of body.open) {
      this.stopWaiting(runId);
      this.transitions.push(this.iterationTransition('cancel', body, runId, api.executionId));
      this.endedScopes.push(runId);
    }
    body.open.clear();
    this.runs.events.push({ type: 'endTokens', prefix: `${api.executionId}_`, scopeRunId: api.executionId });
    this.transitions.push(this.bodyTransition(kind, api));
  }
}

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

  /** A new command: its events, and flows taken in it, start empty. */
  reset(): void {
    this.events.length = 0;
    this.lastEnded.clear();
    this.flowSources.clear();
    this.pendingJoinPredecessor = null;
  }

  sourceOf(sequenceId: string | undefined): string | null {
    return (sequenceId && this.flowSources.get(sequenceId)) || null;
  }

  flowTaken(flow: EventApi): void {
    const source = this.lastEnded.get(`${enclosingScopeOf(flow)}/${flow.content.sourceId}`);
    if (source && flow.content.sequenceId) this.flowSources.set(flow.content.sequenceId, source);
  }

  /** `predecessorRunId` overrides the run the inbound flow came from (an event-based gateway still running). */
  started(api: EventApi, asBody = false, predecessorRunId: string | null = null, kindOverride?: ScopeKind): void {
    const continuation = asyncContinuationOf(api.id);
    const activityId = asBody ? multiInstanceBodyId(api.id) : continuation?.activityId ?? api.id;
    const predecessor = predecessorRunId ?? this.pendingJoinPredecessor ?? this.sourceOf(api.content.inbound?.[0]?.sequenceId);
    this.pendingJoinPredecessor = null;
    const kind = kindOverride ?? (asBody ? 'container' : continuation ? 'leaf' : this.kinds.get(activityId) ?? 'leaf');
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
        kind: 'start', executionId: runId, activityId: target, activityName: join.name,
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
      runs.events.push({ type: 'endTokens', prefix: joinArrivalPrefix(api.id), scopeRunId: enclosingScopeOf(api) });
    },
  };
}

interface StartEventLookup {
  getActivities(scopeId: string): Array<{ id: string; type: string; behaviour?: { eventDefinitions?: Array<{ type: string }> } }>;
}

/**
 * Which of the process's start events a start runs: the one named, else the none start events (a REST start), else
 * the only start event there is. An event start event that runs happens at once: its timer fires, its message or
 * signal arrives (a conditional one evaluates its condition on entry). The others are discarded on entry
 * (bpmn-elements would start every one of them).
 */
function startPlan(context: StartEventLookup, processKey: string, startEventId: string | undefined): { runs: Set<string>; firesTimers: string[]; receives: string[] } {
  const starts = context.getActivities(processKey).filter((activity) => activity.type === 'bpmn:StartEvent');
  const has = (type: string) => (start: (typeof starts)[number]) => (start.behaviour?.eventDefinitions ?? []).some((definition) => definition.type === type);
  let runs = starts.filter((start) => start.id === startEventId);
  if (startEventId === undefined) {
    runs = starts.filter((start) => (start.behaviour?.eventDefinitions ?? []).length === 0);
    if (runs.length === 0 && starts.length === 1) runs = starts;
  }
  if (runs.length === 0) throw new ProcessEngineError(startEventId ? `Process '${processKey}' has no start event '${startEventId}'` : `Cannot start process '${processKey}': it has no none start event, only ${starts.length} event start events`);
  const receives = runs.filter((start) => has('bpmn:MessageEventDefinition')(start) || has('bpmn:SignalEventDefinition')(start));
  return { runs: new Set(runs.map((start) => start.id)), firesTimers: runs.filter(has('bpmn:TimerEventDefinition')).map((start) => start.id), receives: receives.map((start) => start.id) };
}

/**
 * Recovers (or starts) the instance, applies the command synchronously and snapshots the result, on an engine that
 * does not outlive the call: any node can run the next command from the stored state.
 */
export function runProcessCommand(cache: DefinitionCache, model: ProcessModel, state: EngineState | null, scope: InstanceScope, command: EngineCommand): Promise<RunResult> {
  return createInstanceRunner(cache, model).run(state, scope, command);
}

/**
 * One instance's engine and what its listeners track. The first command recovers (or starts) the engine; while the
 * runner stays `reusable`, the next command on the instance continues the same engine without recovering and
 * resuming it (live-engines.ts keeps runners between commands, keyed by the state version they wrote).
 */
export interface InstanceRunner {
  /** Runs a command; `state` is read only by the first command of the runner (null starts the instance). */
  run(state: EngineState | null, scope: InstanceScope, command: EngineCommand): Promise<RunResult>;
  /** Whether the engine may serve the instance's next command: its last command succeeded, left it waiting, and the definition allows it. */
  readonly reusable: boolean;
}

/**
 * Whether an engine of this definition may be kept between commands. Event sub-processes, compensation, links and
 * event-based gateways keep state in their trackers that only a recover and resume rebuild as the next command
 * expects; their instances recover each command.
 */
function keepsEngineBetweenCommands(context: object): boolean {
  const known = keepsEngineOfContext.get(context);
  if (known !== undefined) return known;
  const keeps = eventSubProcessesOf(context).byId.size === 0 && compensationHandlersOf(context).size === 0 && linkEventsOf(context).all.size === 0
    && eventGatewaysOf(context).size === 0;
  keepsEngineOfContext.set(context, keeps);
  return keeps;
}
const keepsEngineOfContext = new WeakMap<object, boolean>();

export function createInstanceRunner(cache: DefinitionCache, model: ProcessModel): InstanceRunner {
  /** The command running now; the listeners and hooks, registered once, act in its scope. */
  let scope: InstanceScope;
  const listener = new EventEmitter();
  const waits = new Map<string, WaitingActivity>();
  let resumedWaits = new Map<string, WaitKind>();
  let resuming = false;
  const transitions: ActivityTransition[] = [];
  // Activities started by this engine, or found waiting while resuming: a discard of either is a cancellation.
  const live = new Set<string>();
  const errors: unknown[] = [];
  let ended = false;
  let uncaughtBpmnError: RunResult['uncaughtBpmnError'] = null;
  const kinds = scopeKindsOf(cache.get(model));
  const gateways = eventGatewaysOf(cache.get(model));
  /** The running event-based gateways, by enclosing scope and gateway id: the catch events they armed continue their token. */
  const gatewayRuns = new Map<string, string>();
  let thrownSignals: ThrownSignal[] = [];
  const runs = new RunTracker(kinds);
  const lineage = new RunLineage();
  const joins = parallelJoinTracker(cache.get(model) as unknown as ElementLookup, transitions, runs);
  let starts: ReturnType<typeof startPlan> | null = null;

  // Camunda hooks (mappings, listeners) throw inside bpmn-elements' broker; the command fails after the run.
  const hook = (run: () => void) => {
    try {
      run();
    } catch (error) {
      errors.push(error);
    }
  };

  /** The run each activity started last in this command: the event sub-process or the handlers a throw just started. */
  const lastStarted = new Map<string, string>();
  const compensations = new CompensationRuns(compensationHandlersOf(cache.get(model)), lastStarted);
  const handlerIds = compensations.handlerIds;
  const links = linkEventsOf(cache.get(model));
  const linkCatches = links.catches;
  const eventSubProcesses = new EventSubProcessRuns(eventSubProcessesOf(cache.get(model)), (activityId) => handlerIds.has(activityId), (activityId) => linkCatches.has(activityId));
  /**
   * The start event of an event sub-process waits on its scope's execution; its run (and the event sub-process's) is
   * armed only. A timer announces itself from its event definition, one level further down.
   */
  function armEventSubProcessStart(api: EventApi, wait: WaitingActivity, isTimer: boolean): void {
    const lineage = [api.content.parent, ...(api.content.parent?.path ?? [])];
    const eventSubProcessRun = lineage[isTimer ? 1 : 0];
    const enclosing = lineage[isTimer ? 2 : 1];
    if (eventSubProcessRun?.executionId) eventSubProcesses.arming(eventSubProcessRun.id ?? '', eventSubProcessRun.executionId);
    wait.scopeRunId = scopeRunOf(enclosing);
    wait.parentExecutionId = enclosing?.executionId ?? null;
    wait.waitsOnScope = true;
  }

  /**
   * The start event of an armed event sub-process happened: both become activity instances, the event sub-process in
   * its scope. Returns whether it did.
   */
  function fireEventSubProcess(api: EventApi, timerRepeat: number | undefined): boolean {
    const eventSubProcess = eventSubProcesses.ofStartEvent(api.id);
    const parent = api.content.parent;
    if (!eventSubProcess || !parent?.executionId) return false;
    const enclosing = parent.path?.[0];
    const scopeRunId = scopeRunOf(enclosing);
    if (!eventSubProcesses.fire(parent.executionId, scopeRunId, eventSubProcess, timerRepeat)) return false;
    const subProcessApi: EventApi = {
      id: eventSubProcess.id, type: 'bpmn:SubProcess', name: eventSubProcess.name ?? undefined, executionId: parent.executionId,
      content: { parent: enclosing }, owner: { type: 'bpmn:SubProcess', behaviour: { triggeredByEvent: true } },
    };
    runs.started(subProcessApi);
    transitions.push(transitionOf('start', subProcessApi));
    hook(() => onActivityStart(scope, hookTarget(subProcessApi)));
    runs.started(api, false, null, 'leaf');
    transitions.push(transitionOf('start', api));
    hook(() => onActivityStart(scope, hookTarget(api)));
    return true;
  }

  // A boundary event is armed when its activity starts, but Camunda's history only shows it once it fires.
  listener.on('activity.start', (api: EventApi) => {
    // A start event the command did not choose leaves at once (start-event.ts): no activity instance of its own.
    if (starts && isProcessStartEvent(api) && !starts.runs.has(api.id)) return;
    live.add(api.executionId);
    lineage.note(api);
    scope.variables.setParent(api.executionId, enclosingScopeOf(api));
    // An event sub-process only runs armed (event-sub-processes.ts) until its start event happens.
    eventSubProcesses.arming(api.id, api.executionId);
    if (isArmedOnly(api)) return;
    if ((api.owner.type ?? api.type) === 'bpmn:EventBasedGateway') gatewayRuns.set(`${enclosingScopeOf(api)}/${api.id}`, api.executionId);
    joins.started(api);
    if (isMultiInstanceRoot(api)) {
      runs.started(api, true);
      transitions.push(bodies.bodyTransition('start', api));
      bodies.watch(api.owner as unknown as MultiInstanceOwner, api.executionId);
      return;
    }
    runs.started(api);
    if (isAsyncContinuationId(api.id)) return;
    transitions.push(transitionOf('start', api));
    hook(() => onActivityStart(scope, hookTarget(api)));
  });
  for (const event of ANNOUNCING_EVENTS) {
    listener.on(event, (api: EventApi) => {
      live.add(api.executionId);
      const wait = announcedWait(event, api, gateways);
      if (!wait) return;
      if (eventSubProcesses.ofStartEvent(wait.activityId)) armEventSubProcessStart(api, wait, event === 'activity.timer');
      waits.set(wait.executionId, wait);
      if (resuming) resumedWaits.set(wait.executionId, wait.kind);
      // A boundary event found armed while resuming only announces its timer; it ends with a leave of its own.
      live.add(wait.ownerExecutionId);
    });
  }
  /** An activity that ends, fails or is discarded stops waiting, and so do its timers. */
  const stopWaiting = (executionId: string) => {
    for (const wait of waits.values()) if (wait.executionId === executionId || lineage.isWithin(wait.ownerExecutionId, executionId)) waits.delete(wait.executionId);
  };
  /** The fires left of each timer cycle that fired in this command, by its activity's execution. */
  const firedCycles = new Map<string, number | undefined>();
  listener.on('activity.timeout', (api: EventApi) => {
    const wait = waits.get(api.executionId);
    if (wait?.timer) firedCycles.set(wait.ownerExecutionId, wait.timer.repeat);
    waits.delete(api.executionId);
  });
  // Executions that ended, failed or were discarded; one that leaves without any of these was interrupted.
  const settled = new Set<string>();
  const bodies = new MultiInstanceBodies(() => scope.variables, transitions, runs, kinds, stopWaiting);
  listener.on('activity.end', (api: EventApi) => {
    const firesEventSubProcess = isArmedOnly(api) && fireEventSubProcess(api, firedCycles.get(api.executionId));
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    if (bodies.isBody(api.executionId)) {
      bodies.ended(api, 'end');
      runs.ended(api);
      return;
    }
    const gateway = gateways.get(api.id);
    // A link catch event is entered when its link is thrown: only then an activity instance.
    if (linkCatches.has(api.id)) {
      runs.started(api, false, null, 'leaf');
      hook(() => onActivityStart(scope, hookTarget(api)));
    }
    if (gateway) {
      // The catch event an event-based gateway armed happened: only now is it an activity instance, which runs where
      // the gateway's token continues.
      runs.started(api, false, gatewayRuns.get(`${enclosingScopeOf(api)}/${gateway}`) ?? null, 'leaf');
      hook(() => onActivityStart(scope, hookTarget(api)));
    }
    // A non-interrupting boundary event's token runs beside its activity's: a concurrent execution of its own, which
    // the activities after it take over.
    const besideItsActivity = isBoundaryEvent(api) && (api.owner.behaviour as { cancelActivity?: boolean } | undefined)?.cancelActivity === false;
    if (besideItsActivity) runs.started(api, false, null, 'leaf');
    if (!isBoundaryEvent(api) || besideItsActivity) runs.ended(api);
    if (isAsyncContinuationId(api.id)) return;
    if (isArmedOnly(api) && !firesEventSubProcess) transitions.push(transitionOf('start', api));
    hook(() => onActivityEnd(scope, hookTarget(api)));
    // Camunda cancels an event-based gateway's activity instance when one of its events happens.
    const ending = transitionOf((api.owner.type ?? api.type) === 'bpmn:EventBasedGateway' ? 'cancel' : 'end', api);
    // An event sub-process's end completes its scope in Camunda's history.
    transitions.push(eventSubProcesses.isEventSubProcess(api.id) ? { ...ending, completesScope: true } : ending);
    if (ending.kind === 'end') compensations.completedActivity(api.id, api.executionId, enclosingScopeOf(api));
    joins.ended(api);
  });
  listener.on('flow.take', (api: EventApi) => {
    runs.flowTaken(api);
    hook(() => onFlowTaken(scope, { ...hookTarget(api), executionId: null }));
    joins.arrived(api);
  });
  /** A run that ends without completing; `inHistory` says whether it is an activity instance history shows cancelled. */
  const endedByUncaughtError = new Set<string>();
  const cancelled = (api: EventApi, inHistory: boolean) => {
    settled.add(api.executionId);
    stopWaiting(api.executionId);
    if (bodies.isBody(api.executionId)) bodies.ended(api, 'cancel');
    else if (inHistory && !endedByUncaughtError.has(api.executionId)) transitions.push(transitionOf('cancel', api));
    runs.endedRun(api.executionId);
    // A sub-process recovered from the state is discarded without events for what runs inside it.
    for (const inner of lineage.runsWithin(api.executionId)) {
      if (!settled.has(inner.executionId)) cancelled(inner, live.has(inner.executionId) && !isArmedOnly(inner) && !isAsyncContinuationId(inner.id));
    }
  };
  // An activity interrupted by a caught error ends cancelled, as in Camunda; an uncaught one fails the command.
  listener.on('activity.error', (api: EventApi) => cancelled(api, live.has(api.executionId) && !isAsyncContinuationId(api.id)));
  // A discard of an activity that never started (a flow not taken), or of an armed event that did not happen, is no history.
  listener.on('activity.discard', (api: EventApi) => cancelled(api, live.has(api.executionId) && !isArmedOnly(api) && !isAsyncContinuationId(api.id)));
  // An interrupting boundary event (a timer) makes its activity leave with neither end nor discard: it was cancelled.
  listener.on('activity.leave', (api: EventApi) => {
    if (settled.has(api.executionId) || !live.has(api.executionId)) return;
    cancelled(api, !isArmedOnly(api) && !isAsyncContinuationId(api.id));
  });
  // An error boundary event that caught an error sets its code and message variables in its scope (the enclosing one of
  // its activity), whether an error end event threw it or a worker or user reported it.
  listener.on('activity.catch', (api: EventApi) => {
    const error = (api.content.error ?? api.content.message) as { code?: string; message?: string } | undefined;
    if (api.type !== 'bpmn:ErrorEventDefinition' || !isBoundaryEvent(api) || error?.code === undefined) return;
    const definition = ((api.owner.behaviour as BoundaryBehaviour | undefined)?.eventDefinitions ?? []).find((each) => each.type === 'bpmn:ErrorEventDefinition')?.behaviour;
    setCatchVariables(scope, scope.variables.parentOf(api.executionId), definition?.errorCodeVariable, definition?.errorMessageVariable, error.code, error.message && error.message !== error.code ? error.message : null);
  });
  let uncaughtErrorEnd: RunResult['uncaughtErrorEnd'] = null;
  let uncaughtEscalation: RunResult['uncaughtEscalation'] = null;
  listener.on('activity.signal', (api: EventApi) => {
    const signal = api.content.message as { name?: string } | undefined;
    if (api.content.state === 'throw' && signal?.name) thrownSignals.push({ name: signal.name, activityId: api.id });
  });
  listener.on('process.end', () => {
    ended = true;
  });

  /**
   * Boundary events, the catch events of an event-based gateway or a link, and armed event sub-processes: activity
   * instances only once they happen.
   */
  function isArmedOnly(api: EventApi): boolean {
    return isBoundaryEvent(api) || gateways.has(api.id) || linkCatches.has(api.id) || eventSubProcesses.isArmed(api.id, api.executionId, api.content.parent?.executionId ?? null);
  }

  const catchers = eventCatchersOf(cache.get(model));
  /** Throws recorded by throw and end events (thrown-events.ts, compensation.ts), handled once the engine is idle. */
  const pendingThrows: PendingThrow[] = [];
  const pendingCompensations: PendingCompensation[] = [];
  listener.on('activity.start', (api: EventApi) => lastStarted.set(api.id, api.executionId));

  /**
   * Finds the innermost catcher of a throw among `levels` and triggers it; returns it, or null when nothing caught
   * the throw. A boundary event catches through its activity (an error) or directly (an escalation); an event
   * sub-process starts in its scope, and settling interrupts the scope when it is interrupting.
   */
  function catchThrown(kind: ThrownKind, code: string | null, message: string | null, levels: Array<{ level: CatchLevel; runId: string | null }>): EventCatcher | null {
    const execution = engine!.execution!;
    const postponed = execution.getPostponed() as unknown as PostponedApi[];
    for (const { level, runId } of levels) {
      const catcher = findCatcher(catchers, kind, code ?? '', [level]);
      if (!catcher) continue;
      if (catcher.eventSubProcessId) {
        if (!eventSubProcesses.start(execution, runId, catcher.eventSubProcessId)) continue;
        const started = lastStarted.get(catcher.eventSubProcessId) ?? null;
        setCatchVariables(scope, started, catcher.codeVariable, catcher.messageVariable, code ?? '', message);
        return catcher;
      }
      const host = postponedOf(postponed, catcher.attachedTo ?? '').find((api) => api.executionId === runId);
      if (!host) continue;
      const hostParent = (host as unknown as EventApi).content?.parent?.executionId;
      const boundary = postponedOf(postponed, catcher.activityId).find((api) => (api as unknown as EventApi).content?.parent?.executionId === hostParent);
      if (!boundary) continue;
      // The boundary event's own reference, so that its event definition takes it; it sets an error's variables.
      if (kind === 'escalation') setCatchVariables(scope, scope.variables.parentOf(boundary.executionId), catcher.codeVariable, null, code ?? '', null);
      boundary.sendApiMessage(kind === 'error' ? 'throw' : 'escalate', { message: { id: catcher.referenceId ?? undefined, code, message: message ?? undefined } });
      return catcher;
    }
    return null;
  }

  /** A throw event's throw: caught, or uncaught (an error end event then ends like a none end event). */
  function catchPendingThrow(pending: PendingThrow): void {
    const code = thrownCodeOf(cache.get(model), pending.kind, pending.referenceId);
    const caught = catchThrown(pending.kind, code, null, catchLevelsOf(lineage.scopesOf(pending.runId, model.processKey)));
    if (!caught && pending.kind === 'error') uncaughtErrorEnd ??= { activityId: pending.activityId, errorCode: code ?? '', errorMessage: null };
    if (!caught || !caught.isInterrupting) pending.complete();
  }

  /** A compensation throw compensates its scope; one in an event sub-process, the scope the event sub-process belongs to. */
  function compensate(pending: PendingCompensation): void {
    const enclosing = lineage.scopesOf(pending.runId, model.processKey).find((entry) => !eventSubProcesses.isEventSubProcess(entry.id ?? ''));
    compensations.compensate(engine!.execution, enclosing?.type === 'bpmn:Process' ? null : enclosing?.executionId ?? null, pending);
  }

  /**
   * After a command: completed activities are recorded for compensation, event sub-processes settle, and recorded
   * throws are caught and compensations run, until nothing changes.
   */
  function settle(): void {
    for (let round = 0; round < 10_000; round++) {
      compensations.record(engine!.execution);
      eventSubProcesses.settle(engine!.execution);
      const pending = pendingThrows.shift();
      if (pending) {
        catchPendingThrow(pending);
        continue;
      }
      const compensation = pendingCompensations.shift();
      if (!compensation) return;
      compensate(compensation);
    }
  }

  /** The completed activities each running scope can compensate, as waits (event subscriptions) on the scope's execution. */
  function compensationWaits(): WaitingActivity[] {
    return compensations.compensable(engine!.execution).map(({ handlerId, runId, scopeRunId }) => ({
      kind: 'compensate', executionId: `${runId}#compensation`, ownerExecutionId: runId, activityId: handlerId, activityName: null,
      bpmnType: 'bpmn:Activity', parentExecutionId: scopeRunId, scopeRunId, behaviour: {}, hostActivityId: null, waitsOnScope: true,
      subscription: { eventType: 'compensate', eventName: null },
    }));
  }

  let engine: Engine | undefined;
  /** Set while a command runs; a command that failed leaves its engine half-way, so the runner is not reused. */
  let failed = false;
  const keepsEngine = keepsEngineBetweenCommands(cache.get(model));

  function createEngine(): Engine {
    const created = new Engine({
      name: scope.processInstanceId,
      services: { [THROWS_SERVICE]: pendingThrows, [COMPENSATIONS_SERVICE]: pendingCompensations },
      sourceContext: cache.get(model),
      expressions: createEngineExpressions(() => scope),
      scripts: createEngineScripts(() => scope),
      timers: noopTimers(),
      Logger: SilentLogger,
      settings: { strict: false, batchSize: 10000, ...(starts ? { [START_EVENT_IDS_SETTING]: [...starts.runs] } : {}) },
      listener,
    } as never);
    created.on('error', (error: unknown) => errors.push(error));
    return created;
  }

  /** A command starts with nothing recorded; what the engine runs (waits, runs, bodies) carries over. */
  function beginCommand(commandScope: InstanceScope, command: EngineCommand): void {
    scope = commandScope;
    resumedWaits = new Map();
    transitions.length = 0;
    errors.length = 0;
    ended = false;
    uncaughtBpmnError = null;
    uncaughtErrorEnd = null;
    uncaughtEscalation = null;
    thrownSignals = [];
    runs.reset();
    bodies.reset();
    lastStarted.clear();
    firedCycles.clear();
    settled.clear();
    endedByUncaughtError.clear();
    pendingThrows.length = 0;
    pendingCompensations.length = 0;
    starts = command.kind === 'start' ? startPlan(cache.get(model) as unknown as StartEventLookup, model.processKey, command.startEventId) : null;
  }

  /** Recovers the engine from the stored state and resumes it: what waits announces itself again. */
  async function recoverAndResume(running: Engine, state: EngineState, command: EngineCommand): Promise<void> {
    running.recover(withVariables(state, scope.variables.process) as never);
    resuming = true;
    await running.resume({ listener } as never);
    resuming = false;
    const execution = running.execution;
    if (!execution && command.kind !== 'resume') throw new ProcessEngineError(`Process instance ${scope.processInstanceId} has nothing to resume`);
    if (!execution) return;
    for (const wait of compensationWaits()) {
      waits.set(wait.executionId, wait);
      resumedWaits.set(wait.executionId, wait.kind);
    }
    watchRunningBodies(execution.getPostponed() as unknown as PostponedApi[], bodies, waits, gatewayRuns);
    for (const api of lineage.noteRunning(execution.getPostponed() as unknown as PostponedApi[])) live.add(api.executionId);
  }

  /** The engine kept from the previous command waits where that command left it, as a resume would announce. */
  function continueRunning(): void {
    for (const wait of waits.values()) resumedWaits.set(wait.executionId, wait.kind);
    bodies.reopen(waits.values());
  }

  function applyCommand(execution: NonNullable<Engine['execution']>, command: EngineCommand): void {
    if (command.kind === 'signal') {
      signalExecution(execution, command.activityId, command.executionId);
    } else if (command.kind === 'fireTimer') {
      if (!waits.has(command.executionId)) throw new ProcessEngineError(`Timer '${command.activityId}' (${command.executionId}) of process instance ${scope.processInstanceId} is not waiting`);
      execution.cancelActivity({ id: command.activityId, executionId: command.executionId } as never);
    } else if (command.kind === 'bpmnError' || command.kind === 'bpmnEscalation') {
      const target = postponedOf(execution.getPostponed() as unknown as PostponedApi[], command.activityId).find((api) => api.executionId === command.executionId);
      if (!target) throw new ProcessEngineError(`Activity '${command.activityId}' (${command.executionId}) is not waiting`);
      const levels = [{ level: { attachedTo: command.activityId }, runId: command.executionId }, ...catchLevelsOf(lineage.scopesOf(command.executionId, model.processKey))];
      if (command.kind === 'bpmnEscalation') {
        if (!catchThrown('escalation', command.escalationCode, null, levels)) uncaughtEscalation = { activityId: command.activityId, escalationCode: command.escalationCode };
      } else if (!catchThrown('error', command.errorCode, command.errorMessage, levels)) {
        uncaughtBpmnError = { activityId: command.activityId, errorCode: command.errorCode, errorMessage: command.errorMessage };
        const wait = waits.get(command.executionId);
        // An uncaught error ends the activity as Camunda's none end would: completed, not cancelled.
        if (command.endIfUncaught && wait) {
          endedByUncaughtError.add(command.executionId);
          target.discard();
          waits.delete(command.executionId);
          runs.endedRun(wait.ownerExecutionId);
          transitions.push({ kind: 'end', executionId: wait.executionId, activityId: wait.activityId, activityName: wait.activityName, activityType: camundaActivityType(wait.bpmnType), parentExecutionId: wait.parentExecutionId, completesScope: true });
        }
      }
    }
  }

  async function run(state: EngineState | null, commandScope: InstanceScope, command: EngineCommand): Promise<RunResult> {
    if (failed) throw new Error('an instance runner whose command failed cannot run another');
    failed = true;
    beginCommand(commandScope, command);
    try {
      if (engine) {
        continueRunning();
        if (command.kind !== 'resume') applyCommand(engine.execution!, command);
      } else {
        engine = createEngine();
        if (state === null) {
          await engine.execute({ listener, variables: scope.variables.process } as never);
          for (const id of starts?.firesTimers ?? []) engine.execution!.cancelActivity({ id } as never);
          for (const id of starts?.receives ?? []) {
            for (const api of postponedOf(engine.execution!.getPostponed() as unknown as PostponedApi[], id)) api.signal?.();
          }
        } else {
          await recoverAndResume(engine, state, command);
          if (engine.execution && command.kind !== 'resume') applyCommand(engine.execution, command);
        }
      }
      settle();
      for (const wait of waits.values()) if (wait.kind === 'compensate') waits.delete(wait.executionId);
      for (const wait of compensationWaits()) waits.set(wait.executionId, wait);
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

    const running = engine!;
    for (const iteration of bodies.endedScopes) scope.variables.end(iteration);
    if (!ended && running.state !== 'running') ended = running.state === 'idle' && waits.size === 0;
    const snapshot = ended ? null : slimState((await running.getState()) as unknown as EngineState);
    // What ended in this command never runs again: the trackers forget it.
    lineage.forget(settled);
    for (const executionId of settled) live.delete(executionId);
    failed = false;
    // Camunda jumps from a link throw event to its catch event and records neither.
    const recorded = links.all.size === 0 ? [...transitions] : transitions.filter((transition) => !links.all.has(transition.activityId));
    return { state: snapshot, ended, waits: [...waits.values()], transitions: recorded, runEvents: [...runs.events], resumedWaits, uncaughtBpmnError, thrownSignals, uncaughtErrorEnd, uncaughtEscalation, detachedActivityIds: handlerIds };
  }

  return {
    run,
    get reusable() {
      return keepsEngine && engine !== undefined && !failed && !ended;
    },
  };
}

/** Which run each run of the instance runs inside: its sub-process's (or multi-instance body's), null for the process. */
class RunLineage {
  private readonly parents = new Map<string, string | null>();
  private readonly apis = new Map<string, EventApi>();

  note(api: EventApi): void {
    this.parents.set(api.executionId, api.content.parent?.executionId ?? null);
    this.apis.set(api.executionId, api);
  }

  /** Notes every run found running after a resume, also inside sub-processes, and returns them. */
  noteRunning(postponed: PostponedApi[], found: EventApi[] = []): EventApi[] {
    for (const api of postponed) {
      if (this.apis.has(api.executionId)) continue;
      const running = api as unknown as EventApi;
      this.note(running);
      found.push(running);
      this.noteRunning((api.getPostponed?.() ?? []).filter((child) => child.executionId !== api.executionId), found);
    }
    return found;
  }

  /** Runs that ended: they never run again. */
  forget(runIds: Iterable<string>): void {
    for (const runId of runIds) {
      this.parents.delete(runId);
      this.apis.delete(runId);
    }
  }

  /** Whether `runId` runs inside `ancestorId` (or is it). */
  isWithin(runId: string, ancestorId: string): boolean {
    for (let current: string | null | undefined = runId; current; current = this.parents.get(current)) if (current === ancestorId) return true;
    return false;
  }

  /** The scopes `runId` runs inside, innermost first, ending with the process. */
  scopesOf(runId: string, processKey: string): ParentEntry[] {
    const scopes: ParentEntry[] = [];
    for (let current = this.parents.get(runId); current && this.apis.has(current); current = this.parents.get(current)) {
      const api = this.apis.get(current)!;
      scopes.push({ id: api.id, type: api.owner?.type ?? api.type, executionId: api.executionId });
    }
    return [...scopes, { id: processKey, type: 'bpmn:Process' }];
  }

  /** The runs directly or indirectly inside `ancestorId`. */
  runsWithin(ancestorId: string): EventApi[] {
    return [...this.apis.values()].filter((api) => api.executionId !== ancestorId && this.isWithin(api.executionId, ancestorId));
  }
}

/** The waiting activities of an id, also inside sub-processes (and their multi-instance iterations). */
function postponedOf(postponed: PostponedApi[], activityId: string, found: PostponedApi[] = [], seen = new Set<string>()): PostponedApi[] {
  for (const api of postponed) {
    if (seen.has(api.executionId)) continue;
    seen.add(api.executionId);
    if (api.id === activityId) found.push(api);
    postponedOf((api.getPostponed?.() ?? []).filter((child) => child.executionId !== api.executionId), activityId, found, seen);
  }
  return found;
}

/** Events and receive tasks wait in their event definitions, which only their own api's signal reaches. */
function isEventWait(api: PostponedApi | undefined): boolean {
  const type = api?.owner.type ?? '';
  return type.endsWith('Event') || type === 'bpmn:ReceiveTask';
}

/**
 * Signals one waiting activity. bpmn-elements delivers `signal({ id, executionId })` to every activity of that id, so
 * where several wait (the same task in each iteration of a multi-instance sub-process) the one is signalled through
 * its own api, and so is an event. Iterations of a multi-instance task are no postponed activities; the engine routes
 * those by execution id.
 */
function signalExecution(execution: { getPostponed(): unknown[]; signal(message: unknown): void }, activityId: string, executionId: string): void {
  const waiting = postponedOf(execution.getPostponed() as PostponedApi[], activityId);
  const target = waiting.length > 1 || isEventWait(waiting[0]) ? waiting.find((api) => api.executionId === executionId) : undefined;
  if (target?.signal) target.signal({ id: activityId, executionId });
  else execution.signal({ id: activityId, executionId });
}

/**
 * After a resume: the multi-instance bodies still running, also inside sub-processes, are watched for iterations;
 * the iterations found waiting are open. Running event-based gateways are noted by scope.
 */
function watchRunningBodies(postponed: PostponedApi[], bodies: MultiInstanceBodies, waits: Map<string, WaitingActivity>, gatewayRuns: Map<string, string>, seen = new Set<string>()): void {
  for (const api of postponed) {
    if (seen.has(api.executionId)) continue;
    seen.add(api.executionId);
    if (api.owner.type === 'bpmn:EventBasedGateway') gatewayRuns.set(`${enclosingScopeOf(api as unknown as EventApi)}/${api.id}`, api.executionId);
    const owner = api.owner as unknown as MultiInstanceOwner & { isMultiInstance?: boolean };
    if (owner.isMultiInstance) {
      bodies.watch(owner, api.executionId);
      for (const wait of waits.values()) if (wait.parentExecutionId === api.executionId) bodies.noteIteration(wait.ownerExecutionId, api.executionId);
    }
    const nested = api.getPostponed?.() ?? [];
    watchRunningBodies(nested.filter((child) => child.executionId !== api.executionId), bodies, waits, gatewayRuns, seen);
  }
}

/**
 * Where a throw from inside the runs of `lineage` (innermost first) may be caught: for each scope, its event
 * sub-processes, then the boundary events on it (a sub-process; the process has none).
 */
function catchLevelsOf(lineage: ParentEntry[]): Array<{ level: CatchLevel; runId: string | null }> {
  return lineage.flatMap((entry) => {
    const isProcess = entry.type === 'bpmn:Process';
    const runId = isProcess ? null : entry.executionId ?? null;
    const levels: Array<{ level: CatchLevel; runId: string | null }> = [{ level: { scopeId: entry.id ?? '' }, runId }];
    if (!isProcess) levels.push({ level: { attachedTo: entry.id ?? '' }, runId });
    return levels;
  });
}

/** `camunda:errorCodeVariable`/`escalationCodeVariable` and `errorMessageVariable` of a catcher, set in `enclosing`. */
function setCatchVariables(scope: InstanceScope, enclosing: string | null, codeVariable: string | null | undefined, messageVariable: string | null | undefined, code: string, message: string | null): void {
  if (codeVariable) scope.variables.set(enclosing, codeVariable, code);
  if (messageVariable) scope.variables.set(enclosing, messageVariable, message);
}
