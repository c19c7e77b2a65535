/** Refuses, at deploy, elements this engine does not run yet or cannot run: a silently different run is worse than an error. */
import type { ParseProblem } from './bpmn-parser.js';
import { isExternalElement } from './external-work.js';

interface ModdleElement {
  $type: string;
  id?: string;
  flowElements?: ModdleElement[];
  artifacts?: ModdleElement[];
  eventDefinitions?: ModdleElement[];
  conditionExpression?: { language?: string };
  extensionElements?: { values?: ModdleElement[] };
  $attrs?: Record<string, string>;
  [key: string]: unknown;
}

/** Element types that run with Camunda's semantics; event definitions are checked separately. */
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
  'bpmn:BoundaryEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
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

/** Elements that run only as external work, handed to workers through the external-task API. */
const EXTERNAL_ONLY_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

/** Camunda extensions with runtime meaning that this engine does not carry out yet. */
const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  'camunda:ExecutionListener': 'execution listeners',
  'camunda:TaskListener': 'task listeners',
  'camunda:InputOutput': 'input/output mappings',
  'camunda:Connector': 'connectors',
};

/** Camunda attributes that name Java code; they cannot run outside a JVM. */
const JAVA_ATTRIBUTES = ['class', 'delegateExpression'];

function problemFor(element: ModdleElement, message: string): ParseProblem {
  const id = element.id ?? null;
  return { message, line: 0, column: 0, mainElementId: id, elementIds: id ? [id] : [] };
}

function describe(element: ModdleElement): string {
  return `${element.$type.replace('bpmn:', '')} '${element.id ?? '?'}'`;
}

function checkElement(element: ModdleElement, problems: ParseProblem[]): void {
  if (!SUPPORTED_TYPES.has(element.$type)) {
    problems.push(problemFor(element, `${describe(element)} is not supported by this engine yet (supported: start, end and terminate end events, user tasks, external tasks, error boundary events, exclusive and parallel gateways)`));
    return;
  }
  const external = isExternalElement(element);
  if (EXTERNAL_ONLY_TYPES.has(element.$type) && !external && element.class === undefined && element.delegateExpression === undefined) {
    problems.push(problemFor(element, `${describe(element)} must be an external task (camunda:type="external" camunda:topic="…"); this engine runs no Java or expressions as service implementations yet`));
  }
  const allowed = SUPPORTED_EVENT_DEFINITIONS[element.$type] ?? new Set<string>();
  for (const definition of element.eventDefinitions ?? []) {
    // A message throw or end event with camunda:type="external" is external work, like a send task.
    const externalMessage = definition.$type === 'bpmn:MessageEventDefinition' && definition.type === 'external';
    if (!allowed.has(definition.$type) && !externalMessage) {
      problems.push(problemFor(element, `${describe(element)} with a ${definition.$type.replace('bpmn:', '')} is not supported by this engine yet`));
    }
  }
  for (const attribute of JAVA_ATTRIBUTES) {
    if (element[attribute] !== undefined) {
      problems.push(problemFor(element, `${describe(element)} uses camunda:${attribute}, which runs Java code; model it as an external task (camunda:type="external") instead`));
    }
  }
  for (const extension of element.extensionElements?.values ?? []) {
    const what = UNSUPPORTED_EXTENSIONS[extension.$type];
    if (what) problems.push(problemFor(element, `${describe(element)} has ${what} (${extension.$type}), which this engine does not run yet`));
  }
  const language = element.conditionExpression?.language;
  if (language !== undefined && language.toLowerCase() !== 'feel') {
    problems.push(problemFor(element, `${describe(element)} has a condition in '${language}'; conditions are JUEL (\${…}) or language="feel"`));
  }
}

/** Lists every element of an executable process that this engine refuses, so one deploy reports them all. */
export function unsupportedElements(process: ModdleElement): ParseProblem[] {
  const problems: ParseProblem[] = [];
  for (const element of process.flowElements ?? []) checkElement(element, problems);
  return problems;
}
