/** Evaluates a conditional event's condition as Camunda does: in its execution's scope, an unknown variable reading as null. */
import { evaluateCondition, type ExpressionContext } from '../expressions/index.js';
import { expressionContext, type InstanceScope } from './engine-expressions.js';
import type { ScopeId } from './variable-scopes.js';

/** Whether the condition holds for the execution `scope` (a variable not set yet makes `${x > 5}` false, not an error). */
export function conditionHolds(instance: InstanceScope, scope: ScopeId, activityId: string, expression: string): boolean {
  const context = expressionContext(instance, scope, activityId);
  const lenient: ExpressionContext = {
    ...context,
    resolve: (name) => {
      const found = context.resolve(name);
      return found.found ? found : { found: true, value: null };
    },
  };
  return evaluateCondition(expression, lenient);
}
