/** Fields every log line written while serving one request carries (its request id), through async calls. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogFields } from '../services/service-context.js';

const current = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` added to every line logged inside it (nested contexts add to the outer one). */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  return current.run({ ...current.getStore(), ...fields }, work);
}

export function currentLogContext(): LogFields | undefined {
  return current.getStore();
}
