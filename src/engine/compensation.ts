/**
 * Compensation as Camunda runs it. bpmn-elements compensates in the XML order of the boundary events, compensates
 * failed activities too, ignores `waitForCompletion` and, with two compensation boundary events in a scope, never
 * completes (notes/bpmn-engine-spike-2.md §1). So the compensation boundary events leave the model the engine runs
 * (their handlers stay, started by the runner), each completed activity that has one is recorded in its scope, and a
 * compensation throw starts the handlers of its scope's recorded activities, newest first (process-runner.ts).
 */
import * as Elements from 'bpmn-elements';

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
export const COMPENSABLE_SETTING = 'compensable';
/** The setting, in a scope's environment, of the handler runs each waiting compensation throw waits for. */
export const COMPENSATING_SETTING = 'compensating';

/** A completed activity that can be compensated, in the order its scope completed them. */
export interface CompensableActivity {
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
