/** Parses and validates a BPMN 2.0 resource (Camunda Modeler's dialect) into the serialized context the engine runs. */
import { BpmnModdle } from 'bpmn-moddle';
import serializer from 'moddle-context-serializer';
import { ParseError } from '../core/errors.js';
import type { ParseProblem } from '../core/parse-problem.js';
import { camundaModdle } from './camunda-moddle.js';
import { typeResolver } from './element-types.js';
import type { ScriptOptions } from './script-runner.js';
import { unsupportedElements } from './supported-elements.js';

export interface ParsedProcess {
  key: string;
  name: string | null;
  versionTag: string | null;
  historyTimeToLive: number | null;
  startableInTasklist: boolean;
}

export interface ParsedBpmn {
  processes: ParsedProcess[];
  /** moddle-context-serializer output: the definition as JSON, parsed once per deployment. */
  serializedContext: string;
  warnings: string[];
}

export type { ParseProblem };

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  isExecutable?: boolean;
  versionTag?: string;
  historyTimeToLive?: string | number;
  isStartableInTasklist?: boolean;
  rootElements?: ModdleElement[];
  $attrs?: Record<string, string>;
}

interface ModdleWarning {
  message: string;
  element?: { id?: string };
}

const PARSE_MESSAGE_PREFIX = 'ENGINE-09005 Could not parse BPMN process.';

/** Thrown (as a ParseError) with Camunda's ENGINE-09005 message and per-resource details Camunda Modeler shows. */
export function bpmnParseError(resourceName: string, problems: ParseProblem[], warnings: ParseProblem[] = []): ParseError {
  const errors = problems.map((p) => `* ${p.message}${p.mainElementId ? ` | resource ${resourceName} | element ${p.mainElementId}` : ` | resource ${resourceName}`} | line ${p.line} | column ${p.column}`);
  return new ParseError(`${PARSE_MESSAGE_PREFIX} Errors: \n${errors.join('\n')}`, {
    [resourceName]: { errors: problems, warnings },
  });
}

function problem(message: string, elementId: string | null = null, line = 0, column = 0): ParseProblem {
  return { message, line, column, mainElementId: elementId, elementIds: elementId ? [elementId] : [] };
}

/** The 1-based position Camunda reports (its SAX locator counts from 1), from moddle's 0-based "line: n column: m". */
function positionOf(message: string): { line: number; column: number } {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  return { line: line ? Number(line[1]) + 1 : 0, column: column ? Number(column[1]) + 1 : 0 };
}

function parseTimeToLive(value: string | number | undefined): number | null {
  if (value === undefined || value === null || value === '') return null;
  const days = Number(value);
  return Number.isInteger(days) && days >= 0 ? days : null;
}

/** Parses BPMN XML; throws a ParseError naming every problem. Processes with isExecutable="false" are skipped with a warning. */
export async function parseBpmn(resourceName: string, xml: string, scripts: ScriptOptions = { javascript: false }): Promise<ParsedBpmn> {
  // Entity declarations enable expansion attacks ("billion laughs") and external entity reads; BPMN never needs them.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw bpmnParseError(resourceName, [problem('DOCTYPE and ENTITY declarations are not allowed in BPMN resources')]);
  }
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  let context: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    context = await moddle.fromXML(xml.trim());
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message.replace(/\s+/g, ' ') : String(thrown);
    const { line, column } = positionOf(thrown instanceof Error ? thrown.message : '');
    throw bpmnParseError(resourceName, [problem(message, null, line, column)]);
  }

  const root = context.rootElement as unknown as ModdleElement;
  const moddleWarnings = (context.warnings ?? []) as unknown as ModdleWarning[];
  // Unknown attributes and elements (other tools' extensions) are tolerated as Camunda does; broken references are not.
  const toProblem = (w: ModdleWarning) => problem(w.message.replace(/\s+/g, ' '), w.element?.id ?? null, positionOf(w.message).line, positionOf(w.message).column);
  const fatal = moddleWarnings.filter((w) => !/^unknown (attribute|element)/.test(w.message));
  if (fatal.length > 0) throw bpmnParseError(resourceName, fatal.map(toProblem));

  const warnings: string[] = moddleWarnings.filter((w) => !fatal.includes(w)).map((w) => `${resourceName}: ${w.message}`);
  const processes: ParsedProcess[] = [];
  const refused: ParseProblem[] = [];
  for (const element of root.rootElements ?? []) {
    if (element.$type !== 'bpmn:Process' || !element.id) continue;
    if (!element.isExecutable) {
      warnings.push(`Process '${element.id}' in resource '${resourceName}' has isExecutable="false" and is not deployed as a process definition.`);
      continue;
    }
    refused.push(...unsupportedElements(element as never, scripts));
    processes.push({
      key: element.id,
      name: element.name ?? null,
      versionTag: element.versionTag ?? null,
      historyTimeToLive: parseTimeToLive(element.historyTimeToLive),
      startableInTasklist: element.isStartableInTasklist !== false,
    });
  }
  if (refused.length > 0) throw bpmnParseError(resourceName, refused);
  if (processes.length === 0) {
    throw bpmnParseError(resourceName, [problem(`Resource '${resourceName}' contains no executable process (set isExecutable="true" on a process).`)]);
  }

  const serializedContext = serializer(context as never, typeResolver).serialize();
  return { processes, serializedContext, warnings };
}
