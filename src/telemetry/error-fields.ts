/**
 * What a log line may say about an error: its type, code, HTTP status and stack frames, and the same of its causes,
 * never its message. Messages quote what failed (an expression's operand, a worker's errorMessage, a JSON snippet,
 * a database value), which may be patient data; clients still get the message in the response.
 */
import type { LogFields } from '../services/service-context.js';

const MAX_CAUSES = 3;

function framesOf(stack: unknown): string[] | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
  return frames.length > 0 ? frames : undefined;
}

export function errorFields(error: unknown, depth = 0): LogFields {
  if (!(error instanceof Error)) return { type: error === null ? 'null' : typeof error };
  const { code, status, type } = error as { code?: unknown; status?: unknown; type?: unknown };
  const fields: Record<string, unknown> = { type: typeof type === 'string' ? type : error.name || error.constructor.name };
  if (typeof code === 'string' || typeof code === 'number') fields.code = code;
  if (typeof status === 'number') fields.status = status;
  const stack = framesOf(error.stack);
  if (stack) fields.stack = stack;
  if (error.cause !== undefined && depth < MAX_CAUSES) fields.cause = errorFields(error.cause, depth + 1);
  return fields;
}
