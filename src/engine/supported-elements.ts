/** Refuses, at deploy, elements this engine does not run yet or cannot run: a silently different run is worse than an error. */
import type { ParseProblem } from '../core/parse-problem.js';
import { isTimerExpression, parseTimerSchedule, TIMER_TYPES, TimerDefinitionError } from '../core/timer-schedule.js';
import type { SourcePosition } from '../core/xml-start-tags.js';
import { isExternalElement } from './external-work.js';
import { CALLED_ELEMENT_BINDINGS } from './call-activity.js';
import { DECISION_BINDINGS, DECISION_RESULT_MAPPINGS, decisionTaskAttributes } from './decision-task.js';
import { JAVA_DELEGATE_ATTRIBUTES, javaDelegateOf, runDelegateAsExternalTask, type JavaDelegate } from './java-delegates.js';
import { isFeel, isJavaScript, type ScriptOptions } from './script-runner.js';

export interface CheckOptions {
  scripts: ScriptOptions;
  /** DELEGATES_AS_EXTERNAL_TASKS: Java delegates deploy as external tasks on the class or bean name. */
  delegatesAsExternalTasks: boolean;
  /** Where the element with this id starts in the uploaded file. */
  positionOf(id: string): SourcePosition | undefined;
}

interface ModdleElement {
  $type: string;
  id?: string;
  flowElements?: ModdleElement[];
  eventDefinitions?: ModdleElement[];
  conditionExpression?: { language?: string };
  extensionElements?: { values?: ModdleElement[] };
  loopCharacteristics?: ModdleElement;
  triggeredByEvent?: boolean;
  [key: string]: unknown;
}

/** Element types that run with Camunda's semantics; event definitions and attributes are checked separately. */
const SUPPORTED_TYPES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:UserTask',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ScriptTask',
  'bpmn:SubProcess',
  'bpmn:CallActivity',
  'bpmn:ReceiveTask',
  'bpmn:BoundaryEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:SequenceFlow',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/** BPMN elements that Camunda 7 runs without Java but this engine does not, or that Camunda itself does not run. */
const REFUSED_WITH_REASON: Record<string, string> = {
  'bpmn:Transaction': 'is a transaction sub-process, which this engine does not run: its cancel semantics roll back the whole transaction by compensation; model it as a sub-process with an error boundary event or an error event sub-process that throws compensation',
  'bpmn:ComplexGateway': 'is a complex gateway, which Camunda 7 does not run either; use an inclusive or a parallel gateway',
};

const CATCHABLE = ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:ConditionalEventDefinition'];

/** Errors and escalations: thrown by end (and escalation throw) events, caught by boundary events and event sub-processes. */
const THROWABLE = ['bpmn:ErrorEventDefinition', 'bpmn:EscalationEventDefinition'];

const COMPENSATE = 'bpmn:CompensateEventDefinition';
/** A link throw event continues at the link catch event of the same name in its scope. */
const LINK = 'bpmn:LinkEventDefinition';

const SUPPORTED_EVENT_DEFINITIONS: Record<string, Set<string>> = {
  'bpmn:EndEvent': new Set(['bpmn:TerminateEventDefinition', 'bpmn:SignalEventDefinition', COMPENSATE, ...THROWABLE]),
  'bpmn:IntermediateThrowEvent': new Set(['bpmn:SignalEventDefinition', 'bpmn:EscalationEventDefinition', COMPENSATE, LINK]),
  'bpmn:BoundaryEvent': new Set([...THROWABLE, ...CATCHABLE, COMPENSATE]),
  'bpmn:IntermediateCatchEvent': new Set([...CATCHABLE, LINK]),
  'bpmn:StartEvent': new Set([...THROWABLE, ...CATCHABLE]),
};

/** What may start an event sub-process. */
const EVENT_SUB_PROCESS_TRIGGERS = new Set([...CATCHABLE, ...THROWABLE]);

/** What an event-based gateway may lead to: catch events of these kinds (as Camunda's parser demands). */
const GATED_DEFINITIONS = new Set(CATCHABLE);

/** Service-like tasks run as external work, or evaluate a camunda:expression. */
const SERVICE_LIKE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

