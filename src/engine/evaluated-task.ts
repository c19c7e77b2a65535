/** Tasks the engine completes itself: service tasks with camunda:expression, and script tasks (FEEL, or opt-in JavaScript). */
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression } from '../expressions/index.js';
import { expressionContext, executionShim, type InstanceScope } from './engine-expressions.js';
import { runScript } from './script-runner.js';

interface ExecuteMessage {
  content: { id: string; executionId: string; [key: string]: unknown };
}

interface ActivityLike {
  id: string;
  behaviour: { expression?: string; resultVariable?: string; scriptFormat?: string; script?: string };
  environment: { expressions: { instance?: InstanceScope } };
  broker: { publish(exchange: string, routingKey: string, content: unknown, options?: unknown): void };
}

/** A service task with camunda:expression, or a script task: evaluate, store camunda:resultVariable, complete. */
export function EvaluatedTaskBehaviour(this: { activity: ActivityLike }, activity: ActivityLike): void {
  this.activity = activity;
}

EvaluatedTaskBehaviour.prototype.execute = function execute(this: { activity: ActivityLike }, executeMessage: ExecuteMessage) {
  const activity = this.activity;
  const content = executeMessage.content;
  const instance = activity.environment.expressions.instance;
  try {
    if (!instance) throw new ProcessEngineError(`Element '${activity.id}' runs outside an engine command`);
    const { expression, resultVariable, scriptFormat, script } = activity.behaviour;
    const scope = content.executionId;
    const result =
      expression !== undefined
        ? compileExpression(expression).evaluate(expressionContext(instance, scope, activity.id))
        : runScript(scriptFormat, script ?? '', { variables: instance.variables.visible(scope), execution: executionShim(instance, scope, activity.id) }, instance.scripts, `script of element '${activity.id}'`);
    // Camunda sets the result variable on the activity's execution, which propagates it to where it exists.
    if (resultVariable) instance.variables.set(instance.variables.parentOf(scope), resultVariable, result);
  } catch (thrown) {
    const error = thrown instanceof ProcessEngineError ? thrown : new ProcessEngineError(`Element '${activity.id}' failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
    return activity.broker.publish('execution', 'execute.error', { ...content, error }, { mandatory: true });
  }
  return activity.broker.publish('execution', 'execute.completed', { ...content });
};

export function isEvaluatedTask(behaviour: Record<string, unknown>): boolean {
  return typeof behaviour.expression === 'string' || behaviour.$type === 'bpmn:ScriptTask';
}

const Activity = Elements.Activity as unknown as new (behaviour: unknown, definition: unknown, context: unknown) => unknown;

export function evaluatedTask(definition: unknown, context: unknown): unknown {
  return new Activity(EvaluatedTaskBehaviour, definition, context);
}
