/** Parses and validates a BPMN 2.0 resource (Camunda Modeler's dialect) into the serialized context the engine runs. */
import { BpmnModdle } from 'bpmn-moddle';
import serializer from 'moddle-context-serializer';
import { ParseError } from '../core/errors.js';
import type { ParseProblem } from '../core/parse-problem.js';
import { positionsOf } from '../core/xml-start-tags.js';
import { readBpmnSource, type BpmnSource, type SourcePosition } from './bpmn-source.js';
import { camundaModdle } from './camunda-moddle.js';
import { typeResolver } from './element-types.js';
import type { ScriptOptions } from './script-runner.js';
import { serializedContextsByProcess } from './process-context.js';
import { insertAsyncContinuations } from './async-continuations.js';
import { jobDeclarationsOf, type JobDeclaration } from './job-declarations.js';
import { eventStartsOf, type EventStartDeclaration } from './event-subscriptions.js';
import { runDelegatesAsExternalTasks, unsupportedElements } from './supported-elements.js';
import { formDataProblems } from './form-data.js';

export interface ParsedProcess {
  key: string;
  name: string | null;
  versionTag: string | null;
  historyTimeToLive: number | null;
  startableInTasklist: boolean;
  /** Where the process element starts in the file, for problems found later (e.g. a key deployed twice). */
  position: SourcePosition;
  /** The file's serialized context cut down to this process (see process-context.ts): what its definition runs. */
  serializedContext: string;
  /** Its timer events and async continuations: the job definitions a deployment creates. */
  jobDeclarations: JobDeclaration[];
  /** Message, signal and conditional start events: subscriptions of the definition while it is the latest version. */
  eventStarts: EventStartDeclaration[];
}

export interface ParsedBpmn {
  processes: ParsedProcess[];
  /** moddle-context-serializer output for the whole file. */
  serializedContext: string;
  warnings: string[];
}

export interface BpmnParseOptions {
  scripts?: ScriptOptions;
  /** Deploy `camunda:class`/`camunda:delegateExpression` tasks as external tasks on the class or bean name (DELEGATES_AS_EXTERNAL_TASKS). */
  delegatesAsExternalTasks?: boolean;
}

export type { ParseProblem };

interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  $instanceOf?(type: string): boolean;
  id?: string;
  name?: string;
  isExecutable?: boolean;
  versionTag?: string;
  historyTimeToLive?: string | number;
  isStartableInTasklist?: boolean;
  rootElements?: ModdleElement[];
}

interface ModdleWarning {
  message: string;
  element?: ModdleElement;
  property?: string;
  value?: string;
}

const PARSE_MESSAGE_PREFIX = 'ENGINE-09005 Could not parse BPMN process.';

/** Camunda 7 reads Activiti's extension namespace as its own (BpmnParser.ACTIVITI_BPMN_EXTENSIONS_NS). */
const ACTIVITI_NS = 'http://activiti.org/bpmn';

const NOWHERE: SourcePosition = { line: 0, column: 0 };

/** Thrown (as a ParseError) with Camunda's ENGINE-09005 message and per-resource details Camunda Modeler shows. */
export function bpmnParseError(resourceName: string, problems: ParseProblem[], warnings: ParseProblem[] = []): ParseError {
  const errors = problems.map((p) => `* ${p.message}${p.mainElementId ? ` | resource ${resourceName} | element ${p.mainElementId}` : ` | resource ${resourceName}`} | line ${p.line} | column ${p.column}`);
  return new ParseError(`${PARSE_MESSAGE_PREFIX} Errors: \n${errors.join('\n')}`, {
    [resourceName]: { errors: problems, warnings },
  });
}

function problem(message: string, elementId: string | null, position: SourcePosition): ParseProblem {
  return { message, line: position.line, column: position.column, mainElementId: elementId, elementIds: elementId ? [elementId] : [] };
}