const LISTENER_TYPES = new Set(['camunda:ExecutionListener', 'camunda:TaskListener']);

/** Events whose message event definition may carry the work of a send task. */
const MESSAGE_THROWING_TYPES = new Set(['bpmn:IntermediateThrowEvent', 'bpmn:EndEvent']);

const GATEWAY_TYPES = new Set(['bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:ComplexGateway']);

const HOW_TO_CONVERT = 'model the work as an external task (camunda:type="external" camunda:topic="…") and run it in a worker';

/** The elements of the process or sub-process an element belongs to (itself included). */
function siblingsOf(element: ModdleElement): ModdleElement[] {
  return (element.$parent as ModdleElement | undefined)?.flowElements ?? [];
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function describe(element: ModdleElement): string {
  return `${element.$type.replace(/^\w+:/, '')} '${element.id ?? '?'}'`;
}

class ElementChecker {
  readonly problems: ParseProblem[] = [];

  constructor(private readonly options: CheckOptions) {}

  refuse(element: ModdleElement, message: string): void {
    const id = element.id ?? null;
    const position = (id && this.options.positionOf(id)) || { line: 0, column: 0 };
    this.problems.push({ message, line: position.line, column: position.column, mainElementId: id, elementIds: id ? [id] : [] });
  }

  /** A Java delegate runs only as an external task, and only when the operator opted in and it names a topic. */
  private checkDelegate(element: ModdleElement, delegate: JavaDelegate): void {
    const uses = `${describe(element)} uses camunda:${delegate.attribute}="${delegate.value}", which runs Java`;
    if (!this.options.delegatesAsExternalTasks) {
      const flag = delegate.topic !== null
        ? `, or set DELEGATES_AS_EXTERNAL_TASKS=true to deploy it unchanged as an external task on topic '${delegate.topic}'`
        : ' (DELEGATES_AS_EXTERNAL_TASKS=true deploys a delegate expression only when it is a single bean name such as ${chargeCard})';
      this.refuse(element, `${uses}; ${HOW_TO_CONVERT}${flag}`);
    } else if (delegate.topic === null) {
      this.refuse(element, `${uses}; DELEGATES_AS_EXTERNAL_TASKS turns only a class name or a single bean name (such as \${chargeCard}) into a topic, and this expression is neither; ${HOW_TO_CONVERT}`);
    } else if ((element.extensionElements?.values ?? []).some((value) => value.$type === 'camunda:Field')) {
      this.refuse(element, `${describe(element)} injects camunda:field values into its Java delegate, which an external task's worker would not receive; pass them as camunda:inputOutput input parameters (the worker reads them as local variables)`);
    }
  }

  private checkScript(element: ModdleElement, format: string | undefined, what: string): void {
    if (isFeel(format)) return;
    if (isJavaScript(format)) {
      if (!this.options.scripts.javascript) this.refuse(element, `${describe(element)} has a JavaScript ${what}; JavaScript is off (set JAVASCRIPT_SCRIPTS=true for trusted deployments) — use scriptFormat="feel"`);
      return;
    }
    this.refuse(element, `${describe(element)} has ${withArticle(what)} in '${format ?? ''}'; scripts are FEEL (or JavaScript when enabled)`);
  }

  /**
   * Async continuations become waits of their own (async-continuations.ts). Not where that would change what runs:
   * before a boundary event (it fires from its activity), or after a gateway that chooses among several flows.
   */
  private checkAsync(element: ModdleElement): void {
    const before = element.asyncBefore === true || element.async === true;
    if (before && element.$type === 'bpmn:BoundaryEvent') this.refuse(element, `${describe(element)} has camunda:asyncBefore="true", which a boundary event cannot have (it fires from its activity); use camunda:asyncAfter`);
    const siblings = siblingsOf(element);
    const outgoing = siblings.filter((flow) => flow.$type === 'bpmn:SequenceFlow' && flow.sourceRef === element).length;
    if (element.asyncAfter === true && GATEWAY_TYPES.has(element.$type) && outgoing > 1) {
      this.refuse(element, `${describe(element)} has camunda:asyncAfter="true" and ${outgoing} outgoing flows, which this engine does not run yet; put camunda:asyncBefore on the activities after it`);
    }
  }

  /**
   * A timer has one definition: a date, a duration or a cycle, checked now unless it is an expression. A timer start
   * event starts the process, so it sits in the process itself and names its schedule without variables.
   */
  private checkTimer(element: ModdleElement, definition: ModdleElement): void {
    const given = TIMER_TYPES.filter((type) => definition[type] !== undefined);
    if (given.length !== 1) {
      this.refuse(element, `${describe(element)} has a timer with ${given.length === 0 ? 'no timeDate, timeDuration or timeCycle' : `${given.join(' and ')}; a timer has exactly one of them`}`);
      return;
    }
    const type = given[0]!;
    const text = String((definition[type] as { body?: unknown } | undefined)?.body ?? '');
    // An event sub-process's timer start event is armed when its scope starts, where variables exist.
    const isStartEvent = element.$type === 'bpmn:StartEvent' && (element.$parent as ModdleElement | undefined)?.$type === 'bpmn:Process';
    if (isTimerExpression(text)) {
      if (isStartEvent) this.refuse(element, `${describe(element)} has the expression '${text}' as its ${type}; a timer start event is scheduled at deployment, where no variables exist: write the ${type} itself`);
      return;
    }
    try {
      parseTimerSchedule(type, text);
    } catch (error) {
      if (!(error instanceof TimerDefinitionError)) throw error;
      this.refuse(element, `${describe(element)} has an invalid ${type}: ${error.message}`);
    }
  }

  checkExtensions(element: ModdleElement): void {
    for (const extension of element.extensionElements?.values ?? []) {
      if (extension.$type === 'camunda:Connector') this.refuse(element, `${describe(element)} uses a connector, which runs Java; ${HOW_TO_CONVERT}`);
      if (LISTENER_TYPES.has(extension.$type)) {
        const kind = extension.$type === 'camunda:TaskListener' ? 'task listener' : 'execution listener';
        for (const attribute of JAVA_DELEGATE_ATTRIBUTES) {
          if (extension[attribute] !== undefined) this.refuse(element, `${describe(element)} has ${withArticle(kind)} with camunda:${attribute}, which runs Java; write it as camunda:expression or a FEEL script, or ${HOW_TO_CONVERT}`);
        }
        const script = extension.script as { scriptFormat?: string; resource?: string } | undefined;
        if (script?.resource) this.refuse(element, `${describe(element)} has ${withArticle(kind)} script loaded from a resource; inline the script`);
        else if (script) this.checkScript(element, script.scriptFormat, `${kind} script`);
        if ((extension.eventDefinitions as unknown[] | undefined)?.length) this.refuse(element, `${describe(element)} has a timeout task listener, which this engine does not run yet`);
      }
      if (extension.$type === 'camunda:InputOutput') this.checkMappingScripts(element, extension);
      if (extension.$type === 'camunda:ErrorEventDefinition') {
        this.refuse(element, `${describe(element)} has a camunda:errorEventDefinition (an error expression on an external task), which this engine does not run yet; report BPMN errors from the worker with bpmnError`);
      }
    }
  }

  private checkMappingScripts(element: ModdleElement, mapping: ModdleElement): void {
    const visit = (definition: ModdleElement | undefined): void => {
      if (!definition) return;
      if (definition.$type === 'camunda:Script') {
        if (definition.resource) this.refuse(element, `${describe(element)} has a mapping script loaded from a resource; inline the script`);
        else this.checkScript(element, definition.scriptFormat as string | undefined, 'mapping script');
      }
      for (const item of (definition.items as ModdleElement[] | undefined) ?? []) visit(item);
      for (const entry of (definition.entries as Array<{ definition?: ModdleElement }> | undefined) ?? []) visit(entry.definition);
    };
    for (const parameter of [...((mapping.inputParameters as ModdleElement[]) ?? []), ...((mapping.outputParameters as ModdleElement[]) ?? [])]) {
      visit(parameter.definition as ModdleElement | undefined);
    }
  }

  /** Multi-instance as Camunda runs it; a standard loop, and mappings or listeners per iteration, are not run yet. */
  private checkMultiInstance(element: ModdleElement, loop: ModdleElement): void {
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      this.refuse(element, `${describe(element)} is a standard loop (bpmn:standardLoopCharacteristics), which this engine does not run yet; use multi-instance`);
      return;
    }
    if (loop.collection === undefined && loop.loopCardinality === undefined) this.refuse(element, `${describe(element)} is multi-instance without camunda:collection or loopCardinality: either loopCardinality or collection must been set`);
    const perIteration = (element.extensionElements?.values ?? []).find((value) => value.$type === 'camunda:InputOutput' || value.$type === 'camunda:ExecutionListener');
    if (perIteration) this.refuse(element, `${describe(element)} is multi-instance with ${perIteration.$type === 'camunda:InputOutput' ? 'input/output mappings' : 'execution listeners'}, which this engine does not run per iteration yet`);
  }

  /** A message or signal event names its message or signal, and a conditional event has a condition this engine evaluates. */
  private checkEventReference(element: ModdleElement, definition: ModdleElement): void {
    if (definition.$type === 'bpmn:MessageEventDefinition' && !MESSAGE_THROWING_TYPES.has(element.$type) && !(definition.messageRef as { name?: string } | undefined)?.name) {
      this.refuse(element, `${describe(element)} has a message event definition without a messageRef to a message with a name`);
    }
    if (definition.$type === 'bpmn:SignalEventDefinition' && !(definition.signalRef as { name?: string } | undefined)?.name) {
      this.refuse(element, `${describe(element)} has a signal event definition without a signalRef to a signal with a name`);
    }
    if (definition.$type === 'bpmn:ConditionalEventDefinition') {
      const condition = definition.condition as { body?: string; language?: string; $attrs?: { language?: string } } | undefined;
      // A condition without xsi:type="bpmn:tFormalExpression" keeps its language among the unknown attributes.
      const language = condition?.language ?? condition?.$attrs?.language;
      if (!condition?.body?.trim()) this.refuse(element, `${describe(element)} has a conditional event definition without a condition`);
      else if (language !== undefined) this.refuse(element, `${describe(element)} has a conditional event condition in '${language}'; conditional events take JUEL conditions (\${…}) without a language`);
    }
  }

  /** An event-based gateway leads only to catch events, each with one message, signal, timer or conditional definition. */
  private checkEventBasedGateway(element: ModdleElement): void {
    const siblings = siblingsOf(element);
    for (const flow of siblings.filter((candidate) => candidate.$type === 'bpmn:SequenceFlow' && candidate.sourceRef === element)) {
      const target = flow.targetRef as ModdleElement | undefined;
      const definitions = target?.eventDefinitions ?? [];
      if (target?.$type !== 'bpmn:IntermediateCatchEvent' || definitions.length !== 1 || !GATED_DEFINITIONS.has(definitions[0]!.$type)) {
        this.refuse(element, `${describe(element)} leads to ${target ? describe(target) : 'nothing'}; an event-based gateway leads only to intermediate message, signal, timer or conditional catch events`);
      }
    }
  }

  /** An event sub-process starts at exactly one start event with a trigger, and no sequence flow enters or leaves it. */
  private checkEventSubProcess(element: ModdleElement): void {
    const starts = (element.flowElements ?? []).filter((child) => child.$type === 'bpmn:StartEvent');
    const definitions = starts[0]?.eventDefinitions ?? [];
    if (starts.length !== 1) this.refuse(element, `${describe(element)} is an event sub-process with ${starts.length} start events; it needs exactly one`);
    else if (definitions.length !== 1) this.refuse(element, `${describe(element)} is an event sub-process whose start event has ${definitions.length === 0 ? 'no event definition' : 'several event definitions'}; it needs exactly one (message, timer, signal, conditional, error or escalation)`);
    else if (!EVENT_SUB_PROCESS_TRIGGERS.has(definitions[0]!.$type)) this.refuse(element, `${describe(element)} is an event sub-process started by a ${definitions[0]!.$type.replace('bpmn:', '')}, which this engine does not run yet`);
    else if (definitions[0]!.$type === 'bpmn:ErrorEventDefinition' && starts[0]!.isInterrupting === false) this.refuse(element, `${describe(element)} is an event sub-process with a non-interrupting error start event; an error start event always interrupts`);
    const siblings = siblingsOf(element);
    if (siblings.some((flow) => flow.$type === 'bpmn:SequenceFlow' && (flow.sourceRef === element || flow.targetRef === element))) {
      this.refuse(element, `${describe(element)} is an event sub-process with a sequence flow entering or leaving it; an event sub-process has none`);
    }
  }

  /**
   * A compensation boundary event is associated with its handler, an activity marked `isForCompensation` that no
   * sequence flow enters or leaves; a compensation throw's `activityRef` names an activity of its scope.
   */
  private checkCompensation(element: ModdleElement): void {
    const siblings = siblingsOf(element);
    const artifacts = ((element.$parent as ModdleElement | undefined)?.artifacts as ModdleElement[] | undefined) ?? [];
    if (element.$type === 'bpmn:BoundaryEvent') {
      const handler = artifacts.find((artifact) => artifact.$type === 'bpmn:Association' && artifact.sourceRef === element)?.targetRef as ModdleElement | undefined;
      if (!handler) this.refuse(element, `${describe(element)} is a compensation boundary event without an association to its compensation handler`);
      else if (handler.isForCompensation !== true) this.refuse(element, `${describe(element)} is associated with ${describe(handler)}, which is not marked isForCompensation="true"`);
      else if (siblings.some((flow) => flow.$type === 'bpmn:SequenceFlow' && (flow.sourceRef === handler || flow.targetRef === handler))) {
        this.refuse(handler, `${describe(handler)} is a compensation handler with a sequence flow entering or leaving it; a compensation handler has none`);
      }
      return;
    }
    // A throw in an event sub-process compensates the scope the event sub-process belongs to.
    const parent = element.$parent as ModdleElement | undefined;
    const scope = parent?.triggeredByEvent ? (parent.$parent as ModdleElement | undefined) : parent;
    const definition = (element.eventDefinitions ?? []).find((each) => each.$type === COMPENSATE);
    const activity = definition?.activityRef as ModdleElement | undefined;
    if (activity && !(scope?.flowElements ?? []).includes(activity)) this.refuse(element, `${describe(element)} compensates ${describe(activity)}, which is not in its scope; this engine compensates activities of the throwing event's own scope`);
  }

  /** A link throw event names a link catch event of its scope. */
  private checkLink(element: ModdleElement): void {
    const link = (element.eventDefinitions ?? []).find((definition) => definition.$type === LINK);
    if (!link) return;
    const siblings = siblingsOf(element);
    const catches = siblings.filter((sibling) => sibling.$type === 'bpmn:IntermediateCatchEvent' && (sibling.eventDefinitions ?? []).some((definition) => definition.$type === LINK && definition.name === link.name));
    if (catches.length !== 1) this.refuse(element, `${describe(element)} links to '${String(link.name ?? '')}', which ${catches.length === 0 ? 'no link catch event' : 'more than one link catch event'} of its scope is named`);
  }

  /** Camunda's attribute rules for a call activity, so a wrong binding fails at deploy rather than at run time. */
  private checkCallActivity(element: ModdleElement): void {
    if (element.calledElement === undefined && element.caseRef !== undefined) this.refuse(element, `${describe(element)} calls a case (camunda:caseRef); this engine runs no CMMN`);
    else if (!String(element.calledElement ?? '').trim()) this.refuse(element, `${describe(element)} has no calledElement`);
    const binding = String(element.calledElementBinding ?? 'latest');
    if (!CALLED_ELEMENT_BINDINGS.has(binding)) this.refuse(element, `${describe(element)} has camunda:calledElementBinding '${binding}'; supported: latest, deployment, version, versionTag`);
    if (binding === 'version' && element.calledElementVersion === undefined) this.refuse(element, `${describe(element)} has camunda:calledElementBinding="version" and needs camunda:calledElementVersion`);
    if (binding === 'versionTag' && element.calledElementVersionTag === undefined) this.refuse(element, `${describe(element)} has camunda:calledElementBinding="versionTag" and needs camunda:calledElementVersionTag`);
    if (element.calledElementTenantId !== undefined) this.refuse(element, `${describe(element)} has camunda:calledElementTenantId, which this engine does not support yet (the child starts in the caller's tenant)`);
    for (const value of element.extensionElements?.values ?? []) {
      if (value.$type === 'camunda:In' || value.$type === 'camunda:Out') {
        const mapped = value.variables === 'all' || value.businessKey !== undefined || ((value.source !== undefined || value.sourceExpression !== undefined) && value.target !== undefined);
        if (!mapped) this.refuse(element, `${describe(element)} has a ${value.$type} without source or sourceExpression and target (or variables="all")`);
      }
    }
  }

  /** Camunda's attribute rules for camunda:decisionRef, so a wrong binding fails at deploy rather than at run time. */
  private checkDecisionTask(element: ModdleElement): void {
    const attributes = decisionTaskAttributes(element);
    if (!attributes.decisionRef.trim()) this.refuse(element, `${describe(element)} has an empty camunda:decisionRef`);
    if (!DECISION_BINDINGS.has(attributes.binding)) {
      this.refuse(element, `${describe(element)} has camunda:decisionRefBinding '${attributes.binding}'; supported: latest, deployment, version, versionTag`);
    }
    if (attributes.binding === 'version' && !attributes.version) this.refuse(element, `${describe(element)} has camunda:decisionRefBinding="version" and needs camunda:decisionRefVersion`);
    if (attributes.binding === 'versionTag' && !attributes.versionTag) this.refuse(element, `${describe(element)} has camunda:decisionRefBinding="versionTag" and needs camunda:decisionRefVersionTag`);
    if (!DECISION_RESULT_MAPPINGS.has(attributes.mapDecisionResult)) {
      this.refuse(element, `${describe(element)} has camunda:mapDecisionResult '${attributes.mapDecisionResult}'; supported: resultList, singleEntry, singleResult, collectEntries`);
    }
    if (attributes.tenantId) this.refuse(element, `${describe(element)} has camunda:decisionRefTenantId, which this engine does not support yet (decisions resolve in the process definition's tenant)`);
  }

  check(element: ModdleElement): void {
    const refusedWithReason = REFUSED_WITH_REASON[element.$type];
    if (refusedWithReason) {
      this.refuse(element, `${describe(element)} ${refusedWithReason}`);
      return;
    }
    if (!SUPPORTED_TYPES.has(element.$type)) {
      this.refuse(element, `${describe(element)} is not supported by this engine yet (supported: none, timer, message, signal and conditional start, catch and boundary events, signal, escalation, compensation and link throw events, signal, escalation and compensation end events, terminate, error and external message end events, error and escalation boundary events, event sub-processes, user, external, receive, expression, script and business rule (DMN) tasks, embedded sub-processes, call activities, exclusive, parallel, inclusive and event-based gateways)`);
      return;
    }
    this.checkAsync(element);
    const delegate = SERVICE_LIKE_TYPES.has(element.$type) ? javaDelegateOf(element) : null;
    if (delegate) this.checkDelegate(element, delegate);
    if (element.$type === 'bpmn:CallActivity') this.checkCallActivity(element);
    const decision = element.$type === 'bpmn:BusinessRuleTask' && element.decisionRef !== undefined;
    if (decision) this.checkDecisionTask(element);
    else if (SERVICE_LIKE_TYPES.has(element.$type) && !isExternalElement(element) && element.expression === undefined && !delegate) {
      this.refuse(element, `${describe(element)} needs an implementation: camunda:type="external" with camunda:topic, camunda:expression, or (business rule tasks) camunda:decisionRef`);
    }
    if (element.$type === 'bpmn:ScriptTask') {
      if (element.resource) this.refuse(element, `${describe(element)} loads its script from a resource; inline the script`);
      else this.checkScript(element, element.scriptFormat as string | undefined, 'script');
    }
    if (element.$type === 'bpmn:SubProcess' && element.triggeredByEvent) this.checkEventSubProcess(element);
    if (element.loopCharacteristics) this.checkMultiInstance(element, element.loopCharacteristics as ModdleElement);
    const allowed = SUPPORTED_EVENT_DEFINITIONS[element.$type] ?? new Set<string>();
    for (const definition of element.eventDefinitions ?? []) {
      // A message throw or end event with camunda:type="external" is external work, like a send task.
      const message = definition.$type === 'bpmn:MessageEventDefinition' && MESSAGE_THROWING_TYPES.has(element.$type);
      const messageDelegate = message ? javaDelegateOf(definition) : null;
      if (messageDelegate) this.checkDelegate(element, messageDelegate);
      else if (message && definition.expression !== undefined) this.refuse(element, `${describe(element)} runs camunda:expression on its message event definition, which this engine does not run yet; model the expression as a service task before it`);
      else if (definition.$type === 'bpmn:CancelEventDefinition') this.refuse(element, `${describe(element)} is a cancel event, which belongs to a transaction sub-process; this engine does not run transactions`);
      else if (!allowed.has(definition.$type) && !message) this.refuse(element, `${describe(element)} with a ${definition.$type.replace('bpmn:', '')} is not supported by this engine yet`);
    }
    for (const definition of element.eventDefinitions ?? []) {
      if (definition.$type === 'bpmn:TimerEventDefinition') this.checkTimer(element, definition);
      else this.checkEventReference(element, definition);
      const inEventSubProcess = (element.$parent as ModdleElement | undefined)?.triggeredByEvent === true;
      if (element.$type === 'bpmn:StartEvent' && THROWABLE.includes(definition.$type) && !inEventSubProcess) {
        this.refuse(element, `${describe(element)} is ${withArticle(definition.$type === 'bpmn:ErrorEventDefinition' ? 'error' : 'escalation')} start event outside an event sub-process; it only starts an event sub-process`);
      }
    }
    if (element.$type === 'bpmn:EventBasedGateway') this.checkEventBasedGateway(element);
    if ((element.eventDefinitions ?? []).some((definition) => definition.$type === COMPENSATE)) this.checkCompensation(element);
    if (element.$type === 'bpmn:IntermediateThrowEvent') this.checkLink(element);
    this.checkExtensions(element);
    const language = element.conditionExpression?.language;
    if (language !== undefined && language.toLowerCase() !== 'feel') {
      this.refuse(element, `${describe(element)} has a condition in '${language}'; conditions are JUEL (\${…}) or language="feel"`);
    }
    for (const child of element.flowElements ?? []) this.check(child);
  }
}

