/**
 * W3C trace context (`traceparent`) carried through a request or a Kafka result into the commands it runs, so the
 * deliveries those commands start continue the caller's trace (engine → worker → engine). With tracing on it is
 * OpenTelemetry's active span context; off, a plain AsyncLocalStorage holds the caller's header.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { context, isSpanContextValid, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { childTraceParent, formatTraceParent, parseTraceParent } from '../core/trace-parent.js';

const current = new AsyncLocalStorage<string>();
let openTelemetry = false;

/** Called by startTracing and shutdownTracing: the trace context is OpenTelemetry's from then on, or no longer. */
export function useOpenTelemetryContext(on: boolean): void {
  openTelemetry = on;
}

/** Whether tracing is on: engine spans are recorded only then, and cost nothing otherwise. */
export function tracingEnabled(): boolean {
  return openTelemetry;
}

/** A traceparent for a new span: a child of `parent` when it is valid, else the root of a new, sampled trace. */
export function childTraceparent(parent: string | null | undefined): string {
  return childTraceParent(parent) ?? formatTraceParent({ version: '00', traceId: randomBytes(16).toString('hex'), parentId: randomBytes(8).toString('hex'), flags: '01' });
}

/** The span context a valid header names, as a remote parent; null for an absent or invalid one. */
export function remoteSpanContext(traceparent: unknown): SpanContext | null {
  const parsed = parseTraceParent(typeof traceparent === 'string' ? traceparent : null);
  if (!parsed) return null;
  return { traceId: parsed.traceId, spanId: parsed.parentId, traceFlags: parseInt(parsed.flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}

function formatSpanContext(span: SpanContext): string {
  return formatTraceParent({ version: '00', traceId: span.traceId, parentId: span.spanId, flags: span.traceFlags & TraceFlags.SAMPLED ? '01' : '00' });
}

/**
 * Runs `work` with `traceparent` (when valid) as the current trace context. With tracing on, a span already active
 * (the HTTP server span or the Kafka process span, which continued the same header) stays the parent.
 */
export function withTraceparent<T>(traceparent: unknown, work: () => T): T {
  if (openTelemetry) {
    const active = trace.getSpanContext(context.active());
    if (active && isSpanContextValid(active)) return work();
    const remote = remoteSpanContext(traceparent);
    return remote ? context.with(trace.setSpanContext(context.active(), remote), work) : work();
  }
  const parsed = parseTraceParent(typeof traceparent === 'string' ? traceparent : null);
  return parsed ? current.run(formatTraceParent(parsed), work) : work();
}

/** The current trace context as a header: the active span's with tracing on, else the caller's; null without one. */
export function currentTraceparent(): string | null {
  if (openTelemetry) {
    const active = trace.getSpanContext(context.active());
    return active && isSpanContextValid(active) ? formatSpanContext(active) : null;
  }
  return current.getStore() ?? null;
}

/**
 * The trace context a task hands to its worker: the active span (a span that exists, so the worker's spans connect
 * to it) with tracing on; off, a child of the caller's context as the Kafka transport always sent; null without one.
 */
export function handOverTraceparent(): string | null {
  if (openTelemetry) return currentTraceparent();
  return childTraceParent(current.getStore());
}

const kept = new WeakMap<object, string>();

/**
 * Marks a Kafka message whose `traceparent` header must reach the worker as it is (the engine span its task was created
 * in): the kafkajs instrumentation writes its send span's context over the header, and the tracing setup puts it back.
 */
export function keepTraceparent(message: object, traceparent: string): void {
  kept.set(message, traceparent);
}

export function keptTraceparent(message: object): string | undefined {
  return kept.get(message);
}
