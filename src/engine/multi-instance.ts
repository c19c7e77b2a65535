/**
 * Multi-instance activities on bpmn-elements' loop characteristics, with Camunda's rules: a collection that is no list
 * or a negative cardinality fails the activity, `camunda:collection` may name a variable, and each iteration's start and
 * end are reported (bpmn-elements announces neither), so the server keeps Camunda's variables, history and executions.
 */
import * as Elements from 'bpmn-elements';
import { ProcessEngineError } from '../core/errors.js';

interface LoopBehaviour {
  collection?: string;
  elementVariable?: string;
  loopCardinality?: string;
  completionCondition?: string;
  isSequential?: boolean;
}

interface LoopActivity {
  id: string;
  environment: { resolveExpression(expression: string, message: unknown): unknown };
}

interface Loop {
  execute(message: unknown): unknown;
}

const StockLoop = (Elements as unknown as Record<string, unknown>).MultiInstanceLoopCharacteristics as new (activity: unknown, loop: unknown) => Loop;

function isExpressionText(text: string): boolean {
  return /[$#]\{/.test(text);
}

/** Fails the activity as Camunda does for a collection that is no list or a cardinality that is no count. */
function checkLoop(activity: LoopActivity, behaviour: LoopBehaviour, message: unknown): void {
  if (behaviour.collection) {
    const collection = activity.environment.resolveExpression(behaviour.collection, message);
    if (!Array.isArray(collection)) throw new ProcessEngineError(`ENGINE-02024 Expression '${behaviour.collection}' didn't resolve to type 'Collection' (multi-instance activity '${activity.id}')`);
    return;
  }
  if (behaviour.loopCardinality !== undefined) {
    const cardinality = Number(activity.environment.resolveExpression(String(behaviour.loopCardinality), message));
    if (!Number.isInteger(cardinality) || cardinality < 0) {
      throw new ProcessEngineError(`ENGINE-02023 Invalid number of instances: must be non-negative integer value, but was ${cardinality} (multi-instance activity '${activity.id}')`);
    }
  }
}

/** The `MultiInstanceLoopCharacteristics` element type: bpmn-elements' loop with Camunda's checks. */
export function MultiInstanceLoopCharacteristics(activity: LoopActivity, loopCharacteristics: { behaviour?: LoopBehaviour }) {
  const behaviour = { ...(loopCharacteristics.behaviour ?? {}) };
  // Camunda reads a camunda:collection without ${…} as the name of a variable.
  if (behaviour.collection && !isExpressionText(behaviour.collection)) behaviour.collection = `\${${behaviour.collection}}`;
  const loop = new StockLoop(activity, { ...loopCharacteristics, behaviour });
  const execute = loop.execute.bind(loop);
  loop.execute = (message: unknown) => {
    checkLoop(activity, behaviour, message);
    return execute(message);
  };
  return loop;
}

export interface IterationStart {
  rootRunId: string;
  runId: string;
  activityId: string;
  index: number;
  cardinality: number;
  isSequential: boolean;
  elementVariable: string | null;
  element: unknown;
}

export interface IterationEnd {
  rootRunId: string;
  runId: string;
  activityId: string;
  isSequential: boolean;
  cancelled: boolean;
}

export interface IterationListener {
  started(iteration: IterationStart): void;
  ended(iteration: IterationEnd): void;
}

interface BrokerMessage {
  fields?: { redelivered?: boolean };
  content: { executionId?: string; isMultiInstance?: boolean; index?: number; loopCardinality?: number; isSequential?: boolean; ignoreIfExecuting?: boolean; [key: string]: unknown };
}

export interface MultiInstanceOwner {
  id: string;
  isMultiInstance?: boolean;
  behaviour?: { loopCharacteristics?: { behaviour?: LoopBehaviour } };
  broker: { subscribeTmp(exchange: string, pattern: string, handler: (routingKey: string, message: BrokerMessage) => void, options: Record<string, unknown>): void };
}

const watched = new WeakMap<object, Set<string>>();

/**
 * Reports the iterations of one run of a multi-instance activity. Subscribed with a higher priority than the loop's
 * own completion handler, so the counters are up to date when its completion condition is evaluated.
 */
export function watchIterations(owner: MultiInstanceOwner, rootRunId: string, listener: IterationListener): void {
  const runs = watched.get(owner) ?? new Set<string>();
  if (runs.has(rootRunId)) return;
  runs.add(rootRunId);
  watched.set(owner, runs);
  const loop = owner.behaviour?.loopCharacteristics?.behaviour ?? {};
  const elementVariable = loop.collection ? loop.elementVariable || 'item' : null;
  const isIteration = (content: BrokerMessage['content']) => content.isMultiInstance === true && typeof content.executionId === 'string' && content.executionId.startsWith(`${rootRunId}_`);
  owner.broker.subscribeTmp('execution', 'execute.#', (routingKey, message) => {
    const content = message.content;
    if (!isIteration(content)) return;
    const isSequential = content.isSequential === true;
    if (routingKey === 'execute.start') {
      if (message.fields?.redelivered || content.ignoreIfExecuting) return;
      listener.started({
        rootRunId, runId: content.executionId!, activityId: owner.id, index: content.index ?? 0, cardinality: content.loopCardinality ?? 0, isSequential,
        elementVariable, element: elementVariable ? content[elementVariable] : undefined,
      });
    } else if (routingKey === 'execute.completed' || routingKey === 'execute.discard' || routingKey === 'execute.cancel') {
      listener.ended({ rootRunId, runId: content.executionId!, activityId: owner.id, isSequential, cancelled: routingKey !== 'execute.completed' });
    }
  }, { noAck: true, consumerTag: `_server-iterations-${rootRunId}`, priority: 500 });
}
