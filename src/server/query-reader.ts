/** Reads Camunda query parameters (from a query string or a POST query body) with Camunda's validation messages. */
import { CamundaError, InvalidRequestError, ProcessEngineError } from '../core/errors.js';
import { parseCamundaDate } from '../core/camunda-date.js';
import { VARIABLE_OPERATORS, type VariableCondition, type VariableOperator } from '../core/variable-condition.js';
import type { ListOptions, Sorting } from '../services/read-models.js';

/** Camunda's integer query parameters are Java `int`s: anything beyond that range is refused, as there. */
const MIN_INTEGER = -(2 ** 31);
const MAX_INTEGER = 2 ** 31 - 1;

/** How a resource's refusals of variable conditions read: the task query's differ from the others'. */
export interface VariableConditionWording {
  /** What an unknown comparator's message calls the variable (`process variable`); `variable` by default. */
  variable?: string;
  /** A boolean or null in an ordering comparison is a 500 ProcessEngineException, not a 400 NotValidException. */
  orderingRefusedAsEngineError?: boolean;
  /** The comparators the resource takes (the execution query's process variables: `eq` and `neq` only); all by default. */
  operators?: readonly VariableOperator[];
}

/** The task query's variable conditions and their wording, for `GET /task` and the filters that store a task query. */
export const TASK_VARIABLE_CONDITIONS = {
  processVariables: { variable: 'process variable', orderingRefusedAsEngineError: true },
  taskVariables: { variable: 'task variable', orderingRefusedAsEngineError: true },
} as const satisfies Record<string, VariableConditionWording>;

/** The comparisons Camunda refuses a boolean or null for, by the name its refusal gives them. */
const ORDERING_OPERATORS: Partial<Record<string, string>> = { gt: 'greater than', gteq: 'greater than or equal', lt: 'less than', lteq: 'less than or equal' };

function invalid(name: string, value: unknown): InvalidRequestError {
  return new InvalidRequestError(400, `Cannot set query parameter '${name}' to value '${printable(value)}'`);
}

/** The value as the message shows it: a NUL would be echoed raw, so it is written as `\u0000`. */
function printable(value: unknown): string {
  return String(value).replaceAll('\u0000', '\\u0000');
}

/** PostgreSQL cannot hold NUL in text, so a parameter with one could never match and is refused up front. */
function withoutNul(name: string, value: string): string {
  if (value.includes('\u0000')) {
    throw new InvalidRequestError(400, `Cannot set query parameter '${name}' to value '${printable(value)}': it contains a NUL character (\\u0000)`);
  }
  return value;
}

export class QueryReader {
  constructor(private readonly source: Record<string, unknown>) {}

