/** Evaluates a decision of a parsed model with its required decisions, input data and knowledge models. */
import { DecisionEvaluationError } from './decision-evaluation-error.js';
import type { DecisionEvaluation, DecisionResult, DmnDecision, DmnModel } from './dmn-model.js';
import { coerceToTypeRef, toFeelValue } from './feel-values.js';
import type { CompiledKnowledgeModel } from './parse-dmn.js';
import { parseDmn } from './parse-dmn.js';

/**
 * Evaluates `decisionKey` (a decision id) with `inputs` (plain JS values; `Date`s become FEEL date and times in
 * UTC). Required decisions are evaluated first, once each, and bound twice: under the required decision's name
 * (the DMN standard) and under each of its output names (Camunda 7; a list per output for multi-hit tables or
 * several results). The DMN binding wins when the two collide.
 */
export function evaluateDecision(model: DmnModel, decisionKey: string, inputs: Readonly<Record<string, unknown>>): DecisionResult {
  const decision = model.decisions.find((d) => d.id === decisionKey);
  if (!decision) {
    throw new DecisionEvaluationError(decisionKey, `No decision with key '${decisionKey}' in resource '${model.resourceName}'`);
  }
  const { byId, knowledge, inputTypes } = indexOf(model);
  const feelInputs = toFeelValue(inputs) as Record<string, unknown>;
  const done = new Map<string, { value: unknown; resultList: Array<Record<string, unknown>> }>();
  const evaluations: DecisionEvaluation[] = [];

  const evaluate = (current: DmnDecision) => {
    const cached = done.get(current.id);
    if (cached) return cached;
    const needsBindings = current.requiredDecisions.length > 0 || current.requiredKnowledge.length > 0;
    const variables: Record<string, unknown> = needsBindings ? { ...feelInputs } : feelInputs;
    for (const id of current.requiredInputs) {
      const input = inputTypes.get(id);
      if (!input || !(input.name in variables)) continue;
      const checked = coerceToTypeRef(variables[input.name], input.typeRef ?? undefined, false);
      if (!checked.ok) throw new DecisionEvaluationError(current.id, `Decision '${current.id}': wrong type of input data '${input.name}': ${checked.reason}`);
    }
    for (const id of current.requiredDecisions) {
      const required = byId.get(id) as DmnDecision;
      const outcome = evaluate(required);
      bindOutputNames(variables, outcome.resultList, required.logic.multiHit);
      variables[required.variableName] = outcome.value;
    }
    for (const id of current.requiredKnowledge) {
      const bkm = knowledge.get(id);
      if (bkm) variables[bkm.name] = bkm.fn;
    }
    const outcome = current.logic.evaluate(variables, inputs);
    done.set(current.id, outcome);
    evaluations.push({ decisionKey: current.id, decisionName: current.name, ...(outcome.audit ?? literalAudit(outcome.resultList)) });
    return outcome;
  };

  const outcome = evaluate(decision);
  return { decisionKey: decision.id, decisionName: decision.name, resultList: outcome.resultList, result: outcome.value, evaluations };
}

/** Logic other than a decision table has no clauses or rules: its history is its result entries. */
function literalAudit(resultList: ReadonlyArray<Record<string, unknown>>) {
  return {
    inputs: [],
    outputs: resultList.flatMap((entry) => Object.entries(entry).map(([variableName, value]) => ({ clauseId: null, clauseName: null, ruleId: null, ruleOrder: null, variableName, value }))),
    collectResultValue: null,
    executedDecisionElements: 1,
  };
}

interface ModelIndex {
  byId: Map<string, DmnDecision>;
  knowledge: Map<string, CompiledKnowledgeModel>;
  inputTypes: Map<string, DmnModel['inputData'][number]>;
}

const indexes = new WeakMap<DmnModel, ModelIndex>();

/** Lookups by id, built once per model rather than per evaluation. */
function indexOf(model: DmnModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) {
    index = {
      byId: new Map(model.decisions.map((d) => [d.id, d])),
      knowledge: new Map(model.knowledgeModels.map((k) => [k.id, k as CompiledKnowledgeModel])),
      inputTypes: new Map(model.inputData.map((i) => [i.id, i])),
    };
    indexes.set(model, index);
  }
  return index;
}

/** Camunda's DefaultDmnDecisionContext: one result binds its entries; several (or a multi-hit table) bind lists. */
function bindOutputNames(variables: Record<string, unknown>, resultList: ReadonlyArray<Record<string, unknown>>, multiHit: boolean): void {
  if (resultList.length === 0) return;
  if (resultList.length === 1 && !multiHit) {
    for (const [name, value] of Object.entries(resultList[0])) variables[name] = toFeelValue(value);
    return;
  }
  const names = new Set(resultList.flatMap((entry) => Object.keys(entry)));
  for (const name of names) variables[name] = resultList.map((entry) => toFeelValue(entry[name] ?? null));
}

/** Parses `xml` and evaluates one decision: for programs and tests without a server (parse once when you can). */
export async function evaluateDmn(xml: string, decisionKey: string, inputs: Readonly<Record<string, unknown>>): Promise<DecisionResult> {
  return evaluateDecision(await parseDmn(xml, 'decision.dmn'), decisionKey, inputs);
}
