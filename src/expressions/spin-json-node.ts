/** Camunda Spin's JSON node as expressions see `S(…)` values and Json variables, also readable as the Map or List it holds. */
import { parseExactJson, toExactJson } from '../core/exact-json.js';
import { EL_METHODS, type Arity, type ElObject } from './el-object.js';
import { ElEvaluationError, PropertyNotFoundError } from './expression-error.js';
import { coerceToInteger, coerceToString, isNull, isPlainObject, javaEquals, typeName } from './juel-coercions.js';

type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const SPIN_METHODS: ReadonlyMap<string, Arity> = new Map<string, Arity>([
  // Spin's SpinJsonNode API.
  ['prop', 1],
  ['hasProp', 1],
  ['stringValue', 0],
  ['numberValue', 0],
  ['boolValue', 0],
  ['isNull', 0],
  ['isValue', 0],
  ['isString', 0],
  ['isNumber', 0],
  ['isBoolean', 0],
  ['isArray', 0],
  ['isObject', 0],
  ['elements', 0],
  ['fieldNames', 0],
  ['value', 0],
  ['jsonPath', 1],
  ['toString', 0],
  ['equals', 1],
  // java.util.Map and List methods, which expressions used on Json variables before they were Spin nodes.
  ['size', 0],
  ['isEmpty', 0],
  ['get', 1],
  ['contains', 1],
  ['indexOf', 1],
  ['containsKey', 1],
  ['containsValue', 1],
  ['keySet', 0],
  ['values', 0],
]);

/**
 * A read-only JSON node. Spin's navigation (`prop('a').stringValue()`, `elements()`) works as in Camunda; member and
 * index access (`order.customer`, `items[0]`) and the Map/List methods keep working too, yielding nodes for objects
 * and arrays and plain values for strings, numbers and booleans, so `${order.amount > 100}` still compares numbers.
 */
export class SpinJsonNode implements ElObject {
  readonly [EL_METHODS] = SPIN_METHODS;
  readonly elTypeName = 'org.camunda.spin.json.SpinJsonNode';

  private constructor(
    private readonly json: JsonValue,
    /** A variable's value (or a part reached by member access) seen as a node, rather than a node made by Spin's API. */
    private readonly isVariableView = false,
  ) {}

  /** Spin's `S(…)`: parses JSON text, wraps other values as the JSON they serialize to, and passes nodes through. */
  static of(input: unknown): SpinJsonNode {
    if (input instanceof SpinJsonNode) return input;
    if (isNull(input)) throw new ElEvaluationError("SPIN-01002 Parameter 'input' is null");
    if (typeof input === 'string') {
      try {
        return new SpinJsonNode(parseExactJson(input) as JsonValue);
      } catch (error) {
        throw new ElEvaluationError(`SPIN/JACKSON-JSON-01004 Unable to parse input into json node: ${(error as Error).message}`);
      }
    }
    // A JSON round trip snapshots the value, so later mutation of the variable cannot leak into the node.
    if (typeof input === 'function' || typeof input === 'symbol') throw new ElEvaluationError(`SPIN-01004 Cannot convert '${typeName(input)}' to JSON`);
    return new SpinJsonNode(parseExactJson(toExactJson(input)) as JsonValue);
  }

  /** A variable's object or array as Camunda hands a Json variable to expressions; other values pass unchanged. */
  static ofVariable(value: unknown): unknown {
    // No copy: nodes are read-only, and the value leaves an expression as itself (see unwrapVariableView).
    return Array.isArray(value) || isPlainObject(value) ? new SpinJsonNode(value as JsonValue, true) : value;
  }

  /**
   * What an expression yields: `${order}` or `${order.customer}` is the variable's value itself, as it was before
   * variables became nodes, while a node made by Spin's API (`${S(text)}`, `prop()`) stays a node.
   */
  static unwrapVariableView(value: unknown): unknown {
    return value instanceof SpinJsonNode && value.isVariableView ? value.json : value;
  }

  prop(name: unknown): SpinJsonNode {
    const key = coerceToString(name);
    const object = this.expectObject();
    if (!Object.hasOwn(object, key)) throw new ElEvaluationError(`SPIN/JACKSON-JSON-01001 Unable to find '${key}'`);
    return new SpinJsonNode(object[key]);
  }
  hasProp(name: unknown): boolean {
    return isJsonObject(this.json) && Object.hasOwn(this.json, coerceToString(name));
  }

  stringValue(): string {
    if (typeof this.json !== 'string') throw this.wrongType('String');
    return this.json;
  }
  numberValue(): number {
    if (typeof this.json !== 'number' && typeof this.json !== 'bigint') throw this.wrongType('Number');
    return asElScalar(this.json) as number;
  }
  boolValue(): boolean {
    if (typeof this.json !== 'boolean') throw this.wrongType('Boolean');
    return this.json;
  }

  isNull(): boolean {
    return this.json === null;
  }
  isValue(): boolean {
    return this.json === null || typeof this.json !== 'object';
  }
  isString(): boolean {
    return typeof this.json === 'string';
  }
  isNumber(): boolean {
    return typeof this.json === 'number' || typeof this.json === 'bigint';
  }
  isBoolean(): boolean {
    return typeof this.json === 'boolean';
  }
  isArray(): boolean {
    return Array.isArray(this.json);
  }
  isObject(): boolean {
    return isJsonObject(this.json);
  }

