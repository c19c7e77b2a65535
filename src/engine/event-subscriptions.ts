/** What a message, signal or conditional wait subscribes to, and which catch events an event-based gateway or a link arms. */

/**
 * Camunda's event subscription types; `receive` is a receive task without a message, continued by an execution
 * signal, and `compensate` a completed activity its scope can compensate (named after its handler).
 */
export type SubscriptionType = 'message' | 'signal' | 'conditional' | 'receive' | 'compensate';

/** A conditional event's condition and the variable changes that make Camunda evaluate it. */
export interface ConditionDefinition {
  expression: string;
  language: string | null;
  /** `camunda:variableName`: only changes of this variable count; null counts every change. */
  variableName: string | null;
  /** `camunda:variableEvents`: which of create, update and delete count; empty counts all. */
  variableEvents: string[];
}

/** What an event wait subscribes to: the (resolved) message or signal name, or a condition. */
export interface EventSubscriptionSpec {
  eventType: SubscriptionType;
  eventName: string | null;
  condition?: ConditionDefinition;
}

interface DefinitionView {
  type?: string;
  behaviour?: {
    condition?: { body?: string; language?: string };
    variableName?: string;
    variableEvents?: string;
    messageRef?: { name?: string };
    signalRef?: { name?: string };
  };
}

/** The condition of the conditional event definition of an element's behaviour, if it has one. */
export function conditionOf(behaviour: Record<string, unknown>): ConditionDefinition | undefined {
  const definitions = (behaviour.eventDefinitions as DefinitionView[] | undefined) ?? [];
  const conditional = definitions.find((definition) => definition.type === 'bpmn:ConditionalEventDefinition')?.behaviour;
  return conditional ? conditionDefinition(conditional) : undefined;
}

/** A conditional event definition's condition, from its moddle element or its serialized behaviour. */
function conditionDefinition(definition: { condition?: { body?: string; language?: string }; variableName?: string; variableEvents?: string }): ConditionDefinition {
  return {
    expression: String(definition.condition?.body ?? ''),
    language: definition.condition?.language ?? null,
    variableName: definition.variableName?.trim() || null,
    variableEvents: (definition.variableEvents ?? '').split(',').map((event) => event.trim()).filter(Boolean),
  };
}

/** Whether a variable change of `name` and `event` (create, update, delete) makes Camunda evaluate the condition. */
export function conditionListensTo(condition: ConditionDefinition, name: string, event: string): boolean {
  if (condition.variableName !== null && condition.variableName !== name) return false;
  return condition.variableEvents.length === 0 || condition.variableEvents.includes(event);
}

interface ContextView {
  getActivities(scopeId?: string): Array<{ id: string; type: string }>;
  getActivityById(id: string): { type?: string } | undefined;
  getInboundSequenceFlows(id: string): Array<{ sourceId?: string }>;
}

const gatewaysOfContext = new WeakMap<object, Map<string, string>>();

/**
 * The catch events armed by an event-based gateway, each with its gateway. Camunda runs them in the gateway's
 * execution and records them in history only when one of them happens.
 */
export function eventGatewaysOf(context: object): Map<string, string> {
  const cached = gatewaysOfContext.get(context);
  if (cached) return cached;
  const view = context as ContextView;
  const gateways = new Map<string, string>();
  for (const activity of view.getActivities()) {
    for (const flow of view.getInboundSequenceFlows(activity.id)) {
      if (flow.sourceId && view.getActivityById(flow.sourceId)?.type === 'bpmn:EventBasedGateway') gateways.set(activity.id, flow.sourceId);
    }
  }
  gatewaysOfContext.set(context, gateways);
  return gateways;
}

export interface LinkEvents {
  /** The link catch events: bpmn-elements starts them with their scope, waiting for their link, so each is armed. */
  catches: Set<string>;
  /** Throw and catch events: Camunda jumps from one to the other and records neither in history. */
  all: Set<string>;
}

const linkEventsOfContext = new WeakMap<object, LinkEvents>();

/** The link events of a definition. */
export function linkEventsOf(context: object): LinkEvents {
  const cached = linkEventsOfContext.get(context);
  if (cached) return cached;
  const activities = (context as { getActivities(): Array<{ id: string; type: string; behaviour?: { eventDefinitions?: Array<{ type: string }> } }> }).getActivities();
  const links = activities.filter((activity) => (activity.behaviour?.eventDefinitions ?? []).some((definition) => definition.type === 'bpmn:LinkEventDefinition'));
  const found = { catches: new Set(links.filter((activity) => activity.type === 'bpmn:IntermediateCatchEvent').map((activity) => activity.id)), all: new Set(links.map((activity) => activity.id)) };
  linkEventsOfContext.set(context, found);
  return found;
}

/** An event start event of a process: its definition subscribes to the event from deployment until a newer version replaces it. */
export interface EventStartDeclaration {
  activityId: string;
  eventType: 'message' | 'signal' | 'conditional';
  eventName: string | null;
  condition?: ConditionDefinition;
}

interface ModdleView {
  $type: string;
  id?: string;
  eventDefinitions?: Array<{ $type: string; messageRef?: { name?: string }; signalRef?: { name?: string }; condition?: { body?: string; language?: string }; variableName?: string; variableEvents?: string }>;
}

/** The message, signal and conditional start events of a process (not of its sub-processes). */
export function eventStartsOf(process: { flowElements?: ModdleView[] }): EventStartDeclaration[] {
  const starts: EventStartDeclaration[] = [];
  for (const element of process.flowElements ?? []) {
    if (element.$type !== 'bpmn:StartEvent' || !element.id) continue;
    for (const definition of element.eventDefinitions ?? []) {
      if (definition.$type === 'bpmn:MessageEventDefinition') starts.push({ activityId: element.id, eventType: 'message', eventName: definition.messageRef?.name ?? null });
      if (definition.$type === 'bpmn:SignalEventDefinition') starts.push({ activityId: element.id, eventType: 'signal', eventName: definition.signalRef?.name ?? null });
      if (definition.$type === 'bpmn:ConditionalEventDefinition') starts.push({ activityId: element.id, eventType: 'conditional', eventName: null, condition: conditionDefinition(definition) });
    }
  }
  return starts;
}

/**
 * The message, signal and conditional start events of a process read from its deserialized definition: for a version
 * deployed earlier, which takes the subscriptions back when the newer one is deleted.
 */
export function eventStartsOfContext(context: object, processKey: string): EventStartDeclaration[] {
  const view = context as { getActivities(scopeId: string): Array<{ id: string; type: string; behaviour?: { eventDefinitions?: DefinitionView[] } }> };
  const starts: EventStartDeclaration[] = [];
  for (const activity of view.getActivities(processKey).filter((each) => each.type === 'bpmn:StartEvent')) {
    for (const { type, behaviour = {} } of activity.behaviour?.eventDefinitions ?? []) {
      if (type === 'bpmn:MessageEventDefinition') starts.push({ activityId: activity.id, eventType: 'message', eventName: behaviour.messageRef?.name ?? null });
      if (type === 'bpmn:SignalEventDefinition') starts.push({ activityId: activity.id, eventType: 'signal', eventName: behaviour.signalRef?.name ?? null });
      if (type === 'bpmn:ConditionalEventDefinition') starts.push({ activityId: activity.id, eventType: 'conditional', eventName: null, condition: conditionDefinition(behaviour) });
    }
  }
  return starts;
}
