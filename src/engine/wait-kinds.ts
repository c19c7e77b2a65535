/**
 * The waits the engine announces to the server, one entry per kind: the bpmn-elements event that announces it and
 * which elements it applies to. The server keeps rows for each kind (src/services/waits); adding a kind adds an entry
 * here and a file there.
 */
import { isAsyncContinuationId } from './async-continuations.js';
import { isExternalElement } from './external-work.js';

/** What the registry sees of an announcing activity. */
export interface AnnouncingElement {
  id: string;
  /** The element's BPMN type (the owner's, for an event definition). */
  type: string;
  /** The announcing event definition's type, or the element's own type when the element announces. */
  definitionType: string;
  behaviour: Record<string, unknown>;
  /** A start event of the process itself: its timer starts instances, and is the definition's job, not a wait. */
  isProcessStartEvent: boolean;
}

export interface WaitKindDefinition {
  readonly kind: string;
  readonly event: 'activity.wait' | 'activity.timer';
  announces(element: AnnouncingElement): boolean;
}

export const WAIT_KINDS = [
  { kind: 'userTask', event: 'activity.wait', announces: (element) => element.type === 'bpmn:UserTask' },
  { kind: 'externalTask', event: 'activity.wait', announces: (element) => isExternalElement(element.behaviour) },
  { kind: 'timer', event: 'activity.timer', announces: (element) => !element.isProcessStartEvent },
  { kind: 'asyncContinuation', event: 'activity.wait', announces: (element) => isAsyncContinuationId(element.id) },
  { kind: 'callActivity', event: 'activity.wait', announces: (element) => element.type === 'bpmn:CallActivity' },
  // Message, signal and conditional catches (events, boundary events, receive tasks) wait for an event subscription.
  { kind: 'message', event: 'activity.wait', announces: (element) => element.definitionType === 'bpmn:MessageEventDefinition' || element.type === 'bpmn:ReceiveTask' },
  { kind: 'signal', event: 'activity.wait', announces: (element) => element.definitionType === 'bpmn:SignalEventDefinition' },
  { kind: 'conditional', event: 'activity.wait', announces: (element) => element.definitionType === 'bpmn:ConditionalEventDefinition' },
  // A completed activity with a compensation handler: no event announces it, the runner lists them from its scopes.
  { kind: 'compensate', event: 'activity.wait', announces: () => false },
] as const satisfies readonly WaitKindDefinition[];

export type WaitKind = (typeof WAIT_KINDS)[number]['kind'];

/** The kind of wait `element` announces with `event`, or null for waits the server keeps no rows for. */
export function announcedWaitKind(event: string, element: AnnouncingElement): WaitKind | null {
  return WAIT_KINDS.find((definition) => definition.event === event && definition.announces(element))?.kind ?? null;
}

/** The bpmn-elements events that announce some wait. */
export const ANNOUNCING_EVENTS: readonly string[] = [...new Set(WAIT_KINDS.map((definition) => definition.event))];
