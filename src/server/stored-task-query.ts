/**
 * The task query a filter stores, in Camunda's TaskQueryDto JSON: checked when saved, echoed as Camunda echoes it,
 * and turned back into `GET /task` query parameters (with `${currentUser()}` resolved) when the filter runs.
 */
import { ProcessEngineError } from '../core/errors.js';
import { currentAuthentication } from '../services/authentication.js';
import { QueryReader, TASK_VARIABLE_CONDITIONS } from './query-reader.js';
import { bodySchema } from './read-body.js';

type Json = Record<string, unknown>;

const STRING_PROPERTIES = [
  'taskId', 'processInstanceId', 'processInstanceBusinessKey', 'processInstanceBusinessKeyLike', 'processDefinitionId', 'processDefinitionKey',
  'taskDefinitionKey', 'name', 'nameLike', 'assignee', 'assigneeLike', 'candidateUser', 'candidateGroup',
] as const;
const LIST_PROPERTIES = ['taskIdIn', 'processInstanceIdIn', 'processDefinitionKeyIn', 'taskDefinitionKeyIn', 'assigneeIn', 'candidateGroups', 'tenantIdIn'] as const;
const BOOLEAN_PROPERTIES = [
  'assigned', 'unassigned', 'withCandidateGroups', 'withoutCandidateGroups', 'includeAssignedTasks', 'withoutTenantId', 'active', 'suspended',
] as const;
/** Variable conditions (`[{name, operator, value}]`), checked as the task query checks them when a filter is saved. */
const VARIABLE_PROPERTIES = Object.keys(TASK_VARIABLE_CONDITIONS) as Array<keyof typeof TASK_VARIABLE_CONDITIONS>;
const INTEGER_PROPERTIES = ['priority', 'minPriority', 'maxPriority'] as const;

/** The expressions Camunda's task query takes, by the parameter each one sets and the query method Camunda's errors name. */
const EXPRESSIONS: Record<string, { parameter: string; method: string; function: 'currentUser' | 'currentUserGroups' }> = {
  assigneeExpression: { parameter: 'assignee', method: 'taskAssignee', function: 'currentUser' },
  candidateUserExpression: { parameter: 'candidateUser', method: 'taskCandidateUser', function: 'currentUser' },
  candidateGroupExpression: { parameter: 'candidateGroup', method: 'taskCandidateGroup', function: 'currentUser' },
  candidateGroupsExpression: { parameter: 'candidateGroups', method: 'taskCandidateGroupIn', function: 'currentUserGroups' },
};

/**
 * TaskQueryDto properties this engine's task query does not filter by: a filter using one is refused rather than
 * saved to return more tasks than it says. Empty lists and `false` (what Camunda echoes for unset ones) pass. The
 * variable conditions' ignore-case flags are refused too: Camunda echoes them when a filter is saved but does not keep
 * them, so its filter then matches case-sensitively, fewer tasks than it says.
 */
const UNSUPPORTED_PROPERTIES = [
  'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyExpression', 'processInstanceBusinessKeyLikeExpression', 'executionId', 'activityInstanceIdIn',
  'processDefinitionName', 'processDefinitionNameLike', 'assigneeNotIn', 'assigneeLikeExpression', 'candidateGroupLike', 'withCandidateUsers',
  'withoutCandidateUsers', 'taskDefinitionKeyNotIn', 'taskDefinitionKeyLike', 'description', 'descriptionLike', 'involvedUser',
  'involvedUserExpression', 'nameNotEqual', 'nameNotLike', 'owner', 'ownerExpression', 'parentTaskId', 'dueAfter', 'dueAfterExpression',
  'dueBefore', 'dueBeforeExpression', 'dueDate', 'due', 'dueDateExpression', 'withoutDueDate', 'followUpAfter', 'followUpAfterExpression',
  'followUpBefore', 'followUpBeforeOrNotExistentExpression', 'followUpBeforeOrNotExistent', 'followUpBeforeExpression', 'followUpDate',
  'followUp', 'followUpDateExpression', 'createdAfter', 'createdAfterExpression', 'createdBefore', 'createdBeforeExpression', 'createdOn',
  'created', 'createdOnExpression', 'updatedAfter', 'updatedAfterExpression', 'delegationState',
  'caseDefinitionId', 'caseDefinitionKey', 'caseDefinitionName', 'caseDefinitionNameLike', 'caseExecutionId', 'caseInstanceBusinessKey',
  'caseInstanceBusinessKeyLike', 'caseInstanceId', 'caseInstanceVariables', 'orQueries', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase',
];

