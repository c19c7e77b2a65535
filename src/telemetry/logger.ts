/** The process logger (pino), shaped as the services' Logger. */
import { pino } from 'pino';
import type { Logger } from '../services/service-context.js';

export function createLogger(level: string): Logger & { pino: pino.Logger } {
  const logger = pino({ level, base: undefined });
  return {
    pino: logger,
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message) => logger.error(message),
  };
}
