/** Camunda 7 typed variables: the REST wire form, the stored form and the plain values expressions see, converted as Camunda does. */
import { formatCamundaDate, parseCamundaDate } from './camunda-date.js';
import { InvalidRequestError, ProcessEngineError, RestError } from './errors.js';
import { parseExactJson, toExactJson } from './exact-json.js';

export type ValueType =
  | 'String' | 'Boolean' | 'Short' | 'Integer' | 'Long' | 'Double' | 'Date' | 'Bytes' | 'Null' | 'Object' | 'Json' | 'Xml' | 'File';

/** The stored form: what a `variable` table row holds. `text` is the canonical serialization; binary content in `bytes`. */
export interface StoredValue {
  type: ValueType;
  text: string | null;
  bytes: Buffer | null;
  valueInfo: Record<string, unknown>;
  /**
   * Content that follows `bytes` (an upload in pieces): written one statement per piece, so the whole content is never
   * joined in memory; only set on values about to be written.
   */
  moreBytes?: readonly Buffer[];
}

/** The REST wire form as a request carries it. A Long beyond 2^53 arrives as a `bigint` (see exact-json). */
export interface VariableValueDto {
  type?: string | null;
  value?: unknown;
  valueInfo?: Record<string, unknown> | null;
}

/** The REST wire form as a response carries it. A Long beyond 2^53 is a `bigint`, so its digits survive to the serializer. */
export interface WireValue {
  type: ValueType;
  value: unknown;
  valueInfo: Record<string, unknown>;
}

export const VALUE_TYPES: readonly ValueType[] = [
  'String', 'Boolean', 'Short', 'Integer', 'Long', 'Double', 'Date', 'Bytes', 'Null', 'Object', 'Json', 'Xml', 'File',
];

/** Engine-side type names are lower-camel; REST names are those with the first letter raised. */
function toEngineName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const TYPE_BY_ENGINE_NAME = new Map<string, ValueType>(VALUE_TYPES.map((t) => [toEngineName(t), t]));

const JAVA_TYPES: Partial<Record<ValueType, string>> = {
  String: 'java.lang.String',
  Boolean: 'java.lang.Boolean',
  Short: 'java.lang.Short',
  Integer: 'java.lang.Integer',
  Long: 'java.lang.Long',
  Double: 'java.lang.Double',
  Date: 'java.util.Date',
  Bytes: '[B',
  Null: 'javax.lang.model.type.NullType',
};

const INTEGER_RANGES: Partial<Record<ValueType, readonly [bigint, bigint]>> = {
  Short: [-(2n ** 15n), 2n ** 15n - 1n],
  Integer: [-(2n ** 31n), 2n ** 31n - 1n],
  Long: [-(2n ** 63n), 2n ** 63n - 1n],
};

const JSON_FORMAT = 'application/json';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const LONG_LIMIT = 2 ** 63;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function fitsLong(n: bigint): boolean {
  const [min, max] = INTEGER_RANGES.Long as readonly [bigint, bigint];
  return n >= min && n <= max;
}

function stored(type: ValueType, text: string | null, valueInfo: Record<string, unknown> = {}, bytes: Buffer | null = null): StoredValue {
  return { type, text, bytes, valueInfo };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renders a value the way Java's `toString` would appear in Camunda's messages (close enough for scalars). */
function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return toExactJson(value);
  return String(value);
}

/** Resolves a REST type name; Camunda lower-cases only the first letter, so `string` and `String` resolve but `STRING` does not. */
function resolveType(name: string): ValueType {
  const type = name === '' ? undefined : TYPE_BY_ENGINE_NAME.get(toEngineName(name));
  if (type === undefined) throw new RestError(400, `Unsupported value type '${name}'`);
  return type;
}

/** The type Camunda's untyped-value handling would pick for a JSON value. */
function inferType(value: unknown): ValueType {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return 'Integer';
    if (Number.isInteger(value) && Math.abs(value) < LONG_LIMIT) return 'Long';
    return 'Double';
  }
  if (typeof value === 'bigint') return fitsLong(value) ? 'Long' : 'Double';
  // Camunda would make objects and arrays a Java-serialized Object and then refuse it; storing JSON is the useful reading.
  return 'Json';
}

