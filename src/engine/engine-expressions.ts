/** bpmn-elements expression and script hooks backed by our JUEL evaluator and feelin, with Camunda's execution shim. */
import { ProcessEngineError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { compileExpression, evaluateFeelCondition, isExpression, toPlainJson, type ExpressionContext } from '../expressions/index.js';
import type { DecisionEvaluation, DmnModel } from '../dmn/index.js';
import type { DecisionLookup } from './decision-task.js';
import type { ScriptOptions } from './script-runner.js';
import type { ScopeId, VariableScopes } from './variable-scopes.js';

/** What an expression may see and change of the running instance. */
export interface InstanceScope {
  processInstanceId: string;
  processDefinitionId: string;
  businessKey: string | null;
  clock: Clock;
  /** The instance's variables by scope; what expressions write is recorded there for the service to persist. */
  variables: VariableScopes;
  scripts: ScriptOptions;
  /** The decisions business rule tasks may evaluate in this command, prepared by the service (the engine does no I/O). */
  decisions?: DecisionLookup;
  /** Told about every decision a business rule task evaluated, so the service can record its history. */
  onDecisionEvaluated?: (event: DecisionTaskEvaluation) => void;
}

/** A business rule task's evaluation: which task and execution, the model it used, and every decision evaluated. */
export interface DecisionTaskEvaluation {
  activityId: string;
  executionId: string;
  model: DmnModel;
  evaluations: readonly DecisionEvaluation[];
}

interface EngineMessage {
  id?: string;
  content?: { id?: string; executionId?: string };
}

function elementIdOf(message: EngineMessage): string {
  return message.content?.id ?? message.id ?? 'unknown';
}

/** The scope an engine message evaluates in: its activity's execution (whose parents lead to the process). */
function scopeOf(message: EngineMessage): ScopeId {
  return message.content?.executionId ?? null;
}

/** Camunda's DelegateExecution, as far as expressions and scripts use it. */
export function executionShim(instance: InstanceScope, scope: ScopeId, activityId: string | null) {
  const variables = instance.variables;
  const value = (name: string) => {
    const found = variables.resolve(scope, name);
    return found.found ? found.value : null;
  };
  return {
    getVariable: value,
    getVariableLocal: (name: string) => (scope === null ? value(name) : (variables.localsOf(scope)[name] ?? null)),
    setVariable: (name: string, newValue: unknown) => variables.set(scope, name, newValue),
    setVariableLocal: (name: string, newValue: unknown) => variables.setLocal(scope, name, newValue),
    hasVariable: (name: string) => variables.resolve(scope, name).found,
    getVariables: () => variables.visible(scope),
    getProcessBusinessKey: () => instance.businessKey,
    getBusinessKey: () => instance.businessKey,
    getProcessInstanceId: () => instance.processInstanceId,
    getProcessDefinitionId: () => instance.processDefinitionId,
    getActivityId: () => activityId,
    getCurrentActivityId: () => activityId,
    getId: () => instance.processInstanceId,
  };
}

/** Builds the context JUEL sees from a scope: the variables visible there, and `execution` as Camunda's shim. */
export function expressionContext(instance: InstanceScope, scope: ScopeId, activityId: string | null): ExpressionContext {
  return {
    resolve: (name: string) => instance.variables.resolve(scope, name),
    clock: instance.clock,
    execution: executionShim(instance, scope, activityId),
  };
}

export function evaluationFailure(elementId: string, expression: string, thrown: unknown): ProcessEngineError {
  if (thrown instanceof ProcessEngineError && thrown.message.includes(`'${elementId}'`)) return thrown;
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProcessEngineError(`Error while evaluating expression '${expression}' of element '${elementId}': ${reason}`, { cause: thrown });
}

/**
 * The `expressions` option of bpmn-engine: every `${…}`/`#{…}` in a diagram is JUEL. `current` is the scope of the
 * command running now: an engine kept between commands serves each in its own.
 */
export function createEngineExpressions(current: () => InstanceScope) {
  return {
    /** Our element behaviours reach the instance's scopes through the environment's expressions object. */
    get instance(): InstanceScope {
      return current();
    },
    resolveExpression(expression: string, message: EngineMessage = {}): unknown {
      try {
        // bpmn-elements gets plain data: a collection from `${S(json).elements()}` is a list of the JSON values.
        return toPlainJson(compileExpression(expression).evaluate(expressionContext(current(), scopeOf(message), elementIdOf(message))));
      } catch (thrown) {
        throw evaluationFailure(elementIdOf(message), expression, thrown);
      }
    },
    isExpression: (text: unknown) => typeof text === 'string' && isExpression(text),
    hasExpression: (text: unknown) => typeof text === 'string' && isExpression(text),
  };
}

interface ScriptOwner {
  id: string;
  behaviour?: { conditionExpression?: { body?: string } };
}

/** The `scripts` option: conditions with language="feel" run on feelin; other languages are refused, never run as text. */
export function createEngineScripts(current: () => InstanceScope) {
  return {
    register() {},
    getScript(language: string | undefined, owner: ScriptOwner) {
      if (!language) return undefined;
      const body = owner.behaviour?.conditionExpression?.body ?? '';
      const supported = language.toLowerCase() === 'feel';
      return {
        execute(executionContext: EngineMessage, callback: (error: Error | null, result?: unknown) => void) {
          if (!supported) return callback(new ProcessEngineError(`Condition language '${language}' of element '${owner.id}' is not supported`));
          try {
            return callback(null, evaluateFeelCondition(body, current().variables.visible(scopeOf(executionContext))));
          } catch (thrown) {
            return callback(evaluationFailure(owner.id, body, thrown));
          }
        },
      };
    },
  };
}