  /** Every element as a node, as Spin returns them; a plain list, so `.size()`, `[i]` and collections work on it. */
  elements(): SpinJsonNode[] {
    return this.expectArray().map((element) => new SpinJsonNode(element));
  }
  fieldNames(): string[] {
    return Object.keys(this.expectObject());
  }

  /** Spin refuses value() on containers; returning a plain copy instead is a deliberate, compatible relaxation. */
  value(): unknown {
    return this.json !== null && typeof this.json === 'object' ? structuredClone(this.json) : asElScalar(this.json);
  }

  jsonPath(path: unknown): never {
    throw new ElEvaluationError(`jsonPath('${coerceToString(path)}') is not supported by this engine; navigate with prop(), elements() and member access instead`);
  }

  size(): number {
    return Array.isArray(this.json) ? this.json.length : Object.keys(this.expectObject()).length;
  }
  isEmpty(): boolean {
    return this.size() === 0;
  }
  get(key: unknown): unknown {
    if (Array.isArray(this.json)) {
      const index = coerceToInteger(key);
      if (index < 0 || index >= this.json.length) throw new ElEvaluationError(`Index ${index} out of bounds for length ${this.json.length}`);
      return this.child(this.json[index]);
    }
    const object = this.expectObject();
    const name = coerceToString(key);
    return Object.hasOwn(object, name) ? this.child(object[name]) : null;
  }
  contains(item: unknown): boolean {
    return this.indexOf(item) >= 0;
  }
  indexOf(item: unknown): number {
    return this.expectArray().findIndex((element) => javaEquals(this.child(element), item));
  }
  containsKey(key: unknown): boolean {
    return Object.hasOwn(this.expectObject(), coerceToString(key));
  }
  containsValue(item: unknown): boolean {
    return Object.values(this.expectObject()).some((element) => javaEquals(this.child(element), item));
  }
  keySet(): string[] {
    return this.fieldNames();
  }
  values(): unknown[] {
    return Object.values(this.expectObject()).map((element) => this.child(element));
  }

  /** `node.name` and `node[key]`: an absent field or index reads as null, as on the Map or List a Json variable was. */
  elProperty(key: unknown): unknown {
    if (Array.isArray(this.json)) {
      const index = coerceToInteger(key);
      return index >= 0 && index < this.json.length ? this.child(this.json[index]) : null;
    }
    if (!isJsonObject(this.json)) throw new PropertyNotFoundError(`Property '${coerceToString(key)}' not found on a JSON ${jsonKind(this.json)} node`);
    const name = coerceToString(key);
    return Object.hasOwn(this.json, name) ? this.child(this.json[name]) : null;
  }

  /** EL's `empty`: null, an empty text, array or object. */
  elEmpty(): boolean {
    if (this.json === null) return true;
    if (typeof this.json === 'string' || Array.isArray(this.json)) return this.json.length === 0;
    return isJsonObject(this.json) && Object.keys(this.json).length === 0;
  }

  equals(other: unknown): boolean {
    return other instanceof SpinJsonNode && jsonEquals(this.json, other.json);
  }

  toString(): string {
    return toExactJson(this.json);
  }

  /** A node that reaches JSON serialization anyway is stored as the JSON it holds. */
  toJSON(): unknown {
    return this.json;
  }

  /** What member access and the Map/List methods yield: objects and arrays stay nodes, scalars are plain values. */
  private child(json: JsonValue): unknown {
    // Only JSON containers: other objects a host value may hold (dates, identity links) pass through as they are.
    return Array.isArray(json) || isPlainObject(json) ? new SpinJsonNode(json, this.isVariableView) : asElScalar(json);
  }

  private expectObject(): JsonObject {
    if (!isJsonObject(this.json)) throw this.wrongType('Object');
    return this.json;
  }

  private expectArray(): JsonValue[] {
    if (!Array.isArray(this.json)) throw this.wrongType('Array');
    return this.json;
  }

  private wrongType(expected: string): ElEvaluationError {
    return new ElEvaluationError(`SPIN/JACKSON-JSON-01002 Expected '${expected}', got '${jsonKind(this.json)}'`);
  }
}

/** Values leave expressions as plain data: nodes, also inside lists and maps (e.g. `elements()`), become the JSON they hold. */
export function toPlainJson(value: unknown): unknown {
  if (value instanceof SpinJsonNode) return value.value();
  if (Array.isArray(value)) {
    const items = value.map(toPlainJson);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]): [string, unknown] => [key, toPlainJson(item)]);
    return entries.some(([key, item]) => item !== value[key]) ? Object.fromEntries(entries) : value;
  }
  return value;
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A Long beyond 2^53 (a bigint from exact JSON) reaches expressions as the nearest double, as Long variables do; the node keeps its digits. */
function asElScalar(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function jsonKind(value: JsonValue): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'string' ? 'STRING' : typeof value === 'number' || typeof value === 'bigint' ? 'NUMBER' : 'BOOLEAN';
}

/** Structural equality, ignoring key order as Jackson's ObjectNode does. */
function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]));
  }
  return false;
}