/**
 * Converts a primitive's value to its canonical text. Camunda re-reads a mismatched value as the JSON string `"<value>"`
 * with Jackson, so `"42"` is an Integer and `5` a Double; Jackson also reads `""` and `"null"` as null for these types.
 */
function primitiveText(type: ValueType, value: unknown, typeName: string): string | null {
  const fail = (): InvalidRequestError =>
    new InvalidRequestError(400, `Cannot convert value '${describe(value)}' of type '${typeName}' to java type ${JAVA_TYPES[type]}`);
  if (value === null || value === undefined) return null;
  if (type === 'Null') throw fail();
  if (type === 'String') return typeof value === 'string' ? value : describe(value);
  if (typeof value === 'object') throw fail();
  const source = String(value);
  if (typeof value === 'string' && (source === '' || source.trim() === 'null')) return null;
  const trimmed = source.trim();
  const range = INTEGER_RANGES[type];
  if (range !== undefined) {
    if (!/^[+-]?\d+$/.test(trimmed)) throw fail();
    const n = BigInt(trimmed);
    if (n < range[0] || n > range[1]) throw fail();
    return n.toString();
  }
  switch (type) {
    case 'Double': {
      if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed)) throw fail();
      const n = Number(trimmed);
      // JSON cannot carry NaN or Infinity back out, so an overflowing literal is refused rather than stored.
      if (!Number.isFinite(n)) throw fail();
      return String(n);
    }
    case 'Boolean':
      if (trimmed === 'true' || trimmed === 'True' || trimmed === 'TRUE') return 'true';
      if (trimmed === 'false' || trimmed === 'False' || trimmed === 'FALSE') return 'false';
      throw fail();
    case 'Date':
      if (typeof value !== 'string') throw fail();
      try {
        return parseCamundaDate(trimmed).toISOString();
      } catch {
        throw fail();
      }
    default:
      throw fail();
  }
}

function parseBytes(value: unknown, typeName: string): Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !BASE64_PATTERN.test(value)) {
    throw new InvalidRequestError(400, `Cannot convert value '${describe(value)}' of type '${typeName}' to java type [B`);
  }
  return Buffer.from(value, 'base64');
}

function parseSerializable(type: 'Object' | 'Json' | 'Xml', value: unknown, valueInfo: Record<string, unknown>, typeName: string): StoredValue {
  let text = value;
  // Camunda insists on a string here; a structured Json value is stringified because that is unambiguous.
  if (type === 'Json' && typeof value === 'object' && value !== null) text = toExactJson(value);
  if (text === undefined) text = null;
  if (text !== null && typeof text !== 'string') {
    throw new InvalidRequestError(400, `Must provide 'null' or String value for value of SerializableValue type '${typeName}'.`);
  }
  if (type !== 'Object') return stored(type, text);
  const info: Record<string, unknown> = {};
  for (const key of ['objectTypeName', 'serializationDataFormat']) {
    const v = valueInfo[key];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') throw new InvalidRequestError(400, `valueInfo.${key} must be a string`);
    info[key] = v;
  }
  return stored('Object', text, info);
}

function parseFile(value: unknown, valueInfo: Record<string, unknown>): StoredValue {
  const filename = valueInfo.filename;
  if (filename === null || filename === undefined) {
    throw new InvalidRequestError(400, 'Cannot create file without filename! Please set a name into ValueInfo with key filename');
  }
  if (typeof value !== 'string') {
    throw new InvalidRequestError(400, 'Provided value is not of File, InputStream or byte[] type.');
  }
  const info: Record<string, unknown> = { filename: String(filename) };
  // camunda-external-task-client-js sends `mimetype`; Camunda itself reads `mimeType`.
  const mimeType = valueInfo.mimeType ?? valueInfo.mimetype;
  if (mimeType !== null && mimeType !== undefined) info.mimeType = String(mimeType);
  if (valueInfo.encoding !== null && valueInfo.encoding !== undefined) info.encoding = String(valueInfo.encoding);
  // Lenient decoding, as the commons-codec decoder Camunda uses for files.
  return stored('File', null, info, Buffer.from(value, 'base64'));
}

