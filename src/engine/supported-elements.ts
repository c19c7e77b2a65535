/** Refuses, at deploy, elements this engine does not run yet or cannot run: a silently different run is worse than an error. */
import type { ParseProblem } from './bpmn-parser.js';
import { isExternalElement } from './external-work.js';
import { DECISION_BINDINGS, DECISION_RESULT_MAPPINGS, decisionTaskAttributes } from './decision-task.js';
import { isFeel, isJavaScript, type ScriptOptions } from './script-runner.js';

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
  'bpmn:UserTask',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ScriptTask',
  'bpmn:SubProcess',
  'bpmn:BoundaryEvent',
  'bpmn:ExclusiveGateway',
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

const SUPPORTED_EVENT_DEFINITIONS: Record<string, Set<string>> = {
  'bpmn:EndEvent': new Set(['bpmn:TerminateEventDefinition']),
  'bpmn:BoundaryEvent': new Set(['bpmn:ErrorEventDefinition']),
};

/** Service-like tasks run as external work, or evaluate a camunda:expression. */
const SERVICE_LIKE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

const LISTENER_TYPES = new Set(['camunda:ExecutionListener', 'camunda:TaskListener']);

/** Camunda attributes that name Java code; they cannot run outside a JVM. */
const JAVA_ATTRIBUTES = ['class', 'delegateExpression'];

const HOW_TO_CONVERT = 'model the work as an external task (camunda:type="external" camunda:topic="…") and run it in a worker';

function problemFor(element: ModdleElement, message: string): ParseProblem {
  const id = element.id ?? null;
  return { message, line: 0, column: 0, mainElementId: id, elementIds: id ? [id] : [] };
}

function describe(element: ModdleElement): string {
  return `${element.$type.replace(/^\w+:/, '')} '${element.id ?? '?'}'`;
}

class ElementChecker {
  readonly problems: ParseProblem[] = [];

  constructor(private readonly scripts: ScriptOptions) {}

  private refuse(element: ModdleElement, message: string): void {
    this.problems.push(problemFor(element, message));
  }

  private checkScript(element: ModdleElement, format: string | undefined, what: string): void {
    if (isFeel(format)) return;
    if (isJavaScript(format)) {
      if (!this.scripts.javascript) this.refuse(element, `${describe(element)} has a JavaScript ${what}; JavaScript is off (set JAVASCRIPT_SCRIPTS=true for trusted deployments) — use scriptFormat="feel"`);
      return;
    }
    this.refuse(element, `${describe(element)} has a ${what} in '${format ?? ''}'; scripts are FEEL (or JavaScript when enabled)`);
  }

  checkExtensions(element: ModdleElement): void {
    for (const extension of element.extensionElements?.values ?? []) {
      if (extension.$type === 'camunda:Connector') this.refuse(element, `${describe(element)} uses a connector, which runs Java; ${HOW_TO_CONVERT}`);
      if (LISTENER_TYPES.has(extension.$type)) {
        const kind = extension.$type === 'camunda:TaskListener' ? 'task listener' : 'execution listener';
        for (const attribute of JAVA_ATTRIBUTES) {
          if (extension[attribute] !== undefined) this.refuse(element, `${describe(element)} has a ${kind} with camunda:${attribute}, which runs Java; write it as camunda:expression or a FEEL script, or ${HOW_TO_CONVERT}`);
        }
        const script = extension.script as { scriptFormat?: string; resource?: string } | undefined;
        if (script?.resource) this.refuse(element, `${describe(element)} has a ${kind} script loaded from a resource; inline the script`);
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
    if (!SUPPORTED_TYPES.has(element.$type)) {
      this.refuse(element, `${describe(element)} is not supported by this engine yet (supported: start, end, terminate and external message events, error boundary events, user, external, expression, script and business rule (DMN) tasks, embedded sub-processes, exclusive, parallel and inclusive gateways)`);
      return;
    }
    for (const attribute of JAVA_ATTRIBUTES) {
      if (element[attribute] !== undefined) this.refuse(element, `${describe(element)} uses camunda:${attribute}, which runs Java; ${HOW_TO_CONVERT}`);
    }
    const decision = element.$type === 'bpmn:BusinessRuleTask' && element.decisionRef !== undefined;
    if (decision) this.checkDecisionTask(element);
    else if (SERVICE_LIKE_TYPES.has(element.$type) && !isExternalElement(element) && element.expression === undefined && !JAVA_ATTRIBUTES.some((a) => element[a] !== undefined)) {
      this.refuse(element, `${describe(element)} needs an implementation: camunda:type="external" with camunda:topic, camunda:expression, or (business rule tasks) camunda:decisionRef`);
    }
    if (element.$type === 'bpmn:ScriptTask') {
      if (element.resource) this.refuse(element, `${describe(element)} loads its script from a resource; inline the script`);
      else this.checkScript(element, element.scriptFormat as string | undefined, 'script');
    }
    if (element.$type === 'bpmn:SubProcess' && element.triggeredByEvent) this.refuse(element, `${describe(element)} is an event sub-process, which this engine does not run yet`);
    if (element.loopCharacteristics) this.refuse(element, `${describe(element)} is a multi-instance or loop activity, which this engine does not run yet`);
    const allowed = SUPPORTED_EVENT_DEFINITIONS[element.$type] ?? new Set<string>();
    for (const definition of element.eventDefinitions ?? []) {
      // A message throw or end event with camunda:type="external" is external work, like a send task.
      const externalMessage = definition.$type === 'bpmn:MessageEventDefinition' && definition.type === 'external';
      if (!allowed.has(definition.$type) && !externalMessage) this.refuse(element, `${describe(element)} with a ${definition.$type.replace('bpmn:', '')} is not supported by this engine yet`);
    }
    this.checkExtensions(element);
    const language = element.conditionExpression?.language;
    if (language !== undefined && language.toLowerCase() !== 'feel') {
      this.refuse(element, `${describe(element)} has a condition in '${language}'; conditions are JUEL (\${…}) or language="feel"`);
    }
    for (const child of element.flowElements ?? []) this.check(child);
  }
}

/** Lists every element of an executable process (sub-processes included) that this engine refuses, so one deploy reports them all. */
export function unsupportedElements(process: ModdleElement, scripts: ScriptOptions = { javascript: false }): ParseProblem[] {
  const checker = new ElementChecker(scripts);
  checker.checkExtensions(process);
  // Listeners on the process itself would need process start/end hooks, which do not run yet: refuse, never ignore.
  if ((process.extensionElements?.values ?? []).some((value) => value.$type === 'camunda:ExecutionListener')) {
    checker.problems.push(problemFor(process, `${describe(process)} has execution listeners on the process itself, which this engine does not run yet; put them on its start or end event`));
  }
  for (const element of process.flowElements ?? []) checker.check(element);
  return checker.problems;
}
