/**
 * W3C trace context (`traceparent`) carried through a request or a Kafka result into the commands it runs, so the
 * deliveries those commands start continue the caller's trace (engine → worker → engine).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const current = new AsyncLocalStorage<string>();

/** The header if it is a valid version-00 traceparent (trace and parent id not all zeros), else null. */
export function parseTraceparent(header: unknown): { traceId: string; parentId: string; flags: string } | null {
  if (typeof header !== 'string') return null;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return null;
  return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
}

/** A traceparent for a new span: a child of `parent` when it is valid, else the root of a new, sampled trace. */
export function childTraceparent(parent: string | null | undefined): string {
  const parsed = parseTraceparent(parent);
  const spanId = randomBytes(8).toString('hex');
  return parsed ? `00-${parsed.traceId}-${spanId}-${parsed.flags}` : `00-${randomBytes(16).toString('hex')}-${spanId}-01`;
}

/** Runs `work` with `traceparent` (when valid) as the current trace context. */
export function withTraceparent<T>(traceparent: unknown, work: () => T): T {
  const parsed = parseTraceparent(traceparent);
  return parsed ? current.run(`00-${parsed.traceId}-${parsed.parentId}-${parsed.flags}`, work) : work();
}

export function currentTraceparent(): string | null {
  return current.getStore() ?? null;
}
