/** The error every failed decision evaluation surfaces as. */
import { ProcessEngineError } from '../core/errors.js';

/**
 * Thrown when a decision cannot be evaluated: a hit policy violated, an input missing or of the wrong type, or a
 * FEEL/JUEL expression that fails. The message names the decision, the rule and the expression; it carries no
 * "Cannot evaluate decision" prefix, which the REST layer adds as Camunda does.
 */
export class DecisionEvaluationError extends ProcessEngineError {
  readonly decisionKey: string;

  constructor(decisionKey: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.decisionKey = decisionKey;
  }
}
