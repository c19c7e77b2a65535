/**
 * Message, signal and conditional event definitions that stay armed on a non-interrupting boundary event, as in
 * Camunda: each time the event happens, the boundary event is armed again (bpmn-elements does this for timer cycles
 * only, through `execute.repeat`), so a second message to the same activity fires it again. Conditions are evaluated
 * as Camunda does (conditional-events.ts).
 */
import * as Elements from 'bpmn-elements';
import { conditionHolds } from './conditional-events.js';
import type { InstanceScope } from './engine-expressions.js';

interface DefinitionActivity {
  type?: string;
  behaviour?: { cancelActivity?: boolean };
  broker: { publish(exchange: string, routingKey: string, content: unknown, options?: unknown): void };
}

interface StockDefinition {
  activity: DefinitionActivity;
  executionId?: string;
}

type DefinitionClass = new (activity: unknown, eventDefinition: unknown, context?: unknown, index?: number) => StockDefinition;

/** Arms a non-interrupting boundary event again before its event definition completes. */
export function rearm(definition: StockDefinition): void {
  const { activity } = definition;
  if (activity.type !== 'bpmn:BoundaryEvent' || activity.behaviour?.cancelActivity !== false) return;
  activity.broker.publish('execution', 'execute.repeat', {});
}

type Completing = StockDefinition & { _complete(...args: unknown[]): unknown };
interface EvaluateMessage {
  content: { parent?: { executionId?: string } };
}

type Evaluating = StockDefinition & {
  id: string;
  behaviour?: { condition?: { body?: string } };
  environment: { expressions?: { instance?: InstanceScope } };
  evaluate(message: EvaluateMessage, callback: (error: unknown, result?: unknown) => void): unknown;
  evaluateCallback(error: unknown, result: unknown): unknown;
};

const StockMessage = Elements.MessageEventDefinition as unknown as new (...args: ConstructorParameters<DefinitionClass>) => Completing;
const StockSignal = Elements.SignalEventDefinition as unknown as new (...args: ConstructorParameters<DefinitionClass>) => Completing;
const StockConditional = Elements.ConditionalEventDefinition as unknown as new (...args: ConstructorParameters<DefinitionClass>) => Evaluating;

export class RearmingMessageEventDefinition extends StockMessage {
  /**
   * A message throw or end event without an implementation: Camunda runs it as a none event, sending nothing (one
   * with `camunda:type="external"` is external work and never gets here).
   */
  executeThrow(executeMessage: { content: Record<string, unknown> }): unknown {
    this.activity.broker.publish('execution', 'execute.completed', { ...executeMessage.content });
    return undefined;
  }

  _complete(...args: unknown[]): unknown {
    rearm(this);
    return super._complete(...args);
  }
}

export class RearmingSignalEventDefinition extends StockSignal {
  _complete(...args: unknown[]): unknown {
    rearm(this);
    return super._complete(...args);
  }
}

export class RearmingConditionalEventDefinition extends StockConditional {
  /** In the scope of the event's activity, with our expression language; an unknown variable reads as null. */
  evaluate(message: EvaluateMessage, callback: (error: unknown, result?: unknown) => void): unknown {
    const instance = this.environment.expressions?.instance;
    const expression = this.behaviour?.condition?.body;
    if (!instance || !expression) return super.evaluate(message, callback);
    let holds: boolean;
    try {
      // A signal's message is not the execute message: the scope is always the activity's execution.
      const executeMessage = (this as unknown as Record<symbol, EvaluateMessage | undefined>)[Symbol.for('executeMessage')] ?? message;
      holds = conditionHolds(instance, executeMessage.content.parent?.executionId ?? null, this.id, expression);
    } catch (error) {
      return callback(error);
    }
    return callback(null, holds);
  }

  evaluateCallback(error: unknown, result: unknown): unknown {
    if (!error && result) rearm(this);
    return super.evaluateCallback(error, result);
  }
}
