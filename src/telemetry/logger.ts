/** The process logger: pino JSON lines with their fields, the request id and the trace id of the current context. */
import { pino } from 'pino';
import { parseTraceParent } from '../core/trace-parent.js';
import type { LogFields, Logger } from '../services/service-context.js';
import { currentLogContext } from './log-context.js';
import { currentTraceparent } from './trace-context.js';

export interface ProcessLogger extends Logger {
  debug(message: string, fields?: LogFields): void;
  pino: pino.Logger;
}

/** Writes to stdout, or to `destination` (tests capture every line there); `base` fields go on every line (a worker's pid). */
export function createLogger(level: pino.LevelWithSilent, destination?: pino.DestinationStream, base?: Record<string, unknown>): ProcessLogger {
  const logger = pino(
    {
      level,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const traceId = parseTraceParent(currentTraceparent())?.traceId;
        return { ...currentLogContext(), ...(traceId ? { traceId } : {}) };
      },
    },
    destination,
  );
  return {
    pino: logger,
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
