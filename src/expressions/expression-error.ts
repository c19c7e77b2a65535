/** The error every expression failure surfaces as, so callers can report the offending expression text. */
import { ProcessEngineError } from '../core/errors.js';

/** Raised for syntax and evaluation failures alike; Camunda reports both as a ProcessEngineException. */
export class ExpressionError extends ProcessEngineError {
  readonly expression: string;
  /** Zero-based offset into `expression` for syntax errors, when known. */
  readonly position?: number;

  constructor(expression: string, message: string, options: { cause?: unknown; position?: number } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.expression = expression;
    if (options.position !== undefined) this.position = options.position;
  }
}

/** Internal: an identifier or property could not be resolved (EL's PropertyNotFoundException). */
export class PropertyNotFoundError extends Error {}

/** Internal: a method is unknown or not allowed on its target (EL's MethodNotFoundException). */
export class MethodNotFoundError extends Error {}

/** Internal: any other evaluation failure, such as a failed coercion (EL's ELException). */
export class ElEvaluationError extends Error {}
