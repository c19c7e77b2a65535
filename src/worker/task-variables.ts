/** Converts task variables between Camunda's typed wire form and the plain values handlers see, with core's typed values. */
import { z } from 'zod';
import { fromPlainValue, parseVariableDto, toPlainValue, toWireValue } from '../core/typed-value.js';
import type { WireVariable, WireVariables } from './wire-contract.js';

/** Thrown when a variable cannot be converted. Names the variable and its type, never its value (core's message may quote it). */
export class VariableConversionError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'VariableConversionError';
  }
}

function plainValue(variable: WireVariable): unknown {
  // A File's content is never inlined on the wire (only …/data serves it), so a handler sees null, as expressions do.
  if (typeof variable?.type === 'string' && variable.type.toLowerCase() === 'file') return null;
  const stored = parseVariableDto(variable);
  // Bytes stay bytes for a handler (expressions see null); a Buffer goes back out as Bytes.
  if (stored.type === 'Bytes') return stored.bytes;
  return toPlainValue(stored);
}

/**
 * Wire form to plain values: String → string, Integer/Long/Short/Double → number, Boolean → boolean, Date → Date,
 * Json and JSON-serialized Object → parsed value, Null → null, Bytes → Buffer, File → null.
 */
export function toPlainVariables(variables: WireVariables | null | undefined): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(variables ?? {})) {
    try {
      plain[name] = plainValue(variable);
    } catch (error) {
      throw new VariableConversionError(`Variable '${name}' cannot be read as type ${String(variable?.type)}`, { cause: error });
    }
  }
  return plain;
}

function kindOf(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'bigint') return 'a bigint beyond the Long range';
  if (typeof value === 'object') return 'an object JSON cannot represent (circular?)';
  return `a ${typeof value}`;
}

/**
 * Plain values to wire form, typed as core stores an engine value: Date → Date, object or array → Json, an integer → Integer
 * or Long, other numbers → Double, Buffer → Bytes. A property holding undefined is left out (it sets nothing).
 */
export function toWireVariables(variables: Record<string, unknown> | null | undefined): WireVariables {
  const wire: WireVariables = {};
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (value === undefined) continue;
    try {
      wire[name] = toWireValue(fromPlainValue(value));
    } catch (error) {
      throw new VariableConversionError(`Variable '${name}' cannot be written: it holds ${kindOf(value)}`, { cause: error });
    }
  }
  return wire;
}

/** The variable names to fetch: a closed z.object's keys; null (every variable) for any other schema or none. */
export function requestedVariableNames(schema: z.ZodType | undefined): string[] | null {
  if (!(schema instanceof z.ZodObject)) return null;
  // A loose object (or one with a catchall) reads variables beyond its keys; a strict one has a never catchall.
  const catchall = schema.def.catchall;
  if (catchall !== undefined && !(catchall instanceof z.ZodNever)) return null;
  return Object.keys(schema.shape);
}