/** Lists Camunda always echoes, empty when unset. */
const ALWAYS_ECHOED_LISTS = ['taskVariables', 'processVariables', 'caseInstanceVariables', 'orQueries'];

const nullableString = { type: 'string', nullable: true };

/** TaskQueryDto's property types, for the body check (a wrong type is a 400 naming `query.<property>`). */
export const taskQuerySchema: Json = {
  type: 'object',
  nullable: true,
  properties: {
    ...Object.fromEntries(STRING_PROPERTIES.map((name) => [name, nullableString])),
    ...Object.fromEntries(Object.keys(EXPRESSIONS).map((name) => [name, nullableString])),
    ...Object.fromEntries(LIST_PROPERTIES.map((name) => [name, { type: 'array', nullable: true, items: { type: 'string' } }])),
    ...Object.fromEntries(BOOLEAN_PROPERTIES.map((name) => [name, { type: 'boolean', nullable: true }])),
    ...Object.fromEntries(INTEGER_PROPERTIES.map((name) => [name, { javaNumber: 'integer' }])),
    ...Object.fromEntries(VARIABLE_PROPERTIES.map((name) => [name, { type: 'array', nullable: true, items: { type: 'object', properties: { name: nullableString, operator: nullableString } } }])),
    sorting: { type: 'array', nullable: true, items: { type: 'object', properties: { sortBy: nullableString, sortOrder: nullableString } } },
  },
};

/** A POST body extending a filter's query: a task query. */
export const extendingQueryBody = bodySchema<Json>(taskQuerySchema);

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0);
}