  /** The parameter as sent (a one-item array unwrapped), for values whose type the resource decides. */
  raw(name: string): unknown {
    const value = this.source[name];
    return Array.isArray(value) && value.length === 1 ? value[0] : value;
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return withoutNul(name, String(value));
    throw invalid(name, value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw invalid(name, value);
  }

  integer(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') return undefined;
    const number = Number(value);
    if (!Number.isInteger(number) || number < MIN_INTEGER || number > MAX_INTEGER) throw invalid(name, value);
    return number;
  }

  /** Comma-separated in a query string, an array in a JSON body. */
  list(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map((item) => withoutNul(name, String(item)));
    if (typeof value === 'string') return withoutNul(name, value).split(',').filter((item) => item.length > 0);
    throw invalid(name, value);
  }

  date(name: string): Date | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      return parseCamundaDate(value);
    } catch {
      throw invalid(name, value);
    }
  }

  /** Camunda's date conditions, `lt_<date>,gt_<date>` in a query string or `[{operator, value}]` in a POST body. */
  dateConditions(name: string): Array<{ operator: 'lt' | 'gt'; value: Date }> | undefined {
    const value = this.source[name];
    if (value === undefined || value === null) return undefined;
    // A query string gives `lt_<date>` texts (comma-separated, or the parameter repeated); a JSON body gives objects.
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.flatMap((item: unknown) => (typeof item === 'string' ? item.split(',') : [item])) : null;
    if (!items) throw invalid(name, value);
    return items.map((item: unknown) => {
      const condition = (typeof item === 'string' ? { operator: item.slice(0, 2), value: item.slice(3) } : item) as { operator?: unknown; value?: unknown } | null;
      if (condition === null || typeof condition !== 'object' || (condition.operator !== 'lt' && condition.operator !== 'gt') || typeof condition.value !== 'string') throw invalid(name, value);
      try {
        return { operator: condition.operator, value: parseCamundaDate(condition.value) };
      } catch {
        throw invalid(name, value);
      }
    });
  }

  /**
   * Camunda's variable value conditions: `name_operator_value` (comma-separated) in a query string, where every value
   * is a string, or `[{name, operator, value}]` in a POST body, where a value keeps its JSON type.
   */
  variableConditions(name: string, wording: VariableConditionWording = {}): VariableCondition[] | undefined {
    const value = this.source[name];
    if (value === undefined || value === null) return undefined;
    const conditions: Array<{ name?: unknown; operator?: unknown; value?: unknown }> = [];
    if (typeof value === 'string') {
      for (const expression of value.split(',')) {
        const parts = expression.split('_');
        if (parts.length !== 3) throw new InvalidRequestError(400, `Cannot set query parameter '${name}' to value '${value}': variable query parameter has to have format KEY_OPERATOR_VALUE.`);
        conditions.push({ name: parts[0], operator: parts[1], value: parts[2] });
      }
    } else if (Array.isArray(value)) {
      conditions.push(...(value as Array<{ name?: unknown; operator?: unknown; value?: unknown }>));
    } else {
      throw invalid(name, value);
    }
    return conditions.map((condition) => {
      if (condition === null || typeof condition !== 'object' || typeof condition.name !== 'string') throw invalid(name, value);
      const operator = condition.operator;
      if (typeof operator !== 'string' || !(wording.operators ?? VARIABLE_OPERATORS).includes(operator as VariableOperator)) {
        throw new InvalidRequestError(400, `Invalid ${wording.variable ?? 'variable'} comparator specified: ${String(operator)}`);
      }
      const conditionValue = condition.value ?? null;
      if (typeof conditionValue === 'object' && conditionValue !== null) throw invalid(name, value);
      const ordering = ORDERING_OPERATORS[operator];
      if (ordering && (conditionValue === null || typeof conditionValue === 'boolean')) {
        const message = `Booleans and null cannot be used in '${ordering}' condition`;
        throw wording.orderingRefusedAsEngineError ? new ProcessEngineError(message) : new CamundaError(400, 'NotValidException', message);
      }
      return { name: withoutNul(name, condition.name), operator: operator as VariableOperator, value: typeof conditionValue === 'string' ? withoutNul(name, conditionValue) : (conditionValue as VariableCondition['value']) };
    });
  }

  /** Camunda's `orQueries` of a POST body: each a query object of its own. */
  orQueries(name = 'orQueries'): QueryReader[] | undefined {
    const value = this.source[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) throw invalid(name, value);
    return value.map((item) => new QueryReader(item as Record<string, unknown>));
  }

  /** Paging and sorting; `sortKeys` is the whitelist of Camunda's sortBy values for this resource. */
  listOptions(sortKeys: readonly string[]): ListOptions {
    const options: ListOptions = { firstResult: this.integer('firstResult'), maxResults: this.integer('maxResults') };
    if (options.firstResult !== undefined && options.firstResult < 0) throw invalid('firstResult', options.firstResult);
    if (options.maxResults !== undefined && options.maxResults < 0) throw invalid('maxResults', options.maxResults);
    options.sorting = this.sortingOptions(sortKeys);
    return options;
  }

  /** The sorting alone: a count is sorted too in Camunda, so its sorting fails as the list's does. */
  sortingOptions(sortKeys: readonly string[]): Sorting[] {
    const sorting: Sorting[] = [];
    const sortBy = this.string('sortBy');
    const sortOrder = this.string('sortOrder');
    // Camunda checks each value as it is set, and that both are there only then.
    if (sortBy !== undefined && !sortKeys.includes(sortBy)) throw invalid('sortBy', sortBy);
    if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc') throw invalid('sortOrder', sortOrder);
    if ((sortBy === undefined) !== (sortOrder === undefined)) {
      throw new InvalidRequestError(400, 'Only a single sorting parameter specified. sortBy and sortOrder required');
    }
    if (sortBy !== undefined && sortOrder !== undefined) sorting.push(this.sorting(sortBy, sortOrder, sortKeys));
    const bodySorting = this.source.sorting;
    if (Array.isArray(bodySorting)) sorting.push(...sortingList(bodySorting as Array<{ sortBy?: unknown; sortOrder?: unknown } | null>, sortKeys));
    return sorting;
  }

  private sorting(sortBy: unknown, sortOrder: unknown, sortKeys: readonly string[]): Sorting {
    if (typeof sortBy !== 'string' || !sortKeys.includes(sortBy)) throw invalid('sortBy', sortBy);
    if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalid('sortOrder', sortOrder);
    return { sortBy, sortOrder };
  }
}

/**
 * A POST query's `sorting` list as Camunda's query applies it: a known sortBy orders by that property, a known
 * sortOrder gives the last ordering its direction, and anything else in an entry is passed over; so a direction with
 * no ordering before it, a second direction, or an ordering left without one fails as Camunda's query fails it.
 */
function sortingList(entries: Array<{ sortBy?: unknown; sortOrder?: unknown } | null>, sortKeys: readonly string[]): Sorting[] {
  const orderings: Array<{ sortBy: string; sortOrder?: 'asc' | 'desc' }> = [];
  for (const entry of entries) {
    if (typeof entry?.sortBy === 'string' && sortKeys.includes(entry.sortBy)) orderings.push({ sortBy: entry.sortBy });
    if (entry?.sortOrder !== 'asc' && entry?.sortOrder !== 'desc') continue;
    const current = orderings.at(-1);
    if (!current) throw new CamundaError(400, 'NotValidException', 'You should call any of the orderBy methods first before specifying a direction: currentOrderingProperty is null');
    if (current.sortOrder) throw new CamundaError(400, 'NotValidException', 'Invalid query: can specify only one direction desc() or asc() for an ordering constraint: direction is not null');
    current.sortOrder = entry.sortOrder;
  }
  return orderings.map(({ sortBy, sortOrder }) => {
    if (!sortOrder) throw new CamundaError(400, 'NotValidException', 'Invalid query: call asc() or desc() after using orderByXX(): direction is null');
    return { sortBy, sortOrder };
  });
}

/** Drops keys whose value is undefined, so filters only hold what the request set. */
export function definedOnly<T extends object>(filter: T): T {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as T;
}

function withoutSorting(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'sortBy' && key !== 'sortOrder'));
}

/** The query of a list request: the query string, or for POST queries the JSON body over it. */
export function requestQuery(req: { method: string; query: unknown; body?: unknown }): QueryReader {
  // A POST query is sorted by its body alone: Camunda reads only paging from its query string.
  const source = req.method === 'POST' ? { ...withoutSorting(req.query as Record<string, unknown>), ...((req.body as object | undefined) ?? {}) } : req.query;
  return new QueryReader(source as Record<string, unknown>);
}
