/** Which activities Camunda gives a scope execution of their own, read once per deserialized definition. */
import type { ScopeKind } from './execution-tree.js';
import { isExternalElement } from './external-work.js';
import { inputOutputOf } from './io-mapping.js';

interface ElementView {
  id: string;
  type: string;
  behaviour?: Record<string, unknown> & { attachedTo?: { id?: string }; eventDefinitions?: Array<{ type: string }>; loopCharacteristics?: unknown };
}

interface ContextView {
  getActivities(scopeId?: string): ElementView[];
  getActivityById(id: string): ElementView | undefined;
}

/** Catch events Camunda runs in a scope of their own (their event subscription or job hangs on it). */
const CATCHING_DEFINITIONS = new Set(['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:ConditionalEventDefinition']);

function kindOfElement(element: ElementView, hosts: Set<string>): ScopeKind {
  const behaviour = element.behaviour ?? {};
  if (element.type === 'bpmn:SubProcess' || element.type === 'bpmn:Transaction') return 'container';
  if (hosts.has(element.id) || inputOutputOf(behaviour) || isExternalElement(behaviour)) return 'scope';
  if (element.type === 'bpmn:CallActivity' || element.type === 'bpmn:EventBasedGateway') return 'scope';
  // A receive task with a message waits on its own subscription's execution; a plain one waits where its token is.
  if (element.type === 'bpmn:ReceiveTask' && behaviour.messageRef) return 'scope';
  if (element.type === 'bpmn:IntermediateCatchEvent' && (behaviour.eventDefinitions ?? []).some((definition) => CATCHING_DEFINITIONS.has(definition.type))) return 'scope';
  // A compensation throw event waits for its handlers in a scope of its own.
  if ((element.type === 'bpmn:IntermediateThrowEvent' || element.type === 'bpmn:EndEvent') && (behaviour.eventDefinitions ?? []).some((definition) => definition.type === 'bpmn:CompensateEventDefinition')) return 'scope';
  return 'leaf';
}

const kindsOfContext = new WeakMap<object, Map<string, ScopeKind>>();

/** The scope kind of each activity of a definition's context, keyed by activity id. */
export function scopeKindsOf(context: object): Map<string, ScopeKind> {
  const cached = kindsOfContext.get(context);
  if (cached) return cached;
  const view = context as ContextView;
  const activities = view.getActivities();
  const hosts = new Set(activities.map((activity) => activity.behaviour?.attachedTo?.id).filter((id): id is string => typeof id === 'string'));
  const kinds = new Map(activities.map((activity) => [activity.id, kindOfElement(activity, hosts)] as const));
  kindsOfContext.set(context, kinds);
  return kinds;
}
