/** Business rule tasks with camunda:decisionRef: which decision to evaluate, and Camunda's decision result mappers. */
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression, isExpression, type ExpressionContext } from '../expressions/index.js';
import { evaluateDecision, type DecisionEvaluation, type DmnModel } from '../dmn/index.js';

export type DecisionBinding = 'latest' | 'deployment' | 'version' | 'versionTag';
export type DecisionResultMapping = 'resultList' | 'singleEntry' | 'singleResult' | 'collectEntries';

export const DECISION_BINDINGS: ReadonlySet<string> = new Set<DecisionBinding>(['latest', 'deployment', 'version', 'versionTag']);
export const DECISION_RESULT_MAPPINGS: ReadonlySet<string> = new Set<DecisionResultMapping>(['resultList', 'singleEntry', 'singleResult', 'collectEntries']);

/** Which decision definition a task evaluates, with expressions already resolved. */
export interface DecisionReference {
  key: string;
  binding: DecisionBinding;
  version: number | null;
  versionTag: string | null;
}

/**
 * The decisions a command may evaluate, prepared by the service before the run (the engine cannot await the
 * database). `undefined` means "not prepared": the engine then fails with DecisionNotPreparedError, and the service
 * resolves that reference and runs the command again.
 */
export type DecisionLookup = (reference: DecisionReference) => DmnModel | undefined;

export class DecisionNotPreparedError extends ProcessEngineError {
  constructor(readonly reference: DecisionReference) {
    super(`Decision '${reference.key}' (binding ${reference.binding}) was not prepared for this command`);
  }
}

/** The raw camunda:* attributes of a business rule task (moddle element or serialized behaviour). */
export interface DecisionTaskAttributes {
  decisionRef: string;
  binding: string;
  version: string | null;
  versionTag: string | null;
  tenantId: string | null;
  mapDecisionResult: string;
  resultVariable: string | null;
}

function text(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

export function decisionTaskAttributes(element: Record<string, unknown>): DecisionTaskAttributes {
  return {
    decisionRef: String(element.decisionRef ?? ''),
    binding: text(element.decisionRefBinding) ?? 'latest',
    version: text(element.decisionRefVersion),
    versionTag: text(element.decisionRefVersionTag),
    tenantId: text(element.decisionRefTenantId),
    mapDecisionResult: text(element.mapDecisionResult) ?? 'resultList',
    resultVariable: text(element.resultVariable),
  };
}

export function isDecisionTask(behaviour: Record<string, unknown>): boolean {
  return behaviour.$type === 'bpmn:BusinessRuleTask' && typeof behaviour.decisionRef === 'string';
}

function resolve(value: string, context: () => ExpressionContext): unknown {
  return isExpression(value) ? compileExpression(value).evaluate(context()) : value;
}

/** Resolves the reference; expressions (`${…}`) in decisionRef, decisionRefVersion and decisionRefVersionTag are JUEL. */
export function decisionReferenceOf(attributes: DecisionTaskAttributes, context: () => ExpressionContext): DecisionReference {
  const key = resolve(attributes.decisionRef, context);
  if (typeof key !== 'string' || key === '') throw new ProcessEngineError(`camunda:decisionRef '${attributes.decisionRef}' did not resolve to a decision key (got ${String(key)})`);
  const binding = attributes.binding as DecisionBinding;
  let version: number | null = null;
  if (binding === 'version') {
    version = Number(resolve(attributes.version ?? '', context));
    if (!Number.isInteger(version)) throw new ProcessEngineError(`camunda:decisionRefVersion '${attributes.version ?? ''}' is not a version number`);
  }
  const versionTag = binding === 'versionTag' ? String(resolve(attributes.versionTag ?? '', context)) : null;
  return { key, binding, version, versionTag };
}

/** Static references (no expressions): what the service can prepare without running the process. */
export function staticDecisionReference(attributes: DecisionTaskAttributes): DecisionReference | null {
  const parts = [attributes.decisionRef, attributes.version ?? '', attributes.versionTag ?? ''];
  if (parts.some((part) => isExpression(part))) return null;
  try {
    return decisionReferenceOf(attributes, () => {
      throw new ProcessEngineError('no expression context');
    });
  } catch {
    return null;
  }
}

function describeResult(resultList: ReadonlyArray<Record<string, unknown>>): string {
  try {
    return JSON.stringify(resultList);
  } catch {
    return String(resultList);
  }
}

function mappingFailure(mapper: string, resultList: ReadonlyArray<Record<string, unknown>>, reason: string): ProcessEngineError {
  return new ProcessEngineError(`ENGINE-22001 The decision result mapper '${mapper}' failed to process '${describeResult(resultList)}': ${reason}`);
}

/** Camunda's DecisionResultMapper implementations, with its ENGINE-22001/22002 errors when the result does not fit. */
export function mapDecisionResult(mapping: DecisionResultMapping, resultList: Array<Record<string, unknown>>): unknown {
  switch (mapping) {
    case 'resultList':
      return resultList;
    case 'singleResult':
      if (resultList.length > 1) throw mappingFailure('SingleResultDecisionResultMapper', resultList, 'the decision result has more than one result (matched rule)');
      return resultList[0] ?? null;
    case 'singleEntry': {
      if (resultList.length > 1) throw mappingFailure('SingleEntryDecisionResultMapper', resultList, 'the decision result has more than one result (matched rule)');
      if (resultList.length === 0) return null;
      const entries = Object.values(resultList[0]);
      if (entries.length > 1) throw mappingFailure('SingleEntryDecisionResultMapper', resultList, 'the decision result entry has more than one output');
      return entries[0] ?? null;
    }
    case 'collectEntries': {
      const names = new Set(resultList.flatMap((entry) => Object.keys(entry)));
      if (names.size > 1) {
        throw new ProcessEngineError(`ENGINE-22002 The decision result mapper 'CollectEntriesDecisionResultMapper' failed to process '${describeResult(resultList)}'. The decision outputs should only contains values for one output name but found '[${[...names].join(', ')}]'.`);
      }
      return resultList.map((entry) => Object.values(entry)[0] ?? null);
    }
  }
}

/** Evaluates a business rule task's decision with the variables visible in its scope and maps the result. */
export function evaluateDecisionTask(
  attributes: DecisionTaskAttributes,
  lookup: DecisionLookup | undefined,
  variables: Readonly<Record<string, unknown>>,
  context: () => ExpressionContext,
  /** Told what was evaluated (for history), once the result is mapped. */
  onEvaluated?: (model: DmnModel, evaluations: readonly DecisionEvaluation[]) => void,
): unknown {
  const reference = decisionReferenceOf(attributes, context);
  const model = lookup?.(reference);
  if (!model) throw new DecisionNotPreparedError(reference);
  const { resultList, evaluations } = evaluateDecision(model, reference.key, variables);
  const mapped = mapDecisionResult(attributes.mapDecisionResult as DecisionResultMapping, resultList);
  onEvaluated?.(model, evaluations);
  return mapped;
}