/** Lists every element of an executable process (sub-processes included) that this engine refuses, so one deploy reports them all. */
export function unsupportedElements(process: ModdleElement, options: CheckOptions): ParseProblem[] {
  const checker = new ElementChecker(options);
  checker.checkExtensions(process);
  // Listeners on the process itself would need process start/end hooks, which do not run yet: refuse, never ignore.
  if ((process.extensionElements?.values ?? []).some((value) => value.$type === 'camunda:ExecutionListener')) {
    checker.refuse(process, `${describe(process)} has execution listeners on the process itself, which this engine does not run yet; put them on its start or end event`);
  }
  for (const element of process.flowElements ?? []) checker.check(element);
  return checker.problems;
}

/** With DELEGATES_AS_EXTERNAL_TASKS, after the checks passed: every Java delegate of the process becomes an external task on its topic. */
export function runDelegatesAsExternalTasks(process: ModdleElement): void {
  for (const element of process.flowElements ?? []) {
    const carriers = SERVICE_LIKE_TYPES.has(element.$type) ? [element] : MESSAGE_THROWING_TYPES.has(element.$type) ? element.eventDefinitions ?? [] : [];
    for (const carrier of carriers) {
      const delegate = javaDelegateOf(carrier);
      if (delegate?.topic) runDelegateAsExternalTask(carrier, { ...delegate, topic: delegate.topic });
    }
    runDelegatesAsExternalTasks(element);
  }
}
