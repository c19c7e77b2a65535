/** Resolves a user task's Camunda attributes (assignee, candidates, form key, dates, priority, name) through JUEL. */
import { parseCamundaDate } from '../core/camunda-date.js';
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression, toPlainJson, type ExpressionContext } from '../expressions/index.js';

export interface UserTaskAttributes {
  name: string | null;
  description: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  formKey: string | null;
  dueDate: Date | null;
  followUpDate: Date | null;
  priority: number;
}

const DEFAULT_PRIORITY = 50;

function evaluate(activityId: string, attribute: string, text: unknown, context: ExpressionContext): unknown {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return toPlainJson(compileExpression(text).evaluate(context));
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new ProcessEngineError(`Cannot resolve ${attribute} '${text}' of user task '${activityId}': ${reason}`, { cause: thrown });
  }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

function list(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => String(item).trim()).filter((item) => item.length > 0);
}

function date(activityId: string, attribute: string, value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  try {
    return parseCamundaDate(String(value));
  } catch {
    throw new ProcessEngineError(`Cannot resolve ${attribute} of user task '${activityId}': '${String(value)}' is not a date`);
  }
}

function documentationOf(behaviour: Record<string, unknown>): string | null {
  const documentation = behaviour.documentation as Array<{ text?: string }> | undefined;
  return documentation?.[0]?.text ?? null;
}

export function resolveUserTaskAttributes(activityId: string, behaviour: Record<string, unknown>, context: ExpressionContext): UserTaskAttributes {
  const at = (attribute: string) => evaluate(activityId, attribute, behaviour[attribute], context);
  const priority = at('priority');
  const priorityNumber = priority === null ? DEFAULT_PRIORITY : Number(priority);
  if (!Number.isInteger(priorityNumber)) throw new ProcessEngineError(`Priority '${String(priority)}' of user task '${activityId}' is not an integer`);
  return {
    name: text(at('name')),
    description: text(evaluate(activityId, 'documentation', documentationOf(behaviour), context)),
    assignee: text(at('assignee')),
    candidateUsers: list(at('candidateUsers')),
    candidateGroups: list(at('candidateGroups')),
    formKey: text(at('formKey')),
    dueDate: date(activityId, 'dueDate', at('dueDate')),
    followUpDate: date(activityId, 'followUpDate', at('followUpDate')),
    priority: priorityNumber,
  };
}
