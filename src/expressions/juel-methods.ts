/** The allow-list of methods and properties expressions may reach on values; nothing else is ever invoked. */
import { acceptsArity, EL_METHODS, isElObject, type Arity } from './el-object.js';
import { compileBoundedRegex, RegexBudgetError } from './bounded-regex.js';
import { ElEvaluationError, MethodNotFoundError, PropertyNotFoundError } from './expression-error.js';
import { coerceToInteger, coerceToString, isNull, isPlainObject, javaDateString, javaEquals, typeName } from './juel-coercions.js';

interface MethodSpec<T> {
  readonly arity: Arity;
  call(target: T, args: readonly unknown[]): unknown;
}

type MethodTable<T> = ReadonlyMap<string, MethodSpec<T>>;

/** Names that lead to JavaScript internals; refused on every value so prototypes and constructors stay unreachable. */
const FORBIDDEN_NAMES = new Set(['constructor', 'prototype', '__proto__']);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name) || name.startsWith('__');
}

const STRING_METHODS: MethodTable<string> = new Map<string, MethodSpec<string>>([
  ['length', { arity: 0, call: (s) => s.length }],
  ['toUpperCase', { arity: 0, call: (s) => s.toUpperCase() }],
  ['toLowerCase', { arity: 0, call: (s) => s.toLowerCase() }],
  ['startsWith', { arity: [1, 2], call: (s, [prefix, offset]) => s.startsWith(coerceToString(prefix), offset === undefined ? 0 : coerceToInteger(offset)) }],
  ['endsWith', { arity: 1, call: (s, [suffix]) => s.endsWith(coerceToString(suffix)) }],
  ['contains', { arity: 1, call: (s, [part]) => s.includes(coerceToString(part)) }],
  // Java's equals takes Object, so no coercion: 'a'.equals(1) is false.
  ['equals', { arity: 1, call: (s, [other]) => s === other }],
  ['equalsIgnoreCase', { arity: 1, call: (s, [other]) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase() }],
  ['isEmpty', { arity: 0, call: (s) => s.length === 0 }],
  // Java's trim strips control characters and spaces only, not all Unicode whitespace.
   
  ['trim', { arity: 0, call: (s) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '') }],
  ['substring', { arity: [1, 2], call: (s, [begin, end]) => javaSubstring(s, coerceToInteger(begin), end === undefined ? s.length : coerceToInteger(end)) }],
  ['indexOf', { arity: [1, 2], call: (s, [part, from]) => s.indexOf(coerceToString(part), from === undefined ? 0 : coerceToInteger(from)) }],
  // Java's replace(CharSequence, CharSequence) is a literal replace-all; the function form keeps `$` literal too.
  ['replace', { arity: 2, call: (s, [target, replacement]) => s.replaceAll(coerceToString(target), () => coerceToString(replacement)) }],
  ['split', { arity: [1, 2], call: (s, [regex, limit]) => javaSplit(s, coerceToString(regex), limit === undefined ? 0 : coerceToInteger(limit)) }],
  ['matches', { arity: 1, call: (s, [regex]) => compileRegex(`^(?:${coerceToString(regex)})$`).test(s) }],
  ['toString', { arity: 0, call: (s) => s }],
]);

const NUMBER_METHODS: MethodTable<number> = new Map<string, MethodSpec<number>>([
  ['intValue', { arity: 0, call: (n) => toJavaIntegral(n) }],
  ['longValue', { arity: 0, call: (n) => toJavaIntegral(n) }],
  ['doubleValue', { arity: 0, call: (n) => n }],
  ['floatValue', { arity: 0, call: (n) => Math.fround(n) }],
  ['equals', { arity: 1, call: (n, [other]) => n === other }],
  ['toString', { arity: 0, call: (n) => String(n) }],
]);

const BOOLEAN_METHODS: MethodTable<boolean> = new Map<string, MethodSpec<boolean>>([
  ['booleanValue', { arity: 0, call: (b) => b }],
  ['equals', { arity: 1, call: (b, [other]) => b === other }],
  ['toString', { arity: 0, call: (b) => String(b) }],
]);

const DATE_METHODS: MethodTable<Date> = new Map<string, MethodSpec<Date>>([
  ['getTime', { arity: 0, call: (d) => d.getTime() }],
  ['before', { arity: 1, call: (d, [other]) => d.getTime() < expectDate(other).getTime() }],
  ['after', { arity: 1, call: (d, [other]) => d.getTime() > expectDate(other).getTime() }],
  ['equals', { arity: 1, call: (d, [other]) => javaEquals(d, other) }],
  ['compareTo', { arity: 1, call: (d, [other]) => Math.sign(d.getTime() - expectDate(other).getTime()) }],
  ['toString', { arity: 0, call: (d) => javaDateString(d) }],
]);

