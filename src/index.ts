/** The package's public API: for now the DMN library (parse and evaluate decisions without a server). */
export { DecisionEvaluationError, evaluateDecision, evaluateDmn, parseDmn } from './dmn/index.js';
export type { DecisionResult, DmnDecision, DmnModel } from './dmn/index.js';
