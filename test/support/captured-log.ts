/** The process logger (pino JSON) writing into memory, so a test can read every line it wrote, parsed. */
import { Writable } from 'node:stream';
import { createLogger, type ProcessLogger } from '../../src/telemetry/logger.js';

export interface CapturedLog {
  logger: ProcessLogger;
  /** Every line as written. */
  text(): string;
  lines(): Array<Record<string, any>>;
}

export function capturedLog(level: 'debug' | 'info' = 'debug'): CapturedLog {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger(level, stream);
  return {
    logger,
    text: () => text,
    lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>),
  };
}
