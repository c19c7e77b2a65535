/** Conversions between JS values (what REST typed variables become) and FEEL values, and typeRef checks. */
import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, FeelRange, FeelTime, parseDate, parseDateTime, toFeel } from 'feelin';
import { isPlainContext } from './feel-numbers.js';

/**
 * Time zone policy: a JS `Date` is an instant and becomes a FEEL date and time in UTC (`…Z`). Going back, a
 * zoned or offset date and time becomes the `Date` of that instant; a local date and time (no zone) and a date
 * (midnight) are read as UTC. Times and durations have no `Date` form and become their ISO strings.
 */
export function toFeelValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return toFeel(value);
  if (Array.isArray(value)) return value.map(toFeelValue);
  if (isPlainContext(value)) {
    const context: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) context[key] = toFeelValue(entry);
    return context;
  }
  return value;
}

/** The plain JS form of a FEEL value (see the time zone policy above); lists and contexts are converted deeply. */
export function fromFeelValue(value: unknown): unknown {
  if (value instanceof FeelDateTime) return new Date(epochMillis(value));
  if (value instanceof FeelDate) return new Date(`${value.toString()}T00:00:00Z`);
  if (value instanceof FeelTime || value instanceof FeelDuration || value instanceof FeelRange) return value.toString();
  if (value instanceof FeelFunction) return null;
  if (Array.isArray(value)) return value.map(fromFeelValue);
  if (isPlainContext(value)) {
    const context: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) context[key] = fromFeelValue(entry);
    return context;
  }
  return value;
}

function epochMillis(value: FeelDateTime): number {
  return value.unwrap().toZonedDateTime(value.zone ?? 'UTC').epochMilliseconds;
}

/** The FEEL type name of a value, as used in error messages. */
export function feelTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelDateTime) return 'date and time';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDuration) return value.yearsMonths ? 'years and months duration' : 'days and time duration';
  if (value instanceof FeelFunction) return 'function';
  if (value instanceof FeelRange) return 'range';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'context';
  return typeof value;
}

export type Coercion = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Checks (inputs) or converts (outputs) a value for a typeRef. FEEL types (`number`, `string`, `date and time`…)
 * must match; Camunda's types convert as its data type transformers do (`integer`/`long` need whole numbers,
 * `double` and `integer` read numeric strings, `string` prints numbers and booleans, `boolean` reads
 * "true"/"false", `date` reads ISO strings). Unknown typeRefs (item definitions) pass unchanged. Null always passes.
 */
export function coerceToTypeRef(value: unknown, typeRef: string | undefined, convert: boolean): Coercion {
  if (value === null || value === undefined || !typeRef) return { ok: true, value: value ?? null };
  const type = typeRef.replace(/^feel:/, '').trim();
  const fail = (): Coercion => ({ ok: false, reason: `expected ${typeRef} but got ${feelTypeOf(value)} '${describeValue(value)}'` });
  switch (type.toLowerCase()) {
    case 'number':
      return typeof value === 'number' ? { ok: true, value } : fail();
    case 'double':
      if (typeof value === 'number') return { ok: true, value };
      if (convert && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { ok: true, value: Number(value) };
      return fail();
    case 'integer':
    case 'long': {
      const number = convert && typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number) ? { ok: true, value: number } : fail();
    }
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (convert && (typeof value === 'number' || typeof value === 'boolean')) return { ok: true, value: String(value) };
      return fail();
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (convert && (value === 'true' || value === 'false')) return { ok: true, value: value === 'true' };
      return fail();
    case 'date':
      // Camunda's `date` is java.util.Date (a date and time); FEEL's `date` is a calendar date. Both are accepted.
      if (value instanceof FeelDate || value instanceof FeelDateTime) return { ok: true, value };
      if (convert && typeof value === 'string') {
        const parsed = parseDateTime(value) ?? parseDate(value);
        if (parsed) return { ok: true, value: parsed };
      }
      return fail();
    case 'datetime':
    case 'date and time':
      return value instanceof FeelDateTime ? { ok: true, value } : fail();
    case 'time':
      return value instanceof FeelTime ? { ok: true, value } : fail();
    case 'daytimeduration':
    case 'days and time duration':
      return value instanceof FeelDuration && !value.yearsMonths ? { ok: true, value } : fail();
    case 'yearmonthduration':
    case 'years and months duration':
      return value instanceof FeelDuration && value.yearsMonths ? { ok: true, value } : fail();
    case 'duration':
      return value instanceof FeelDuration ? { ok: true, value } : fail();
    case 'context':
      return isPlainContext(value) ? { ok: true, value } : fail();
    default:
      return { ok: true, value };
  }
}

/** A short rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object' && !Array.isArray(value) && !isPlainContext(value)) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