/** The 1-based position Camunda reports (its SAX locator counts from 1), from moddle's 0-based "line: n column: m". */
function moddlePosition(message: string, leadingLines: number): SourcePosition {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  return line && column ? { line: Number(line[1]) + 1 + leadingLines, column: Number(column[1]) + 1 } : NOWHERE;
}

/** Days, as Camunda's ParseUtil reads them: a whole number, or an ISO 8601 period of days (`P30D`). */
function parseTimeToLive(value: string | number | undefined): number | null {
  if (value === undefined || value === null || value === '') return null;
  const period = typeof value === 'string' ? /^P(\d+)D$/.exec(value.trim()) : null;
  const days = Number(period ? period[1] : value);
  return Number.isInteger(days) && days >= 0 ? days : null;
}

function typeName(element: ModdleElement): string {
  return element.$type.replace(/^\w+:/, '');
}

/** The element a user finds in the diagram: the nearest flow element or top-level element (an event, not its event definition). */
function diagramElementOf(element: ModdleElement): ModdleElement {
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.id && (current.$instanceOf?.('bpmn:FlowElement') || current.$parent?.$type === 'bpmn:Definitions')) return current;
  }
  return element;
}

function executableProcessOf(element: ModdleElement): ModdleElement | undefined {
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.$type === 'bpmn:Process') return current.isExecutable ? current : undefined;
  }
  return undefined;
}

/**
 * References Camunda never follows: outside executable processes (the diagram's shapes of deleted elements,
 * collaborations, black-box pools), a flow node's incoming/outgoing (the flows' sourceRef/targetRef are what count)
 * and a lane's flowNodeRef.
 */
function isIgnoredReference(warning: ModdleWarning): boolean {
  const element = warning.element!;
  const property = (warning.property ?? '').replace(/^\w+:/, '');
  return !executableProcessOf(element) || ['incoming', 'outgoing'].includes(property) || (element.$type === 'bpmn:Lane' && property === 'flowNodeRef');
}

function unresolvedReference(warning: ModdleWarning, source: BpmnSource): ParseProblem {
  const element = warning.element!;
  const shown = diagramElementOf(element);
  const owner = shown === element ? '' : ` of ${typeName(shown)} '${shown.id}'`;
  const property = (warning.property ?? '').replace(/^\w+:/, '');
  // Camunda reads an unknown errorRef as the error code itself; here the boundary event would catch every code instead.
  const hint = property === 'errorRef' ? `; declare <bpmn:error id="${warning.value}" errorCode="…"> (Camunda would use '${warning.value}' as the error code)` : '';
  const message = `${typeName(element)}${element.id ? ` '${element.id}'` : ''}${owner} refers with ${property} to '${warning.value}', which is not an element of this file${hint}`;
  return problem(message, shown.id ?? null, source.positionOf(element.id ?? '') ?? source.positionOf(shown.id ?? '') ?? NOWHERE);
}

/** Form fields Camunda's parser refuses (unknown type, unknown validator), on every element of a scope. */
function formProblemsOf(scope: ModdleElement & { flowElements?: ModdleElement[] }, source: BpmnSource): ParseProblem[] {
  return (scope.flowElements ?? []).flatMap((element) => [
    ...formDataProblems(element as never).map((message) => problem(message, element.id ?? null, source.positionOf(element.id ?? '') ?? NOWHERE)),
    ...formProblemsOf(element, source),
  ]);
}

