/** Public entry point of the DMN library: parse a resource once, then evaluate its decisions. */
export { DecisionEvaluationError } from './decision-evaluation-error.js';
export type { Aggregation, DecisionEvaluation, DecisionLogicKind, DecisionResult, DmnDecision, DmnInputData, DmnKnowledgeModel, DmnModel, HitPolicy } from './dmn-model.js';
export { evaluateDecision, evaluateDmn } from './evaluate-decision.js';
export { fromFeelValue, toFeelValue } from './feel-values.js';
export { dmnParseError, parseDmn, readDmnDocument, type DmnDocument, type DmnParseOptions, type DmnReader } from './parse-dmn.js';
