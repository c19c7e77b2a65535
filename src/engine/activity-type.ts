/** Maps BPMN element types to the activity type names Camunda 7 reports in activity instances and history. */

const CAMUNDA_ACTIVITY_TYPES: Record<string, string> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'noneEndEvent',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:Task': 'task',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateNoneThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
};

const EVENT_DEFINITION_SUFFIXES: Record<string, string> = {
  'bpmn:TerminateEventDefinition': 'terminateEndEvent',
  'bpmn:ErrorEventDefinition': 'errorEndEvent',
  'bpmn:MessageEventDefinition': 'messageEndEvent',
  'bpmn:SignalEventDefinition': 'signalEndEvent',
  'bpmn:EscalationEventDefinition': 'escalationEndEvent',
  'bpmn:CompensateEventDefinition': 'compensationEndEvent',
};

const INTERMEDIATE_THROW_TYPES: Record<string, string> = {
  'bpmn:MessageEventDefinition': 'intermediateMessageThrowEvent',
  'bpmn:SignalEventDefinition': 'intermediateSignalThrow',
  'bpmn:EscalationEventDefinition': 'intermediateEscalationThrowEvent',
  'bpmn:CompensateEventDefinition': 'intermediateCompensationThrowEvent',
};

const BOUNDARY_TYPES: Record<string, string> = {
  'bpmn:ErrorEventDefinition': 'boundaryError',
  'bpmn:TimerEventDefinition': 'boundaryTimer',
  'bpmn:MessageEventDefinition': 'boundaryMessage',
  'bpmn:SignalEventDefinition': 'boundarySignal',
  'bpmn:EscalationEventDefinition': 'boundaryEscalation',
  'bpmn:ConditionalEventDefinition': 'boundaryConditional',
};

const INTERMEDIATE_CATCH_TYPES: Record<string, string> = {
  'bpmn:TimerEventDefinition': 'intermediateTimer',
  'bpmn:MessageEventDefinition': 'intermediateMessageCatch',
  'bpmn:SignalEventDefinition': 'intermediateSignalCatch',
  'bpmn:ConditionalEventDefinition': 'intermediateConditional',
};

const START_TYPES: Record<string, string> = {
  'bpmn:TimerEventDefinition': 'startTimerEvent',
  'bpmn:MessageEventDefinition': 'messageStartEvent',
  'bpmn:SignalEventDefinition': 'signalStartEvent',
  'bpmn:ErrorEventDefinition': 'errorStartEvent',
  'bpmn:EscalationEventDefinition': 'escalationStartEvent',
  'bpmn:ConditionalEventDefinition': 'conditionalStartEvent',
};

const REFINEMENTS: Record<string, Record<string, string>> = {
  'bpmn:StartEvent': START_TYPES,
  'bpmn:IntermediateCatchEvent': INTERMEDIATE_CATCH_TYPES,
  'bpmn:EndEvent': EVENT_DEFINITION_SUFFIXES,
  'bpmn:IntermediateThrowEvent': INTERMEDIATE_THROW_TYPES,
  'bpmn:BoundaryEvent': BOUNDARY_TYPES,
};

/** What Camunda names a message throw or end event that has no implementation, which it runs as a none event. */
const PLAIN_MESSAGE_THROWS: Record<string, string> = {
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateNoneThrowEvent',
};

/**
 * Camunda's activity type for a BPMN element type; events are refined by their event definition. `isExternal`: a
 * message throw or end event is external work (without it, Camunda runs and names it as a none event).
 */
export function camundaActivityType(bpmnType: string, eventDefinitionTypes: string[] = [], isExternal = true): string {
  if (!isExternal && eventDefinitionTypes.includes('bpmn:MessageEventDefinition') && PLAIN_MESSAGE_THROWS[bpmnType]) return PLAIN_MESSAGE_THROWS[bpmnType]!;
  const refinements = REFINEMENTS[bpmnType] ?? {};
  for (const definitionType of eventDefinitionTypes) {
    const refined = refinements[definitionType];
    if (refined) return refined;
  }
  return CAMUNDA_ACTIVITY_TYPES[bpmnType] ?? bpmnType.replace(/^bpmn:/, '').replace(/^./, (c) => c.toLowerCase());
}