const LIST_METHODS: MethodTable<readonly unknown[]> = new Map<string, MethodSpec<readonly unknown[]>>([
  ['size', { arity: 0, call: (list) => list.length }],
  ['isEmpty', { arity: 0, call: (list) => list.length === 0 }],
  ['contains', { arity: 1, call: (list, [item]) => list.some((element) => javaEquals(element, item)) }],
  ['indexOf', { arity: 1, call: (list, [item]) => list.findIndex((element) => javaEquals(element, item)) }],
  ['get', { arity: 1, call: (list, [index]) => listGet(list, coerceToInteger(index)) }],
  ['toString', { arity: 0, call: (list) => coerceToString(list) }],
]);

/** Plain objects and Maps both stand in for java.util.Map, so they share one table over this view. */
interface MapView {
  readonly size: number;
  has(key: unknown): boolean;
  get(key: unknown): unknown;
  keys(): unknown[];
  values(): unknown[];
  readonly original: unknown;
}

const MAP_METHODS: MethodTable<MapView> = new Map<string, MethodSpec<MapView>>([
  ['size', { arity: 0, call: (map) => map.size }],
  ['isEmpty', { arity: 0, call: (map) => map.size === 0 }],
  ['containsKey', { arity: 1, call: (map, [key]) => map.has(key) }],
  ['containsValue', { arity: 1, call: (map, [value]) => map.values().some((element) => javaEquals(element, value)) }],
  ['get', { arity: 1, call: (map, [key]) => (map.has(key) ? map.get(key) : null) }],
  ['keySet', { arity: 0, call: (map) => map.keys() }],
  ['values', { arity: 0, call: (map) => map.values() }],
  ['toString', { arity: 0, call: (map) => coerceToString(map.original) }],
]);

function mapView(value: Record<string, unknown> | Map<unknown, unknown>): MapView {
  if (value instanceof Map) {
    return {
      size: value.size,
      has: (key) => value.has(key),
      get: (key) => value.get(key),
      keys: () => [...value.keys()],
      values: () => [...value.values()],
      original: value,
    };
  }
  return {
    size: Object.keys(value).length,
    // Own properties only: inherited members such as toString must never look like map entries.
    has: (key) => Object.hasOwn(value, coerceToString(key)),
    get: (key) => value[coerceToString(key)],
    keys: () => Object.keys(value),
    values: () => Object.values(value),
    original: value,
  };
}

/** Pairs a value with the method table that applies to it, or undefined when it has none. */
function tableFor(value: unknown): { table: MethodTable<never>; target: unknown } | undefined {
  if (typeof value === 'string') return { table: STRING_METHODS, target: value };
  if (typeof value === 'number') return { table: NUMBER_METHODS, target: value };
  if (typeof value === 'boolean') return { table: BOOLEAN_METHODS, target: value };
  if (value instanceof Date) return { table: DATE_METHODS, target: value };
  if (Array.isArray(value)) return { table: LIST_METHODS, target: value };
  if (value instanceof Map || isPlainObject(value)) return { table: MAP_METHODS, target: mapView(value) };
  return undefined;
}

/** Invokes an allow-listed method on a non-shim value; the caller has already ruled out null. */
export function invokeValueMethod(target: unknown, name: string, args: readonly unknown[]): unknown {
  if (isForbiddenName(name)) throw methodNotFound(target, name, args.length);
  if (isElObject(target)) {
    const arity = target[EL_METHODS].get(name);
    if (arity === undefined || !acceptsArity(arity, args.length)) throw methodNotFound(target, name, args.length);
    const method = (target as unknown as Record<string, (...params: unknown[]) => unknown>)[name];
    return method.apply(target, [...args]);
  }
  const entry = tableFor(target);
  const spec = entry?.table.get(name) as MethodSpec<unknown> | undefined;
  if (entry === undefined || spec === undefined || !acceptsArity(spec.arity, args.length)) {
    throw methodNotFound(target, name, args.length);
  }
  return spec.call(entry.target, args);
}

/** Resolves `base.name` / `base[key]` on a non-shim value, following EL's resolver chain. */
export function getValueProperty(base: unknown, key: unknown): unknown {
  if (typeof key === 'string' && isForbiddenName(key)) {
    throw new PropertyNotFoundError(`Property '${key}' is not accessible in expressions`);
  }
  if (Array.isArray(base)) {
    const index = coerceToInteger(key);
    // EL's list and array resolvers yield null rather than failing for an index out of range.
    return index >= 0 && index < base.length ? base[index] : null;
  }
  if (base instanceof Map) return base.has(key) ? base.get(key) : null;
  if (isElObject(base) && base.elProperty !== undefined) return base.elProperty(key);
  const name = coerceToString(key);
  if (isPlainObject(base)) {
    // Variables are maps in Camunda, where a missing key reads as null.
    if (!Object.hasOwn(base, name)) return null;
    const value = base[name];
    if (typeof value === 'function') throw new PropertyNotFoundError(`Property '${name}' of ${typeName(base)} is a function`);
    return value;
  }
  const getter = findGetter(base, name);
  if (getter === undefined) throw new PropertyNotFoundError(`Property '${name}' not found on type ${typeName(base)}`);
  return invokeValueMethod(base, getter, []);
}

