/**
 * W3C trace context (`traceparent`) carried through a request or a Kafka result into the commands it runs, so the
 * deliveries those commands start continue the caller's trace (engine → worker → engine).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { childTraceParent, formatTraceParent, parseTraceParent } from '../core/trace-parent.js';

const current = new AsyncLocalStorage<string>();

/** A traceparent for a new span: a child of `parent` when it is valid, else the root of a new, sampled trace. */
export function childTraceparent(parent: string | null | undefined): string {
  return childTraceParent(parent) ?? formatTraceParent({ version: '00', traceId: randomBytes(16).toString('hex'), parentId: randomBytes(8).toString('hex'), flags: '01' });
}

/** Runs `work` with `traceparent` (when valid) as the current trace context. */
export function withTraceparent<T>(traceparent: unknown, work: () => T): T {
  const parsed = parseTraceParent(typeof traceparent === 'string' ? traceparent : null);
  return parsed ? current.run(formatTraceParent(parsed), work) : work();
}

export function currentTraceparent(): string | null {
  return current.getStore() ?? null;
}
