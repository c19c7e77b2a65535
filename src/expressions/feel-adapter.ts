/** Evaluates FEEL through feelin, mapping its outcomes onto the engine's expression errors. */
import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';
import { ExpressionError } from './expression-error.js';
import {
  BOUNDED_REGEX_FUNCTIONS,
  countingIterations,
  feelTextRefusal,
  ITERATION_COUNTER,
  ITERATION_COUNTER_FUNCTION,
  withinFeelBudget,
} from './feel-budget.js';
import { describe, typeName } from './juel-coercions.js';

/**
 * Evaluates a FEEL expression. Unknown variables are not errors in FEEL: feelin reports a warning and the
 * expression yields null, which is returned as is.
 *
 * feelin parses on every call: its parse tree depends on the variable names in scope (FEEL names may contain
 * spaces) and it exposes no way to evaluate a pre-built tree, so there is nothing safe to cache.
 */
export function evaluateFeel(expression: string, variables: Record<string, unknown>): unknown {
  const refusal = feelTextRefusal(expression);
  if (refusal !== null) {
    throw new ExpressionError(expression, `Syntax error in FEEL expression '${expression}' at position ${refusal.position}: ${refusal.reason}`, {
      position: refusal.position,
    });
  }
  try {
    // A variable named like a built-in shadows it, as it would shadow feelin's own.
    const context = { ...BOUNDED_REGEX_FUNCTIONS, ...variables, [ITERATION_COUNTER]: ITERATION_COUNTER_FUNCTION };
    const { value } = withinFeelBudget(() => evaluate(countingIterations(expression, variables), context));
    return value === undefined ? null : value;
  } catch (error) {
    if (error instanceof FeelSyntaxError) {
      return throwSyntaxError(expression, error);
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionError(expression, `Error while evaluating FEEL expression '${expression}': ${message}`, { cause: error });
  }
}

/** A FEEL condition: null (e.g. from an unknown variable) counts as false; any other non-boolean is an error. */
export function evaluateFeelCondition(expression: string, variables: Record<string, unknown>): boolean {
  const value = evaluateFeel(expression, variables);
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new ExpressionError(
    expression,
    `FEEL condition '${expression}' returns non-Boolean: '${describe(value)}' of ${typeName(value)}`,
  );
}

function throwSyntaxError(expression: string, error: FeelSyntaxError): never {
  const position = error.position?.from;
  const where = position === undefined ? '' : ` at position ${position}`;
  throw new ExpressionError(expression, `Syntax error in FEEL expression '${expression}'${where}: ${error.message}`, {
    cause: error,
    ...(position === undefined ? {} : { position }),
  });
}
