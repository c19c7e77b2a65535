/** What makes an element external work for a worker, and its Camunda attributes: topic, priority, extension properties. */
import { ProcessEngineError } from '../core/errors.js';
import { setOwnProperty } from '../core/own-property.js';
import { compileExpression, type ExpressionContext } from '../expressions/index.js';

interface EventDefinitionBehaviour {
  $type?: string;
  type?: string;
  topic?: string;
  taskPriority?: string;
}

interface ExternalBehaviour {
  type?: string;
  topic?: string;
  taskPriority?: string | number;
  eventDefinitions?: Array<{ type?: string; behaviour?: EventDefinitionBehaviour }>;
  extensionElements?: { values?: Array<{ $type: string; values?: Array<{ name?: string; value?: string }> }> };
}

/** The message event definition that carries `camunda:type="external"` on a message throw or end event. */
function externalMessageDefinition(behaviour: ExternalBehaviour): EventDefinitionBehaviour | undefined {
  return behaviour.eventDefinitions?.map((d) => d.behaviour ?? {}).find((d) => d.$type === 'bpmn:MessageEventDefinition' && d.type === 'external');
}

export function isExternalElement(behaviour: Record<string, unknown>): boolean {
  const external = behaviour as ExternalBehaviour;
  return external.type === 'external' || externalMessageDefinition(external) !== undefined;
}

export interface ExternalWorkAttributes {
  topicName: string;
  priority: number;
  extensionProperties: Record<string, string>;
}

function evaluate(activityId: string, attribute: string, text: string, context: ExpressionContext): unknown {
  try {
    return compileExpression(text).evaluate(context);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new ProcessEngineError(`Cannot resolve ${attribute} '${text}' of external task '${activityId}': ${reason}`, { cause: thrown });
  }
}

/** Resolves topic and priority (both may be expressions) and collects `camunda:properties`. */
export function resolveExternalWork(activityId: string, behaviour: Record<string, unknown>, context: ExpressionContext): ExternalWorkAttributes {
  const external = behaviour as ExternalBehaviour;
  const source = externalMessageDefinition(external) ?? external;
  const topic = source.topic ? evaluate(activityId, 'topic', source.topic, context) : null;
  if (topic === null || topic === undefined || topic === '') throw new ProcessEngineError(`External task '${activityId}' has no camunda:topic`);
  const rawPriority = source.taskPriority ?? external.taskPriority;
  const priority = rawPriority === undefined || rawPriority === '' ? 0 : Number(evaluate(activityId, 'taskPriority', String(rawPriority), context));
  if (!Number.isSafeInteger(priority)) throw new ProcessEngineError(`Priority '${String(rawPriority)}' of external task '${activityId}' is not an integer`);
  const extensionProperties: Record<string, string> = {};
  for (const extension of external.extensionElements?.values ?? []) {
    if (extension.$type !== 'camunda:Properties') continue;
    for (const property of extension.values ?? []) if (property.name) setOwnProperty(extensionProperties, property.name, property.value ?? '');
  }
  return { topicName: String(topic), priority, extensionProperties };
}
