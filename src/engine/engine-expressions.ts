/** bpmn-elements expression and script hooks backed by our JUEL evaluator and feelin, with Camunda's execution shim. */
import { ProcessEngineError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { compileExpression, evaluateFeelCondition, isExpression, type ExpressionContext } from '../expressions/index.js';

/** What an expression may see and change of the running instance. */
export interface InstanceScope {
  processInstanceId: string;
  processDefinitionId: string;
  businessKey: string | null;
  clock: Clock;
  /** Variables the expressions wrote during this command; the service persists them. */
  variableWrites: Map<string, unknown>;
}

interface EngineMessage {
  id?: string;
  environment?: { variables?: Record<string, unknown> };
  content?: { id?: string; executionId?: string };
}

function variablesOf(message: EngineMessage): Record<string, unknown> {
  return message.environment?.variables ?? {};
}

function elementIdOf(message: EngineMessage): string {
  return message.content?.id ?? message.id ?? 'unknown';
}

/** Builds the context JUEL sees: process variables by name, plus `execution` as Camunda's DelegateExecution shim. */
export function expressionContext(scope: InstanceScope, variables: Record<string, unknown>, activityId: string | null): ExpressionContext {
  const execution = {
    getVariable: (name: string) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : null),
    setVariable: (name: string, value: unknown) => {
      variables[name] = value;
      scope.variableWrites.set(name, value);
    },
    hasVariable: (name: string) => Object.prototype.hasOwnProperty.call(variables, name),
    getVariables: () => ({ ...variables }),
    getProcessBusinessKey: () => scope.businessKey,
    getBusinessKey: () => scope.businessKey,
    getProcessInstanceId: () => scope.processInstanceId,
    getProcessDefinitionId: () => scope.processDefinitionId,
    getActivityId: () => activityId,
    getCurrentActivityId: () => activityId,
    getId: () => scope.processInstanceId,
  };
  return {
    resolve: (name: string) =>
      Object.prototype.hasOwnProperty.call(variables, name) ? { found: true, value: variables[name] } : { found: false },
    clock: scope.clock,
    execution,
  };
}

function failure(elementId: string, expression: string, thrown: unknown): ProcessEngineError {
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProcessEngineError(`Error while evaluating expression '${expression}' of element '${elementId}': ${reason}`, { cause: thrown });
}

/** The `expressions` option of bpmn-engine: every `${…}`/`#{…}` in a diagram is JUEL. */
export function createEngineExpressions(scope: InstanceScope) {
  return {
    resolveExpression(expression: string, message: EngineMessage = {}): unknown {
      try {
        return compileExpression(expression).evaluate(expressionContext(scope, variablesOf(message), elementIdOf(message)));
      } catch (thrown) {
        throw failure(elementIdOf(message), expression, thrown);
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
export function createEngineScripts() {
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
            return callback(null, evaluateFeelCondition(body, variablesOf(executionContext)));
          } catch (thrown) {
            return callback(failure(owner.id, body, thrown));
          }
        },
      };
    },
  };
}