/** Validates and converts one REST variable into its stored form; throws 400 errors with Camunda's messages. */
export function parseVariableDto(dto: VariableValueDto): StoredValue {
  if (!isRecord(dto)) throw new InvalidRequestError(400, 'A variable value must be an object with type, value and valueInfo');
  const rawInfo = dto.valueInfo;
  if (rawInfo !== null && rawInfo !== undefined && !isRecord(rawInfo)) {
    throw new InvalidRequestError(400, 'A variable valueInfo must be an object');
  }
  const valueInfo: Record<string, unknown> = rawInfo ?? {};
  const { value } = dto;
  if (dto.type === null || dto.type === undefined) {
    const inferred = inferType(value);
    if (inferred === 'Json') return stored('Json', toExactJson(value));
    return stored(inferred, primitiveText(inferred, value, inferred));
  }
  const typeName = String(dto.type);
  const type = resolveType(typeName);
  const transientFlag = valueInfo.transient;
  if (transientFlag !== null && transientFlag !== undefined && typeof transientFlag !== 'boolean') {
    throw new InvalidRequestError(400, "The property 'transient' should have a value of type 'boolean'.");
  }
  switch (type) {
    case 'Object':
    case 'Json':
    case 'Xml':
      return parseSerializable(type, value, valueInfo, typeName);
    case 'File':
      return parseFile(value, valueInfo);
    case 'Bytes':
      return stored('Bytes', null, {}, parseBytes(value, typeName));
    default:
      return stored(type, primitiveText(type, value, typeName));
  }
}

/** Parses a REST variables map; an absent map is empty. */
export function parseVariableDtos(map: Record<string, VariableValueDto> | undefined | null): Map<string, StoredValue> {
  const result = new Map<string, StoredValue>();
  if (map === null || map === undefined) return result;
  if (!isRecord(map)) throw new InvalidRequestError(400, 'Variables must be an object mapping names to values');
  for (const [name, dto] of Object.entries(map)) result.set(name, parseVariableDto(dto));
  return result;
}

/** True when the request marks the variable transient: it is then passed on but never stored. */
export function isTransient(dto: VariableValueDto): boolean {
  return isRecord(dto) && isRecord(dto.valueInfo) && dto.valueInfo.transient === true;
}

function parseJsonOrText(text: string, parseJson: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parseJson(text);
  } catch {
    // Camunda would fail only when the value is deserialized; handing the text on keeps reads working.
    return text;
  }
}

function isJsonObject(v: StoredValue): boolean {
  return v.type === 'Object' && v.valueInfo.serializationDataFormat === JSON_FORMAT;
}

function numberValue(v: StoredValue): number | null {
  return v.text === null ? null : Number(v.text);
}

/** Converts a stored value to the REST response form. `deserializeValues` (default true, as GET variables) only affects Object. */
export function toWireValue(v: StoredValue, options: { deserializeValues?: boolean } = {}): WireValue {
  const deserialize = options.deserializeValues ?? true;
  const valueInfo = { ...v.valueInfo };
  let value: unknown;
  switch (v.type) {
    case 'String':
    case 'Json':
    case 'Xml':
      value = v.text;
      break;
    case 'Boolean':
      value = v.text === null ? null : v.text === 'true';
      break;
    case 'Short':
    case 'Integer':
    case 'Double':
      value = numberValue(v);
      break;
    case 'Long': {
      const n = numberValue(v);
      value = n === null || Number.isSafeInteger(n) ? n : BigInt(v.text as string);
      break;
    }
    case 'Date':
      value = v.text === null ? null : formatCamundaDate(new Date(v.text));
      break;
    case 'Bytes':
      value = v.bytes === null ? null : v.bytes.toString('base64');
      break;
    case 'Object':
      value = deserialize && isJsonObject(v) && v.text !== null ? parseJsonOrText(v.text, parseExactJson) : v.text;
      break;
    case 'Null':
    case 'File':
      // File content is fetched through …/data only, never inlined.
      value = null;
      break;
  }
  return { type: v.type, value, valueInfo };
}

