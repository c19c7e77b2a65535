/**
 * BPMN errors and escalations as Camunda propagates them: thrown by an end or throw event, or reported for a waiting
 * activity, they are caught by the innermost catcher whose code matches (else one that catches every code) — a
 * boundary event on the activity, an event sub-process of a scope it runs in, a boundary event on that scope, and so
 * on outwards. bpmn-elements matches by the bpmn:Error element, not its code, and does not look past the first scope,
 * so a throw event here only records its throw and waits; the runner finds the catcher once the engine is idle
 * (process-runner.ts) and completes the throw event when nothing interrupted it.
 */
import * as Elements from 'bpmn-elements';
import { rearm } from './rearming-event-definitions.js';

export type ThrownKind = 'error' | 'escalation';

/** A boundary event or an event sub-process's start event that catches errors or escalations. */
export interface EventCatcher {
  kind: ThrownKind;
  /** The boundary event, or the event sub-process's start event. */
  activityId: string;
  /** For a boundary event: the activity it is attached to. */
  attachedTo: string | null;
  /** For an event sub-process's start event: the event sub-process and the process or sub-process it belongs to. */
  eventSubProcessId: string | null;
  scopeId: string | null;
  /** The bpmn:Error or bpmn:Escalation it references (its definition takes only that one). */
  referenceId: string | null;
  /** null catches every code: no reference, or one without a code. */
  code: string | null;
  codeVariable: string | null;
  messageVariable: string | null;
  isInterrupting: boolean;
}

const DEFINITION_KINDS: Record<string, ThrownKind> = {
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
};

interface DefinitionView {
  type: string;
  behaviour?: {
    errorRef?: { id?: string };
    escalationRef?: { id?: string };
    errorCodeVariable?: string;
    errorMessageVariable?: string;
    escalationCodeVariable?: string;
  };
}

interface ElementView {
  id: string;
  type: string;
  parent?: { id?: string };
  behaviour?: {
    attachedTo?: { id?: string };
    cancelActivity?: boolean;
    isInterrupting?: boolean;
    triggeredByEvent?: boolean;
    eventDefinitions?: DefinitionView[];
    errorCode?: string;
    escalationCode?: string;
  };
}

interface ContextView {
  getActivities(): ElementView[];
  getActivityById(id: string): ElementView | undefined;
}

const catchersOfContext = new WeakMap<object, EventCatcher[]>();

/** Every error and escalation catcher of a deserialized definition. */
export function eventCatchersOf(context: object): EventCatcher[] {
  const cached = catchersOfContext.get(context);
  if (cached) return cached;
  const activities = (context as ContextView).getActivities();
  const catchers: EventCatcher[] = [];
  for (const element of activities) {
    const isBoundary = element.type === 'bpmn:BoundaryEvent';
    const eventSubProcess = element.type === 'bpmn:StartEvent' ? activities.find((candidate) => candidate.id === element.parent?.id && candidate.behaviour?.triggeredByEvent) : undefined;
    if (!isBoundary && !eventSubProcess) continue;
    for (const definition of element.behaviour?.eventDefinitions ?? []) {
      const kind = DEFINITION_KINDS[definition.type];
      if (!kind) continue;
      const referenceId = (kind === 'error' ? definition.behaviour?.errorRef?.id : definition.behaviour?.escalationRef?.id) ?? null;
      const code = thrownCodeOf(context, kind, referenceId);
      catchers.push({
        kind,
        activityId: element.id,
        attachedTo: isBoundary ? element.behaviour?.attachedTo?.id ?? null : null,
        eventSubProcessId: eventSubProcess?.id ?? null,
        scopeId: eventSubProcess?.parent?.id ?? null,
        referenceId,
        code,
        codeVariable: (kind === 'error' ? definition.behaviour?.errorCodeVariable : definition.behaviour?.escalationCodeVariable) ?? null,
        messageVariable: kind === 'error' ? definition.behaviour?.errorMessageVariable ?? null : null,
        isInterrupting: isBoundary ? element.behaviour?.cancelActivity !== false : element.behaviour?.isInterrupting !== false,
      });
    }
  }
  catchersOfContext.set(context, catchers);
  return catchers;
}

/** One place a throw may be caught, innermost first: boundary events on an activity, or event sub-processes of a scope. */
export type CatchLevel = { attachedTo: string } | { scopeId: string };

/**
 * The code a bpmn:Error or bpmn:Escalation throws, as written: Camunda does not resolve an expression in it (and
 * bpmn-elements, which would, does not carry an escalation's code at all).
 */
