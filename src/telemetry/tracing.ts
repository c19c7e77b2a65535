/**
 * OpenTelemetry tracing: the Node SDK with the HTTP, Express, pg and kafkajs instrumentations and the exporters the
 * parsed OTEL_* settings name. Loaded only when tracing is on, and started before the modules it instruments load.
 */
import { register } from 'node:module';
import { context, propagation, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, BatchSpanProcessor, ConsoleSpanExporter, ParentBasedSampler, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { RedactingSpanProcessor } from './redacting-span-processor.js';
import { keptTraceparent, remoteSpanContext, useOpenTelemetryContext } from './trace-context.js';

/** The OTEL_* settings tracing needs (the configuration's `tracing`). */
export interface TracingSettings {
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly otlp: { readonly url: string; readonly headers: Readonly<Record<string, string>> } | null;
  readonly console: boolean;
}

export interface TracingOptions {
  /** More span processors (tests add an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** Instrument http, express, pg and kafkajs (default); tests in one process with modules already loaded turn it off. */
  instrumentations?: boolean;
}

/** The modules the instrumentations patch when they are imported from ESM (import-in-the-middle wraps only these). */
const INSTRUMENTED_MODULES = ['express', 'router', 'pg', 'kafkajs', 'http', 'https', 'node:http', 'node:https'];
/** How long shutdown waits for the last spans to be exported before it gives up on them. */
const FLUSH_TIMEOUT_MS = 5_000;

let sdk: NodeSDK | null = null;
let esmHookRegistered = false;

/** Puts a delivery's stored trace context back into its Kafka message, and links the send span to it. */
function keepDeliveryTrace(span: Span, { message }: { message: { headers?: Record<string, unknown> } }): void {
  const traceparent = keptTraceparent(message);
  if (traceparent === undefined) return;
  message.headers = { ...message.headers, traceparent };
  const remote = remoteSpanContext(traceparent);
  if (remote) span.addLink({ context: remote });
}

function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation(),
    new ExpressInstrumentation(),
    // Statement text only (knex binds every value as a parameter); parameter values are never recorded.
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    new KafkaJsInstrumentation({ producerHook: keepDeliveryTrace }),
  ];
}

function spanProcessors(settings: TracingSettings): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (settings.otlp) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlp.url, headers: { ...settings.otlp.headers } })));
  if (settings.console) processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  return processors;
}

/**
 * Starts tracing. Call it before importing anything that loads express, pg, kafkajs or http: instrumentations patch a
 * module as it loads (CommonJS through require-in-the-middle, ESM through the import-in-the-middle loader hook).
 */
export function startTracing(settings: TracingSettings, options: TracingOptions = {}): void {
  if (sdk) throw new Error('tracing is started already');
  const instrument = options.instrumentations ?? true;
  if (instrument && !esmHookRegistered) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: INSTRUMENTED_MODULES } });
    esmHookRegistered = true;
  }
  sdk = new NodeSDK({
    // Everything explicit: the SDK would otherwise read OTEL_* itself, and configuration is parsed in one place.
    resource: resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName }),
    resourceDetectors: [hostDetector, processDetector],
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    textMapPropagator: new W3CTraceContextPropagator(),
    // The redacting processor comes first: it scrubs each span as it starts, before any exporter sees it.
    spanProcessors: [new RedactingSpanProcessor(), ...spanProcessors(settings), ...(options.spanProcessors ?? [])],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrument ? instrumentations() : [],
  });
  sdk.start();
  useOpenTelemetryContext(true);
}

/** Flushes and stops tracing (graceful shutdown); waits at most FLUSH_TIMEOUT_MS for an exporter that does not answer. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  if (!running) return;
  sdk = null;
  useOpenTelemetryContext(false);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    running.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  // Unregistered, so tracing can start again in the same process (tests do).
  trace.disable();
  context.disable();
  propagation.disable();
}
