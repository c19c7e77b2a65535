/** W3C trace context: reads a `traceparent` header and writes the header of a child span in the same trace. */
import { randomBytes } from 'node:crypto';

export interface TraceParent {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
}

// Later versions may append fields after the flags; version 00 must end there.
const TRACE_PARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The parts of a valid header, or null for an absent or invalid one (which, per W3C, starts no trace to continue). */
export function parseTraceParent(header: string | null | undefined): TraceParent | null {
  if (typeof header !== 'string') return null;
  const match = TRACE_PARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return null;
  return { version, traceId, parentId, flags };
}

export function formatTraceParent(parent: TraceParent): string {
  return `${parent.version}-${parent.traceId}-${parent.parentId}-${parent.flags}`;
}

function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!ALL_ZEROS.test(id)) return id;
  }
}

/** A version-00 header for a new span in the parent's trace (same trace id and flags, fresh span id); null without a valid parent. */
export function childTraceParent(parent: TraceParent | string | null | undefined): string | null {
  const parsed = typeof parent === 'string' || parent === null || parent === undefined ? parseTraceParent(parent) : parent;
  if (parsed === null) return null;
  return formatTraceParent({ version: '00', traceId: parsed.traceId, parentId: newSpanId(), flags: parsed.flags });
}
