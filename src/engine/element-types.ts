/** The bpmn-elements behaviours the engine runs, with this project's overrides; resolved when a definition is deserialized. */
import * as Elements from 'bpmn-elements';
import { InclusiveGatewayBehaviour } from 'bpmn-elements/gateways';
import { SignalTaskBehaviour } from 'bpmn-elements/tasks';
import { TypeResolver } from 'moddle-context-serializer';
import { isAsyncContinuationId } from './async-continuations.js';
import { evaluatedTask, isEvaluatedTask } from './evaluated-task.js';
import { isExternalElement } from './external-work.js';
import { ServerTimerEventDefinition } from './timer-event-definition.js';
import { MultiInstanceLoopCharacteristics } from './multi-instance.js';
import { ChosenStartEventBehaviour } from './start-event.js';
import { CamundaErrorEventDefinition, CamundaEscalationEventDefinition } from './thrown-events.js';
import { CamundaCompensateEventDefinition } from './compensation.js';
import { RearmingConditionalEventDefinition, RearmingMessageEventDefinition, RearmingSignalEventDefinition } from './rearming-event-definitions.js';

type ElementFactory = (definition: ElementDefinition, context: unknown) => unknown;
interface ElementDefinition {
  behaviour?: Record<string, unknown>;
  isParallelGateway?: boolean;
}

const Activity = Elements.Activity as unknown as new (behaviour: unknown, definition: ElementDefinition, context: unknown) => unknown;

/**
 * An element with `camunda:type="external"` (service, send and business rule tasks, message throw and end events)
 * waits until a worker completes it, like a signal task; every other element keeps its stock behaviour.
 */
function externalOr(stock: ElementFactory): ElementFactory {
  // bpmn-elements calls element factories with `new`, so this must be a function, not an arrow.
  return function ExternalCapable(definition: ElementDefinition, context: unknown) {
    const behaviour = definition.behaviour ?? {};
    if (isExternalElement(behaviour)) return new Activity(SignalTaskBehaviour, definition, context);
    if (isEvaluatedTask(behaviour)) return evaluatedTask(definition, context);
    return stock(definition, context);
  };
}

/**
 * bpmn-elements lets every token through an inclusive gateway. A converging one must join: as bpmn-elements
 * discards the flows an inclusive fork did not take (dead-path elimination), joining like a parallel gateway waits
 * exactly for the branches that were taken — Camunda's semantics for block-structured diagrams.
 */
function InclusiveGateway(definition: ElementDefinition, context: unknown) {
  return new Activity(InclusiveGatewayBehaviour, { ...definition, isParallelGateway: true }, context);
}

// Overrides are resolved at deserialize time, so they apply to definitions deployed before they existed.
export const elementTypes: Record<string, unknown> = {
  ...Elements,
  ServiceTask: externalOr(Elements.ServiceTask as unknown as ElementFactory),
  SendTask: externalOr(Elements.SendTask as unknown as ElementFactory),
  BusinessRuleTask: externalOr(Elements.BusinessRuleTask as unknown as ElementFactory),
  IntermediateThrowEvent: externalOr(Elements.IntermediateThrowEvent as unknown as ElementFactory),
  EndEvent: externalOr(Elements.EndEvent as unknown as ElementFactory),
  InclusiveGateway,
  // Camunda runs a manual task as a pass-through, like a none task; bpmn-elements would wait for a signal no one sends.
  ManualTask: Elements.Task,
  // The wait of an async continuation (async-continuations.ts) waits for its job's signal; other tasks pass through.
  Task: function Task(definition: ElementDefinition & { id?: string }, context: unknown) {
    if (definition.id && isAsyncContinuationId(definition.id)) return new Activity(SignalTaskBehaviour, definition, context);
    return (Elements.Task as unknown as ElementFactory)(definition, context);
  },
  // Script tasks run FEEL (or opt-in JavaScript) through our runner, never bpmn-engine's own JavaScript handler.
  ScriptTask: function ScriptTask(definition: ElementDefinition, context: unknown) {
    return evaluatedTask(definition, context);
  },
  // A call activity waits for its child instance, which the server starts and ends (always a separate instance,
  // also for a callee in the same file, which bpmn-elements would run inline).
  CallActivity: function CallActivity(definition: ElementDefinition, context: unknown) {
    return new Activity(SignalTaskBehaviour, definition, context);
  },
  // Event sub-processes are armed and started by the runner (event-sub-processes.ts), never by bpmn-elements' own
  // matching of events thrown inside the process.
  SubProcess: function SubProcess(definition: ElementDefinition, context: unknown) {
    const subProcess = (Elements.SubProcess as unknown as (definition: ElementDefinition, context: unknown) => { getStartActivities(): unknown[] })(definition, context);
    if (definition.behaviour?.triggeredByEvent) subProcess.getStartActivities = () => [];
    return subProcess;
  },
  // Only the start events a start command chose run (start-event.ts).
  StartEvent: function StartEvent(definition: ElementDefinition, context: unknown) {
    return new Activity(ChosenStartEventBehaviour, definition, context);
  },
  // Camunda's checks on a collection or cardinality, and a collection given as a variable name.
  MultiInstanceLoopCharacteristics,
  // Timers wait for the server's job; bpmn-elements would fire them on its own clock.
  TimerEventDefinition: ServerTimerEventDefinition,
  // A non-interrupting boundary event stays armed after its message, signal or condition happened.
  MessageEventDefinition: RearmingMessageEventDefinition,
  SignalEventDefinition: RearmingSignalEventDefinition,
  ConditionalEventDefinition: RearmingConditionalEventDefinition,
  // Errors and escalations are caught by code, innermost first, by the runner (thrown-events.ts).
  ErrorEventDefinition: CamundaErrorEventDefinition,
  EscalationEventDefinition: CamundaEscalationEventDefinition,
  // Compensation handlers start in reverse completion order, and a throw waits for them (compensation.ts).
  CompensateEventDefinition: CamundaCompensateEventDefinition,
};

export const typeResolver = TypeResolver(elementTypes as never);