/** The `${currentUser()}` or `${currentUserGroups()}` an expression must be: other functions need a JUEL context filters have not. */
function expressionFunction(expression: string): string | undefined {
  return /^\s*[$#]\{\s*(currentUser|currentUserGroups)\s*\(\s*\)\s*\}\s*$/.exec(expression)?.[1];
}

/**
 * The query as stored: the supported properties that are set, `sorting` checked against `sortKeys`. Throws
 * `invalid` (Camunda's "… with invalid content") for a property this engine cannot run, an expression other than
 * currentUser()/currentUserGroups(), or a sorting Camunda refuses; and Camunda's 500s for combinations its task query refuses.
 */
export function storedTaskQuery(query: Json, sortKeys: readonly string[], invalid: (detail: string, kind: 'unsupported' | 'sorting') => Error): Json {
  const stored: Json = {};
  for (const name of UNSUPPORTED_PROPERTIES) {
    if (isSet(query[name])) throw invalid(`the task query property '${name}' is not supported by this engine`, 'unsupported');
  }
  for (const name of [...STRING_PROPERTIES, ...LIST_PROPERTIES, ...BOOLEAN_PROPERTIES, ...INTEGER_PROPERTIES]) {
    if (isSet(query[name])) stored[name] = typeof query[name] === 'bigint' ? Number(query[name]) : query[name];
  }
  for (const name of VARIABLE_PROPERTIES) {
    const conditions = query[name] as Array<{ name?: unknown; operator?: unknown; value?: unknown }> | null | undefined;
    if (!isSet(conditions)) continue;
    new QueryReader({ [name]: conditions }).variableConditions(name, TASK_VARIABLE_CONDITIONS[name]);
    stored[name] = conditions!.map(({ name: variable, operator, value }) => ({ name: variable, operator, value }));
  }
  for (const [name, expression] of Object.entries(EXPRESSIONS)) {
    const value = query[name];
    if (typeof value !== 'string') continue;
    if (expressionFunction(value) !== expression.function) throw invalid(`'${name}' must be \${${expression.function}()}`, 'unsupported');
    stored[name] = value;
  }
  const sorting = (query.sorting as Array<{ sortBy?: unknown; sortOrder?: unknown }> | null | undefined) ?? [];
  for (const entry of sorting) {
    if (typeof entry.sortBy !== 'string' || !sortKeys.includes(entry.sortBy) || (entry.sortOrder !== 'asc' && entry.sortOrder !== 'desc')) {
      throw invalid(`cannot sort by ${JSON.stringify(entry.sortBy)} ${JSON.stringify(entry.sortOrder)}`, 'sorting');
    }
  }
  if (sorting.length > 0) stored.sorting = sorting.map(({ sortBy, sortOrder }) => ({ sortBy, sortOrder }));
  if (isSet(stored.tenantIdIn) && stored.withoutTenantId === true) {
    throw new ProcessEngineError('Invalid query usage: cannot set both tenantIdIn and withoutTenantId filters.');
  }
  if ((isSet(stored.candidateGroups) || isSet(stored.candidateGroupsExpression)) && (isSet(stored.candidateUser) || isSet(stored.candidateUserExpression))) {
    throw new ProcessEngineError('Invalid query usage: cannot set both candidateGroupIn and candidateUser');
  }
  return stored;
}

/** The stored query as Camunda's FilterDto shows it: the set properties, and the variable and or-query lists always. */
export function taskQueryDto(stored: Json): Json {
  const { sorting, ...properties } = stored;
  return { ...Object.fromEntries(ALWAYS_ECHOED_LISTS.map((name) => [name, []])), ...properties, ...(sorting ? { sorting } : {}) };
}

/** The expressions resolved for the caller: Camunda fails the query (500) when there is no authenticated user to resolve them to. */
function resolved(stored: Json): Json {
  const parameters: Json = {};
  for (const [name, value] of Object.entries(stored)) {
    const expression = EXPRESSIONS[name];
    if (!expression) {
      parameters[name] = value;
      continue;
    }
    const caller = currentAuthentication();
    if (!caller) throw new ProcessEngineError(`Unable to invoke method '${expression.method}' on class 'org.camunda.bpm.engine.impl.TaskQueryImpl'`);
    parameters[expression.parameter] = expression.function === 'currentUser' ? caller.userId : [...caller.groupIds];
  }
  return parameters;
}

type Condition = { name?: unknown; operator?: unknown };

/** Camunda's merge of variable conditions: the extension's, and the stored ones it has none for with the same name and operator. */
function mergedConditions(stored: unknown, extending: unknown): Condition[] | undefined {
  const base = (stored as Condition[] | undefined) ?? [];
  const added = (extending as Condition[] | undefined) ?? [];
  const merged = [...added, ...base.filter((kept) => !added.some((condition) => condition.name === kept.name && condition.operator === kept.operator))];
  return merged.length > 0 ? merged : undefined;
}

/**
 * `GET /task` parameters for a filter's query extended by another (Camunda's TaskQuery.extend): a property the
 * extension sets wins, variable conditions are merged, and the extension's sorting comes after the stored one (it
 * only orders what the stored one leaves tied).
 */
export function taskQueryParameters(stored: Json, extension: Json | null): Json {
  const base = resolved(stored);
  if (!extension) return base;
  const extending = resolved(extension);
  const conditions = Object.fromEntries(VARIABLE_PROPERTIES.map((name) => [name, mergedConditions(base[name], extending[name])]));
  return { ...base, ...extending, ...conditions, sorting: [...((base.sorting as unknown[] | undefined) ?? []), ...((extending.sorting as unknown[] | undefined) ?? [])] };
}

