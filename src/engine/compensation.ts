/**
 * Compensation as Camunda runs it. bpmn-elements compensates in the XML order of the boundary events, compensates
 * failed activities too, ignores `waitForCompletion` and, with two compensation boundary events in a scope, never
 * completes (notes/bpmn-engine-spike-2.md §1). So the compensation boundary events leave the model the engine runs
 * (their handlers stay, started by the runner), each completed activity that has one is recorded in its scope, and a
 * compensation throw starts the handlers of its scope's recorded activities, newest first (process-runner.ts).
 */
import * as Elements from 'bpmn-elements';
import { runningScope, runningScopes } from './running-scopes.js';

/** An activity's compensation: the boundary event on it and the handler (`isForCompensation`) it is associated with. */
export interface CompensationHandler {
  activityId: string;
  boundaryEventId: string;
  handlerId: string;
}

interface SerializedElement {
  id: string;
  type: string;
  behaviour?: { attachedTo?: { id?: string }; eventDefinitions?: Array<{ type: string }> };
}

interface SerializedContext {
  activities?: SerializedElement[];
  associations?: Array<{ sourceId?: string; targetId?: string }>;
}

function isCompensationBoundary(element: SerializedElement): boolean {
  return element.type === 'bpmn:BoundaryEvent' && (element.behaviour?.eventDefinitions ?? []).some((definition) => definition.type === 'bpmn:CompensateEventDefinition');
}

/**
 * Takes the compensation boundary events out of a serialized definition (before it is deserialized) and returns the
 * handlers they named, by the activity they were attached to.
 */
export function takeCompensationBoundaries(serialized: SerializedContext): Map<string, CompensationHandler> {
  const handlers = new Map<string, CompensationHandler>();
  for (const boundary of (serialized.activities ?? []).filter(isCompensationBoundary)) {
    const activityId = boundary.behaviour?.attachedTo?.id;
    const handlerId = (serialized.associations ?? []).find((association) => association.sourceId === boundary.id)?.targetId;
    if (activityId && handlerId) handlers.set(activityId, { activityId, boundaryEventId: boundary.id, handlerId });
  }
  serialized.activities = (serialized.activities ?? []).filter((element) => !isCompensationBoundary(element));
  return handlers;
}

const handlersOfContext = new WeakMap<object, Map<string, CompensationHandler>>();

/** Remembers the compensation handlers of a deserialized definition, for the runner. */
export function registerCompensationHandlers(context: object, handlers: Map<string, CompensationHandler>): void {
  handlersOfContext.set(context, handlers);
}

/** The compensation handlers of a deserialized definition, by the activity they compensate. */
export function compensationHandlersOf(context: object): Map<string, CompensationHandler> {
  return handlersOfContext.get(context) ?? new Map();
}

/** The setting, in a scope's environment, listing its completed activities that have a compensation handler. */
const COMPENSABLE_SETTING = 'compensable';
/** The setting, in a scope's environment, of the handler runs each waiting compensation throw waits for. */
const COMPENSATING_SETTING = 'compensating';

/** A completed activity that can be compensated, in the order its scope completed them. */
interface CompensableActivity {
  activityId: string;
  runId: string;
}

/**
 * A compensation throw or end event, waiting for the runner to start its handlers or, after a resume (which executes
 * the event again), to see them done.
 */
export interface PendingCompensation {
  /** The throwing event's run. */
  runId: string;
  activityId: string;
  /** Only this activity is compensated; null compensates every completed activity of the scope. */
  activityRef: string | null;
  waitForCompletion: boolean;
  complete(): void;
}

/** The environment service through which compensation events hand their throws to the runner. */
export const COMPENSATIONS_SERVICE = 'pendingCompensations';

interface ExecuteMessage {
  content: Record<string, unknown> & { parent?: { executionId?: string } };
}

interface CompensateBehaviour {
  activityRef?: { id?: string };
  waitForCompletion?: boolean;
}

interface StockCompensation {
  activity: { id: string; environment: { services?: Record<string, unknown> } };
  broker: { publish(exchange: string, routingKey: string, content: unknown): void };
  executeThrow(message: ExecuteMessage): unknown;
}

const StockCompensate = Elements.CompensateEventDefinition as unknown as new (activity: unknown, eventDefinition: unknown, context: unknown) => StockCompensation;

export class CamundaCompensateEventDefinition extends StockCompensate {
  private readonly compensate: CompensateBehaviour;

  constructor(activity: unknown, eventDefinition: { behaviour?: CompensateBehaviour }, context: unknown) {
    super(activity, eventDefinition, context);
    this.compensate = eventDefinition.behaviour ?? {};
  }

