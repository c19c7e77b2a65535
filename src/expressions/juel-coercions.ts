/** EL 2.2 type coercion and operator semantics, kept apart from tree walking so they can be tested directly. */
import type { BinaryOperator } from './juel-ast.js';
import { isElObject } from './el-object.js';
import { ElEvaluationError } from './expression-error.js';

/** EL treats JavaScript's `undefined` exactly like `null`. */
export function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A Java-like type name, so error messages read like Camunda's. */
export function typeName(value: unknown): string {
  if (isNull(value)) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (value instanceof Date) return 'java.util.Date';
  if (Array.isArray(value)) return 'java.util.List';
  if (value instanceof Map || isPlainObject(value)) return 'java.util.Map';
  if (isElObject(value)) return value.elTypeName;
  return typeof value === 'function' ? 'function' : 'java.lang.Object';
}

const NUMERIC_STRING = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function coerceToNumber(value: unknown): number {
  if (isNull(value)) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === '') return 0;
    if (NUMERIC_STRING.test(value)) return Number(value);
  }
  throw new ElEvaluationError(`Cannot coerce '${describe(value)}' of ${typeName(value)} to a number`);
}

/** EL coerces strings with Boolean.valueOf: only a case-insensitive "true" is true. */
export function coerceToBoolean(value: unknown): boolean {
  if (isNull(value)) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  throw new ElEvaluationError(`Cannot coerce '${describe(value)}' of ${typeName(value)} to a boolean`);
}

/** Mirrors Java's toString for the values variables hold, since composite templates print what Camunda would. */
export function coerceToString(value: unknown): string {
  if (isNull(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return javaDateString(value);
  if (Array.isArray(value)) return `[${value.map(coerceToString).join(', ')}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${coerceToString(k)}=${coerceToString(v)}`).join(', ')}}`;
  }
  if (isPlainObject(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${coerceToString(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Truncates like Java's intValue(), which EL applies to list indexes and int parameters. */
export function coerceToInteger(value: unknown): number {
  const n = coerceToNumber(value);
  if (!Number.isFinite(n)) throw new ElEvaluationError(`Cannot coerce '${describe(value)}' to an integer`);
  return Math.trunc(n);
}

export function isEmptyValue(value: unknown): boolean {
  if (isNull(value)) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  if (isElObject(value) && value.elEmpty !== undefined) return value.elEmpty();
  return false;
}

/** Java's Object.equals for the values expressions see: by value for primitives and dates, else by identity. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (isElObject(a)) return a.equals(b);
  return a === b;
}

/** EL's `==`: numeric if either side is a number, boolean if either is a boolean, textual if either is a string. */
export function elEquals(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return coerceToNumber(a) === coerceToNumber(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return coerceToBoolean(a) === coerceToBoolean(b);
  if (typeof a === 'string' || typeof b === 'string') return coerceToString(a) === coerceToString(b);
  return javaEquals(a, b);
}

/** EL's relational operators; null on either side is never ordered, except that `<=`/`>=` hold for equal values. */
export function elCompare(operator: '<' | '>' | '<=' | '>=', a: unknown, b: unknown): boolean {
  if ((operator === '<=' || operator === '>=') && (a === b || (isNull(a) && isNull(b)))) return true;
  if (isNull(a) || isNull(b)) return false;
  const order = compare(a, b);
  switch (operator) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = coerceToNumber(a);
    const y = coerceToNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' || typeof b === 'string') {
    const x = coerceToString(a);
    const y = coerceToString(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (isElObject(a) && a.compareTo !== undefined) return a.compareTo(b);
  throw new ElEvaluationError(`Cannot compare '${describe(a)}' of ${typeName(a)} with '${describe(b)}' of ${typeName(b)}`);
}

/** EL arithmetic: both null gives 0, otherwise both sides are coerced to numbers; `/` is always a double division. */
export function elArithmetic(operator: '+' | '-' | '*' | '/' | '%', a: unknown, b: unknown): number {
  if (isNull(a) && isNull(b)) return 0;
  const x = coerceToNumber(a);
  const y = coerceToNumber(b);
  switch (operator) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      // EL uses long arithmetic for integer operands, which fails on zero where double arithmetic yields NaN.
      if (y === 0 && Number.isInteger(x) && !isDecimalText(a) && !isDecimalText(b)) {
        throw new ElEvaluationError('/ by zero');
      }
      return x % y;
  }
}

export function elNegate(value: unknown): number {
  if (isNull(value)) return 0;
  return -coerceToNumber(value);
}

export function isArithmetic(operator: BinaryOperator): operator is '+' | '-' | '*' | '/' | '%' {
  return operator === '+' || operator === '-' || operator === '*' || operator === '/' || operator === '%';
}

function isDecimalText(value: unknown): boolean {
  return typeof value === 'string' && /[.eE]/.test(value);
}

/** Short, safe rendering of a value for messages; never invokes user-controlled code. */
export function describe(value: unknown): string {
  if (isNull(value)) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[list of ${value.length}]`;
  if (isElObject(value)) return value.toString();
  return `{${typeName(value)}}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in a UTC JVM, e.g. `Wed Jan 01 10:00:00 UTC 2020`. */
export function javaDateString(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}