export function thrownCodeOf(context: object, kind: ThrownKind, referenceId: string | null): string | null {
  const reference = referenceId ? (context as ContextView).getActivityById(referenceId)?.behaviour : undefined;
  return (kind === 'error' ? reference?.errorCode : reference?.escalationCode) ?? null;
}

/** The catcher of the innermost level that has one: the one with the code, else one catching every code. */
export function findCatcher(catchers: readonly EventCatcher[], kind: ThrownKind, code: string, levels: readonly CatchLevel[]): EventCatcher | null {
  for (const level of levels) {
    const here = catchers.filter((catcher) => catcher.kind === kind && ('attachedTo' in level ? catcher.attachedTo === level.attachedTo : catcher.scopeId === level.scopeId));
    const catcher = here.find((candidate) => candidate.code === code) ?? here.find((candidate) => candidate.code === null);
    if (catcher) return catcher;
  }
  return null;
}

/** A throw recorded by a throw or end event, waiting for the runner to find its catcher. */
export interface PendingThrow {
  kind: ThrownKind;
  /** The thrown bpmn:Error or bpmn:Escalation, whose code the runner reads (`thrownCodeOf`). */
  referenceId: string | null;
  activityId: string;
  /** The throwing event's run (its event definition's parent). */
  runId: string;
  /** Lets the throw event go on: when nothing caught it, or a non-interrupting catcher did. */
  complete(): void;
}

/** The environment service through which throw events hand their throws to the runner. */
export const THROWS_SERVICE = 'pendingThrows';

interface ExecuteMessage {
  content: Record<string, unknown> & { parent?: { executionId?: string } };
}

interface StockDefinition {
  activity: { id: string; type?: string; environment: { services?: Record<string, unknown> } };
  broker: { publish(exchange: string, routingKey: string, content: unknown, options?: unknown): void };
  /** The definition's errorRef or escalationRef, as bpmn-elements keeps it. */
  reference: { id?: string };
  executeThrow(message: ExecuteMessage): unknown;
  executeCatch(message: ExecuteMessage): unknown;
}

type DefinitionClass = new (activity: unknown, eventDefinition: unknown) => StockDefinition;

function recordThrow(definition: StockDefinition, kind: ThrownKind, executeMessage: ExecuteMessage): boolean {
  // An escalation definition keeps no environment of its own; its activity's is the same.
  const sink = definition.activity.environment.services?.[THROWS_SERVICE] as PendingThrow[] | undefined;
  if (!sink) return false;
  const content = executeMessage.content;
  sink.push({
    kind,
    referenceId: definition.reference.id ?? null,
    activityId: definition.activity.id,
    runId: content.parent?.executionId ?? '',
    complete: () => definition.broker.publish('execution', 'execute.completed', { ...content }),
  });
  return true;
}

/** An event sub-process's error or escalation start event: the runner starts its event sub-process only when it catches. */
function startsAtOnce(definition: StockDefinition, executeMessage: ExecuteMessage): boolean {
  if (definition.activity.type !== 'bpmn:StartEvent') return false;
  definition.broker.publish('execution', 'execute.completed', { ...executeMessage.content, state: 'catch' });
  return true;
}

const StockError = Elements.ErrorEventDefinition as unknown as DefinitionClass;
const StockEscalation = Elements.EscalationEventDefinition as unknown as DefinitionClass;

export class CamundaErrorEventDefinition extends StockError {
  executeThrow(executeMessage: ExecuteMessage): unknown {
    return recordThrow(this, 'error', executeMessage) || super.executeThrow(executeMessage);
  }

  executeCatch(executeMessage: ExecuteMessage): unknown {
    return startsAtOnce(this, executeMessage) || super.executeCatch(executeMessage);
  }
}

export class CamundaEscalationEventDefinition extends StockEscalation {
  /** A non-interrupting boundary event stays armed for the next escalation. */
  _onCatchMessage(...args: unknown[]): unknown {
    rearm(this as never);
    return (StockEscalation.prototype as unknown as { _onCatchMessage(...args: unknown[]): unknown })._onCatchMessage.apply(this, args);
  }

  executeThrow(executeMessage: ExecuteMessage): unknown {
    return recordThrow(this, 'escalation', executeMessage) || super.executeThrow(executeMessage);
  }

  executeCatch(executeMessage: ExecuteMessage): unknown {
    return startsAtOnce(this, executeMessage) || super.executeCatch(executeMessage);
  }
}
