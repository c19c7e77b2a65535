/**
 * Event sub-processes as Camunda runs them. bpmn-elements starts one only for an event thrown inside its own process
 * and never interrupts; here each is armed (run up to its start event's wait) while its scope runs, so its message,
 * signal, timer or condition is an ordinary wait. After each command the scopes settle: a fired interrupting event
 * sub-process cancels the rest of its scope, a non-interrupting one is armed again once its run completed, and armed
 * ones are discarded when nothing else keeps their scope running.
 */

import { runningScope, runningScopes, type ScopeExecution } from './running-scopes.js';

/** What starts an event sub-process; error and escalation ones are started by the runner where they are thrown. */
export type EventSubProcessTrigger = 'message' | 'signal' | 'timer' | 'conditional' | 'error' | 'escalation' | 'none';

export interface EventSubProcess {
  id: string;
  name: string | null;
  /** The process or sub-process it is an event sub-process of. */
  scopeId: string;
  startEventId: string;
  isInterrupting: boolean;
  trigger: EventSubProcessTrigger;
}

const TRIGGERS: Record<string, EventSubProcessTrigger> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
};

/** Triggers that wait for the outside world, and so are armed while their scope runs. */
const ARMED_TRIGGERS = new Set<EventSubProcessTrigger>(['message', 'signal', 'timer', 'conditional']);

interface ElementView {
  id: string;
  type: string;
  name?: string;
  parent?: { id?: string };
  behaviour?: { triggeredByEvent?: boolean; isInterrupting?: boolean; eventDefinitions?: Array<{ type: string }> };
}

interface ContextView {
  getActivities(scopeId?: string): ElementView[];
}

export interface EventSubProcessModel {
  /** The event sub-processes by id. */
  byId: Map<string, EventSubProcess>;
  /** The event sub-process each start event starts, by start event id. */
  byStartEvent: Map<string, EventSubProcess>;
}

const modelsOfContext = new WeakMap<object, EventSubProcessModel>();

/** The event sub-processes of a deserialized definition (each with the one start event Camunda requires). */
export function eventSubProcessesOf(context: object): EventSubProcessModel {
  const cached = modelsOfContext.get(context);
  if (cached) return cached;
  const activities = (context as ContextView).getActivities();
  const model: EventSubProcessModel = { byId: new Map(), byStartEvent: new Map() };
  for (const activity of activities) {
    if (activity.type !== 'bpmn:SubProcess' || !activity.behaviour?.triggeredByEvent) continue;
    const start = activities.find((candidate) => candidate.type === 'bpmn:StartEvent' && candidate.parent?.id === activity.id);
    if (!start) continue;
    const definition = start.behaviour?.eventDefinitions?.[0]?.type;
    const eventSubProcess: EventSubProcess = {
      id: activity.id,
      name: activity.name ?? null,
      scopeId: activity.parent?.id ?? '',
      startEventId: start.id,
      isInterrupting: start.behaviour?.isInterrupting !== false,
      trigger: (definition && TRIGGERS[definition]) || 'none',
    };
    model.byId.set(activity.id, eventSubProcess);
    model.byStartEvent.set(start.id, eventSubProcess);
  }
  modelsOfContext.set(context, model);
  return model;
}

/** The setting, in a scope's environment, of the fires left to a non-interrupting timer cycle's next arming. */
export const TIMER_CYCLE_REPEATS_SETTING = 'eventSubProcessTimerRepeats';

/** The event sub-process runs of one command: which are only armed, and which scopes settle. */
export class EventSubProcessRuns {
  private readonly armed = new Set<string>();
  /** Scopes an interrupting event sub-process fired in during this command (its run may have completed already). */
  private readonly interrupted = new Set<string | null>();
  /** Timer cycles that fired: the fires left for the next arming of their event sub-process in that scope. */
  private readonly cycleRepeats: Array<{ scopeRunId: string | null; eventSubProcessId: string; repeat: number }> = [];

  /**
   * `keepsRunning`: activities an interrupting event sub-process leaves running (compensation handlers it started);
   * `isArmedActivity`: other activities that only wait to be entered (link catch events), discarded like armed
   * event sub-processes when nothing else keeps their scope running.
   */
  constructor(
    private readonly model: EventSubProcessModel,
    private readonly keepsRunning: (activityId: string) => boolean = () => false,
    private readonly isArmedActivity: (activityId: string) => boolean = () => false,
  ) {}

  get isEmpty(): boolean {
    return this.model.byId.size === 0;
  }

  isEventSubProcess(activityId: string): boolean {
    return this.model.byId.has(activityId);
  }