  executeThrow(executeMessage: ExecuteMessage): unknown {
    const sink = this.activity.environment.services?.[COMPENSATIONS_SERVICE] as PendingCompensation[] | undefined;
    if (!sink) return super.executeThrow(executeMessage);
    const content = executeMessage.content;
    sink.push({
      runId: content.parent?.executionId ?? '',
      activityId: this.activity.id,
      activityRef: this.compensate.activityRef?.id ?? null,
      waitForCompletion: this.compensate.waitForCompletion !== false,
      complete: () => this.broker.publish('execution', 'execute.completed', { ...content }),
    });
    return undefined;
  }
}

/** A completed activity a running scope can compensate: Camunda's `compensate` event subscription, named after its handler. */
export interface CompensableInScope {
  handlerId: string;
  /** The completed activity's run. */
  runId: string;
  /** The scope's run; null is the process. */
  scopeRunId: string | null;
}

/**
 * The compensation of one command: completed activities are recorded in their scope's engine state (which the stored
 * state keeps), and a throw starts the handlers of its scope's recorded activities, newest first.
 */
export class CompensationRuns {
  private readonly completed: Array<{ scopeRunId: string | null; activity: CompensableActivity }> = [];

  /** `lastStarted`: the run each activity started last in this command, to know the handler runs a throw started. */
  constructor(private readonly handlers: Map<string, CompensationHandler>, private readonly lastStarted: ReadonlyMap<string, string>) {}

  /** The handler activities: they run beside their scope's tokens, and an interrupting event sub-process leaves them. */
  get handlerIds(): Set<string> {
    return new Set([...this.handlers.values()].map((handler) => handler.handlerId));
  }

  /** An activity completed in `scopeRunId`; recorded when its scope settles, if it has a handler. */
  completedActivity(activityId: string, runId: string, scopeRunId: string | null): void {
    if (this.handlers.has(activityId)) this.completed.push({ scopeRunId, activity: { activityId, runId } });
  }

  /** Records the activities completed in this command in their scopes' environments. */
  record(execution: unknown): void {
    for (const { scopeRunId, activity } of this.completed.splice(0)) {
      const settings = runningScope(execution, scopeRunId)?.environment.settings;
      if (settings) settings[COMPENSABLE_SETTING] = [...((settings[COMPENSABLE_SETTING] as CompensableActivity[] | undefined) ?? []), activity];
    }
  }

  /**
   * A throw in `scopeRunId` (null: the process): the handlers of the scope's completed activities start, newest first;
   * with `waitForCompletion` the throw waits until none of them runs, which a later command's resume checks again.
   */
  compensate(execution: unknown, scopeRunId: string | null, pending: PendingCompensation): void {
    const scope = runningScope(execution, scopeRunId);
    if (!scope) return pending.complete();
    const settings = scope.environment.settings;
    const waiting = (settings[COMPENSATING_SETTING] as Record<string, string[]> | undefined) ?? {};
    const handlerRuns = waiting[pending.runId];
    if (handlerRuns) {
      const running = new Set(scope.getPostponed().map((api) => api.executionId));
      if (handlerRuns.some((runId) => running.has(runId))) return;
      const { [pending.runId]: _done, ...rest } = waiting;
      settings[COMPENSATING_SETTING] = rest;
      return pending.complete();
    }
    const recorded = (settings[COMPENSABLE_SETTING] as CompensableActivity[] | undefined) ?? [];
    const chosen = recorded.filter((activity) => pending.activityRef === null || activity.activityId === pending.activityRef);
    settings[COMPENSABLE_SETTING] = recorded.filter((activity) => !chosen.includes(activity));
    const started: string[] = [];
    for (const activity of [...chosen].reverse()) {
      const handlerId = this.handlers.get(activity.activityId)!.handlerId;
      const handler = scope.getActivityById(handlerId);
      if (!handler || handler.isRunning) continue;
      handler.run();
      const runId = this.lastStarted.get(handlerId);
      if (handler.isRunning && runId) started.push(runId);
    }
    if (pending.waitForCompletion && started.length > 0) settings[COMPENSATING_SETTING] = { ...waiting, [pending.runId]: started };
    else pending.complete();
  }

  /** What every running scope can compensate now. */
  compensable(execution: unknown): CompensableInScope[] {
    if (this.handlers.size === 0) return [];
    return runningScopes(execution).flatMap(({ scope, runId }) => ((scope.environment.settings[COMPENSABLE_SETTING] as CompensableActivity[] | undefined) ?? [])
      .map((activity) => ({ handlerId: this.handlers.get(activity.activityId)!.handlerId, runId: activity.runId, scopeRunId: runId })));
  }
}
