/**
 * Camunda's call activity attributes: which definition to call (`calledElement`, `camunda:calledElementBinding`) and
 * the variables handed in and out (`camunda:in`, `camunda:out`), resolved against the caller's or the child's variables.
 */
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression, type ExpressionContext } from '../expressions/index.js';

export type CalledElementBinding = 'latest' | 'version' | 'versionTag' | 'deployment';
export const CALLED_ELEMENT_BINDINGS: ReadonlySet<string> = new Set(['latest', 'version', 'versionTag', 'deployment']);

/** One `camunda:in` or `camunda:out`. */
export interface VariableMapping {
  source?: string;
  sourceExpression?: string;
  target?: string;
  /** `variables="all"`. */
  all: boolean;
  /** `local="true"`: with `all`, only the call activity's own (local) variables. */
  local: boolean;
  /** `camunda:in businessKey="…"`. */
  businessKey?: string;
}

export interface CallActivityAttributes {
  calledElement: string;
  binding: CalledElementBinding;
  version?: string;
  versionTag?: string;
  ins: VariableMapping[];
  outs: VariableMapping[];
}

interface MappingElement {
  $type: string;
  source?: string;
  sourceExpression?: string;
  target?: string;
  variables?: string;
  local?: boolean | string;
  businessKey?: string;
}

function mappingOf(element: MappingElement): VariableMapping {
  return {
    source: element.source, sourceExpression: element.sourceExpression, target: element.target,
    all: element.variables === 'all', local: element.local === true || element.local === 'true', businessKey: element.businessKey,
  };
}

export function callActivityAttributes(behaviour: Record<string, unknown>): CallActivityAttributes {
  const values = ((behaviour.extensionElements as { values?: MappingElement[] } | undefined)?.values ?? []);
  return {
    calledElement: String(behaviour.calledElement ?? ''),
    binding: (behaviour.calledElementBinding as CalledElementBinding | undefined) ?? 'latest',
    version: behaviour.calledElementVersion === undefined ? undefined : String(behaviour.calledElementVersion),
    versionTag: behaviour.calledElementVersionTag === undefined ? undefined : String(behaviour.calledElementVersionTag),
    ins: values.filter((value) => value.$type === 'camunda:In').map(mappingOf),
    outs: values.filter((value) => value.$type === 'camunda:Out').map(mappingOf),
  };
}

/** A text attribute that may be an expression (`${…}`/`#{…}`). */
export function resolveAttribute(text: string, context: ExpressionContext, where: string): unknown {
  if (!/[$#]\{/.test(text)) return text;
  try {
    return compileExpression(text).evaluate(context);
  } catch (error) {
    throw new ProcessEngineError(`Cannot resolve ${where} '${text}': ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The variables a mapping list hands over: `variables="all"` copies every visible (or, with `local`, every local)
 * variable; `source` copies one (null when it does not exist, as Camunda); `sourceExpression` evaluates.
 */
export function mappedVariables(mappings: VariableMapping[], from: { visible: Record<string, unknown>; local: Record<string, unknown>; context: ExpressionContext }, where: string): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const mapping of mappings) {
    if (mapping.businessKey !== undefined) continue;
    if (mapping.all) {
      for (const [name, value] of Object.entries(mapping.local ? from.local : from.visible)) result.set(name, value);
      continue;
    }
    if (!mapping.target) continue;
    if (mapping.sourceExpression !== undefined) result.set(mapping.target, resolveAttribute(mapping.sourceExpression, from.context, `${where} sourceExpression`));
    else if (mapping.source !== undefined) result.set(mapping.target, Object.prototype.hasOwnProperty.call(from.visible, mapping.source) ? from.visible[mapping.source] : null);
  }
  return result;
}

/** The business key `camunda:in businessKey="…"` gives the child, or null. */
export function calledBusinessKey(attributes: CallActivityAttributes, context: ExpressionContext, where: string): string | null {
  const mapping = attributes.ins.find((value) => value.businessKey !== undefined);
  if (!mapping) return null;
  const value = resolveAttribute(mapping.businessKey!, context, `${where} businessKey`);
  return value === null || value === undefined ? null : String(value);
}