  /** The event sub-process `startEventId` starts, if it is the start event of one. */
  ofStartEvent(startEventId: string): EventSubProcess | undefined {
    return this.model.byStartEvent.get(startEventId);
  }

  /**
   * An event sub-process run that started or was found waiting at its start event: no activity instance yet. One
   * started by an error or escalation is no arming: it started because it caught one.
   */
  arming(activityId: string, runId: string): void {
    const eventSubProcess = this.model.byId.get(activityId);
    if (eventSubProcess && ARMED_TRIGGERS.has(eventSubProcess.trigger)) this.armed.add(runId);
  }

  /** Starts an event sub-process in the scope run `scopeRunId` (null: the process); false when it cannot start. */
  start(execution: unknown, scopeRunId: string | null, eventSubProcessId: string): boolean {
    const activity = runningScope(execution, scopeRunId)?.getActivityById(eventSubProcessId);
    if (!activity || activity.isRunning) return false;
    activity.run();
    return true;
  }

  /** Whether this run (of an event sub-process, or of its start event inside `parentRunId`) is only armed. */
  isArmed(activityId: string, runId: string, parentRunId: string | null): boolean {
    if (this.model.byId.has(activityId)) return this.armed.has(runId);
    return this.model.byStartEvent.has(activityId) && parentRunId !== null && this.armed.has(parentRunId);
  }

  /**
   * The start event of an armed run happened. A timer cycle leaves `repeat - 1` fires to the next arming (-1: forever).
   */
  fire(runId: string, scopeRunId: string | null, eventSubProcess: EventSubProcess, timerRepeat?: number): boolean {
    if (!this.armed.delete(runId)) return false;
    if (eventSubProcess.isInterrupting) this.interrupted.add(scopeRunId);
    if (!eventSubProcess.isInterrupting && timerRepeat !== undefined) {
      this.cycleRepeats.push({ scopeRunId, eventSubProcessId: eventSubProcess.id, repeat: timerRepeat < 0 ? -1 : timerRepeat - 1 });
    }
    return true;
  }

  /** Settles every running scope until nothing changes: interrupts, arms and disarms (see the header). */
  settle(execution: unknown): void {
    if (this.isEmpty) return;
    for (let round = 0; round < 100; round++) {
      let changed = false;
      for (const { scope, runId } of runningScopes(execution)) changed = this.settleScope(scope, runId) || changed;
      if (!changed) return;
    }
  }

  private settleScope(scope: ScopeExecution, scopeRunId: string | null): boolean {
    const postponed = scope.getPostponed();
    if (postponed.length === 0) return false;
    this.keepCycleRepeats(scope, scopeRunId);
    const running = postponed.filter((api) => this.model.byId.has(api.id));
    const armed = postponed.filter((api) => this.armed.has(api.executionId) || this.isArmedActivity(api.id));
    const interrupting = running.find((api) => !this.armed.has(api.executionId) && this.model.byId.get(api.id)!.isInterrupting);
    if (interrupting || this.interrupted.has(scopeRunId)) {
      const rest = postponed.filter((api) => api !== interrupting && !this.keepsRunning(api.id));
      for (const api of rest) api.discard();
      return rest.length > 0;
    }
    if (armed.length === postponed.length) {
      for (const api of armed) api.discard();
      return true;
    }
    let changed = false;
    for (const eventSubProcess of this.model.byId.values()) {
      if (eventSubProcess.scopeId !== scope.id || !ARMED_TRIGGERS.has(eventSubProcess.trigger) || running.some((api) => api.id === eventSubProcess.id)) continue;
      const activity = scope.getActivityById(eventSubProcess.id);
      if (!activity || activity.isRunning) continue;
      const repeats = scope.environment.settings[TIMER_CYCLE_REPEATS_SETTING] as Record<string, number> | undefined;
      if (repeats?.[eventSubProcess.id] === 0) continue;
      activity.run();
      changed = true;
    }
    return changed;
  }

  /** Stores the fires a timer cycle has left in its scope's environment, which the next arming's timer reads. */
  private keepCycleRepeats(scope: ScopeExecution, scopeRunId: string | null): void {
    for (const pending of this.cycleRepeats.filter((each) => each.scopeRunId === scopeRunId)) {
      const settings = scope.environment.settings;
      settings[TIMER_CYCLE_REPEATS_SETTING] = { ...(settings[TIMER_CYCLE_REPEATS_SETTING] as object | undefined), [pending.eventSubProcessId]: pending.repeat };
      this.cycleRepeats.splice(this.cycleRepeats.indexOf(pending), 1);
    }
  }
}
