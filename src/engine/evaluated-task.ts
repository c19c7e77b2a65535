/** Tasks the engine completes itself: service tasks with camunda:expression, script tasks (FEEL, or opt-in JavaScript), business rule tasks with camunda:decisionRef. */
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression } from '../expressions/index.js';
import { decisionTaskAttributes, evaluateDecisionTask, isDecisionTask } from './decision-task.js';
import { expressionContext, executionShim, type InstanceScope } from './engine-expressions.js';
import { runScript } from './script-runner.js';

interface ExecuteMessage {
  content: { id: string; executionId: string; [key: string]: unknown };
}

interface ActivityLike {
  id: string;
  behaviour: { expression?: string; resultVariable?: string; scriptFormat?: string; script?: string; [key: string]: unknown };
  environment: { expressions: { instance?: InstanceScope } };
  broker: { publish(exchange: string, routingKey: string, content: unknown, options?: unknown): void };
}

/** A service task with camunda:expression, a script task or a decision task: evaluate, store camunda:resultVariable, complete. */
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
    const result = isDecisionTask(activity.behaviour)
      ? evaluateDecisionTask(decisionTaskAttributes(activity.behaviour), instance.decisions, instance.variables.visible(scope), () => expressionContext(instance, scope, activity.id),
        (model, evaluations) => instance.onDecisionEvaluated?.({ activityId: activity.id, executionId: scope, model, evaluations }))
      : expression !== undefined
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
  return typeof behaviour.expression === 'string' || behaviour.$type === 'bpmn:ScriptTask' || isDecisionTask(behaviour);
}

const Activity = Elements.Activity as unknown as new (behaviour: unknown, definition: unknown, context: unknown) => unknown;

export function evaluatedTask(definition: unknown, context: unknown): unknown {
  return new Activity(EvaluatedTaskBehaviour, definition, context);
}