/** Parses BPMN XML; throws a ParseError naming every problem. Processes with isExecutable="false" are skipped with a warning. */
export async function parseBpmn(resourceName: string, uploaded: string, options: BpmnParseOptions = {}): Promise<ParsedBpmn> {
  // Entity declarations enable expansion attacks ("billion laughs") and external entity reads; BPMN never needs them.
  const declaration = /<!DOCTYPE|<!ENTITY/i.exec(uploaded);
  if (declaration) {
    throw bpmnParseError(resourceName, [problem('DOCTYPE and ENTITY declarations are not allowed in BPMN resources', null, positionsOf(uploaded)(declaration.index))]);
  }
  const source = readBpmnSource(uploaded);
  const trimmed = source.xml.trim();
  const leadingLines = source.xml.slice(0, source.xml.indexOf(trimmed)).split('\n').length - 1;
  // A problem of the whole document (e.g. the BPMN 2.0 beta namespace) has no position of its own: it points at the root.
  const moddleProblem = (message: string) => {
    const position = moddlePosition(message, leadingLines);
    if (position === NOWHERE) return problem(message.replace(/\s+/g, ' '), source.root?.id ?? null, source.root?.position ?? NOWHERE);
    return problem(message.replace(/\s+/g, ' '), source.elementIdAt(position), position);
  };
  const moddle = new BpmnModdle({ camunda: camundaModdle }, { nsMap: { [ACTIVITI_NS]: 'camunda' } });
  let context: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    context = await moddle.fromXML(trimmed);
  } catch (thrown) {
    throw bpmnParseError(resourceName, [moddleProblem(thrown instanceof Error ? thrown.message : String(thrown))]);
  }

  const root = context.rootElement as unknown as ModdleElement;
  const warnings: string[] = source.generatedIds.map(({ id, tag, position }) => `${resourceName}: <${tag}> at line ${position.line}, column ${position.column} has no id; it runs as '${id}'`);
  const problems: ParseProblem[] = [];
  // Unknown attributes and elements (other tools' extensions) are tolerated as Camunda does; broken references are not.
  for (const warning of context.warnings as unknown as ModdleWarning[]) {
    const unresolved = warning.message.startsWith('unresolved reference') && warning.element;
    if (/^unknown (attribute|element)/.test(warning.message)) warnings.push(`${resourceName}: ${warning.message}`);
    else if (unresolved && isIgnoredReference(warning)) warnings.push(`${resourceName}: ${unresolvedReference(warning, source).message}; ignored, as Camunda does`);
    else if (unresolved) problems.push(unresolvedReference(warning, source));
    else problems.push(moddleProblem(warning.message));
  }

  const processes: Array<Omit<ParsedProcess, 'serializedContext'>> = [];
  const checkOptions = { scripts: options.scripts ?? { javascript: false }, delegatesAsExternalTasks: options.delegatesAsExternalTasks ?? false, positionOf: source.positionOf };
  for (const element of root.rootElements ?? []) {
    if (element.$type !== 'bpmn:Process' || !element.id) continue;
    if (!element.isExecutable) {
      warnings.push(`Process '${element.id}' in resource '${resourceName}' has isExecutable="false" and is not deployed as a process definition.`);
      continue;
    }
    problems.push(...unsupportedElements(element as never, checkOptions), ...formProblemsOf(element, source));
    processes.push({
      key: element.id,
      name: element.name ?? null,
      versionTag: element.versionTag ?? null,
      historyTimeToLive: parseTimeToLive(element.historyTimeToLive),
      startableInTasklist: element.isStartableInTasklist !== false,
      position: source.positionOf(element.id) ?? NOWHERE,
      jobDeclarations: jobDeclarationsOf(element as never),
      eventStarts: eventStartsOf(element as never),
    });
  }
  if (problems.length > 0) throw bpmnParseError(resourceName, problems);
  if (processes.length === 0) {
    throw bpmnParseError(resourceName, [problem(`Resource '${resourceName}' contains no executable process (set isExecutable="true" on a process).`, source.root?.id ?? null, source.root?.position ?? NOWHERE)]);
  }

  for (const element of root.rootElements ?? []) {
    if (element.$type !== 'bpmn:Process' || !element.isExecutable) continue;
    if (checkOptions.delegatesAsExternalTasks) runDelegatesAsExternalTasks(element as never);
    insertAsyncContinuations(element as never, moddle as never, context as never);
  }
  const serializedContext = serializer(context as never, typeResolver).serialize();
  const contexts = serializedContextsByProcess(serializedContext, processes.map((process) => process.key));
  return { processes: processes.map((process) => ({ ...process, serializedContext: contexts.get(process.key)! })), serializedContext, warnings };
}