/** EL's bean convention: `x.fooBar` reads through an allow-listed `getFooBar()` or `isFooBar()`. */
function findGetter(base: unknown, name: string): string | undefined {
  const suffix = name.charAt(0).toUpperCase() + name.slice(1);
  const candidates = [`get${suffix}`, `is${suffix}`];
  const accepts = (arity: Arity | undefined): boolean => arity !== undefined && acceptsArity(arity, 0);
  if (isElObject(base)) return candidates.find((candidate) => accepts(base[EL_METHODS].get(candidate)));
  const entry = tableFor(base);
  return candidates.find((candidate) => accepts(entry?.table.get(candidate)?.arity));
}

/**
 * Resolves a member on a caller-provided shim (execution, task): own data first, then a bean getter.
 * Shims may be class instances, so methods are looked up through the prototype, but never Object's own members.
 */
export function getShimProperty(shim: object, shimName: string, name: string): unknown {
  if (isForbiddenName(name)) throw new PropertyNotFoundError(`Property '${name}' is not accessible in expressions`);
  const record = shim as Record<string, unknown>;
  if (Object.hasOwn(shim, name) && typeof record[name] !== 'function') return record[name];
  const suffix = name.charAt(0).toUpperCase() + name.slice(1);
  for (const getter of [`get${suffix}`, `is${suffix}`]) {
    const fn = shimFunction(shim, getter);
    if (fn !== undefined) return fn.call(shim);
  }
  throw new PropertyNotFoundError(`Property '${name}' not found on ${shimName}`);
}

export function invokeShimMethod(shim: object, shimName: string, name: string, args: readonly unknown[]): unknown {
  const fn = isForbiddenName(name) ? undefined : shimFunction(shim, name);
  if (fn === undefined) throw new MethodNotFoundError(`Method '${name}' not found on ${shimName}`);
  return fn.apply(shim, [...args]);
}

function shimFunction(shim: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (name in Object.prototype && !Object.hasOwn(shim, name)) return undefined;
  const candidate = (shim as Record<string, unknown>)[name];
  return typeof candidate === 'function' ? (candidate as (...args: unknown[]) => unknown) : undefined;
}

function methodNotFound(target: unknown, name: string, argCount: number): MethodNotFoundError {
  return new MethodNotFoundError(`Method '${name}' with ${argCount} argument(s) not found or not allowed on type ${typeName(target)}`);
}

function javaSubstring(s: string, begin: number, end: number): string {
  if (begin < 0 || end > s.length || begin > end) {
    throw new ElEvaluationError(`String index out of range: begin ${begin}, end ${end}, length ${s.length}`);
  }
  return s.slice(begin, end);
}

/** Java's String.split: regex separators, no captured groups in the result, trailing empties dropped when limit is 0. */
function javaSplit(s: string, regex: string, limit: number): string[] {
  const pattern = compileRegex(regex, 'g');
  const parts: string[] = [];
  let last = 0;
  let matched = false;
  for (const match of s.matchAll(pattern)) {
    if (limit > 0 && parts.length === limit - 1) break;
    // Since Java 8 a zero-width match at the start never produces a leading empty string.
    if (match.index === 0 && match[0].length === 0) continue;
    matched = true;
    parts.push(s.slice(last, match.index));
    last = match.index + match[0].length;
  }
  if (!matched) return [s];
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function compileRegex(source: string, flags = ''): RegExp {
  try {
    return compileBoundedRegex(source, flags);
  } catch (error) {
    if (error instanceof RegexBudgetError) throw new ElEvaluationError(error.message);
    throw new ElEvaluationError(`Invalid regular expression '${source}': ${(error as Error).message}`);
  }
}

function toJavaIntegral(n: number): number {
  return Number.isNaN(n) ? 0 : Math.trunc(n);
}

function listGet(list: readonly unknown[], index: number): unknown {
  if (index < 0 || index >= list.length) throw new ElEvaluationError(`Index ${index} out of bounds for length ${list.length}`);
  return list[index];
}

function expectDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (isNull(value)) throw new ElEvaluationError('Cannot compare a date with null');
  throw new ElEvaluationError(`Expected a java.util.Date, got ${typeName(value)}`);
}