/** The value expressions and the BPMN engine see. Binary content never enters engine state, so Bytes and File are null. */
export function toPlainValue(v: StoredValue): unknown {
  switch (v.type) {
    case 'String':
    case 'Xml':
      return v.text;
    case 'Json':
      return v.text === null ? null : parseJsonOrText(v.text);
    case 'Object':
      return isJsonObject(v) && v.text !== null ? parseJsonOrText(v.text) : v.text;
    case 'Boolean':
      return v.text === null ? null : v.text === 'true';
    case 'Short':
    case 'Integer':
    case 'Long':
    case 'Double':
      return numberValue(v);
    case 'Date':
      return v.text === null ? null : new Date(v.text);
    case 'Bytes':
    case 'File':
    case 'Null':
      return null;
  }
}

function fitsInteger(value: number, type: ValueType): boolean {
  const range = INTEGER_RANGES[type];
  if (range === undefined || !Number.isInteger(value)) return false;
  // A double beyond the Long range cannot be converted to BigInt faithfully; compare in doubles first.
  if (Math.abs(value) >= LONG_LIMIT && type === 'Long') return false;
  const n = BigInt(value);
  return n >= range[0] && n <= range[1];
}

function jsonText(value: unknown): string {
  try {
    return toExactJson(value);
  } catch (err) {
    throw new ProcessEngineError(`Cannot serialize variable value as JSON: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Stores a value the engine or an expression produced. The previous type is kept while the value still fits it, so a Long
 * stays a Long and a Json document stays Json; an unchanged value returns `previous` itself, keeping exact Long digits.
 */
export function fromPlainValue(value: unknown, previous?: StoredValue): StoredValue {
  if (previous !== undefined && previous.type !== 'Bytes' && previous.type !== 'File' && plainValueEquals(toPlainValue(previous), value)) {
    return previous;
  }
  if (value === null || value === undefined) return stored('Null', null);
  if (typeof value === 'string') return stored(previous?.type === 'Xml' ? 'Xml' : 'String', value);
  if (typeof value === 'boolean') return stored('Boolean', String(value));
  if (typeof value === 'number') {
    const prevType = previous?.type;
    if (prevType === 'Double') return stored('Double', String(value));
    if (prevType !== undefined && INTEGER_RANGES[prevType] !== undefined && fitsInteger(value, prevType)) {
      return stored(prevType, BigInt(value).toString());
    }
    // Unlike JSON input, an engine number beyond 2^53 is already imprecise, so it is not dressed up as an exact Long.
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return stored('Integer', String(value));
    if (Number.isSafeInteger(value)) return stored('Long', String(value));
    return stored('Double', String(value));
  }
  if (typeof value === 'bigint') {
    if (!fitsLong(value)) throw new ProcessEngineError(`Cannot store ${value} as a Long variable: out of range`);
    return stored('Long', value.toString());
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ProcessEngineError('Cannot store an invalid Date as a variable');
    return stored('Date', value.toISOString());
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return stored('Bytes', null, {}, Buffer.from(value));
  if (typeof value === 'object') {
    if (previous !== undefined && isJsonObject(previous)) return stored('Object', jsonText(value), { ...previous.valueInfo });
    return stored('Json', jsonText(value));
  }
  throw new ProcessEngineError(`Cannot store a value of type ${typeof value} as a variable`);
}

function isPlainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Absent and null are the same variable value; NaN equals itself so it never looks changed.
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    if (!(a instanceof Date && b instanceof Date)) return false;
    const ta = a.getTime();
    const tb = b.getTime();
    return ta === tb || (Number.isNaN(ta) && Number.isNaN(tb));
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isPlainEqual(item, b[i]));
  }
  // Keys holding undefined vanish in JSON, so they count as absent.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keysA = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const keysB = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && isPlainEqual(ra[k], rb[k]));
}

/** Deep equality of plain values (Dates by instant, null ≡ undefined), used to tell which variables an activity changed. */
export function plainValueEquals(a: unknown, b: unknown): boolean {
  return isPlainEqual(a, b);
}
