/**
 * The engine's span names and attributes, in one place, and the helpers services record them with. With tracing off
 * every helper calls straight through. Spans never carry variable values, business keys or error messages (they may
 * hold patient data): only ids, names, types, counts and error codes.
 */
import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Link, type Span } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { remoteSpanContext, tracingEnabled } from './trace-context.js';

/** The instrumentation scope of the engine's own spans. */
export const ENGINE_TRACER = 'camunda7-compatible-engine';

/** Span names; a command's, an activity's and a job's span names end with what they are about. */
export const ENGINE_SPANS = {
  /** `bpmn.command <name>`: one command, one transaction. */
  command: 'bpmn.command',
  /** `bpmn.activity <type> <activityId>`: an activity instance a command started or ended. */
  activity: 'bpmn.activity',
  /** `bpmn.job <type>`: a timer or async continuation executed. */
  job: 'bpmn.job',
  fetchAndLock: 'bpmn.external_task.fetch_and_lock',
  complete: 'bpmn.external_task.complete',
  failure: 'bpmn.external_task.failure',
  bpmnError: 'bpmn.external_task.bpmn_error',
  extendLock: 'bpmn.external_task.extend_lock',
  /** The outbox relay publishing a batch of deliveries to Kafka. */
  publish: 'bpmn.external_task.publish',
} as const;

/** Attribute keys (no workflow semantic conventions are stable yet: open-telemetry/semantic-conventions#1688). */
export const ENGINE_ATTRIBUTES = {
  commandName: 'bpmn.command.name',
  definitionId: 'bpmn.process.definition_id',
  definitionKey: 'bpmn.process.definition_key',
  definitionVersion: 'bpmn.process.definition_version',
  processInstanceId: 'bpmn.process_instance.id',
  activityId: 'bpmn.activity.id',
  activityType: 'bpmn.activity.type',
  activityInstanceId: 'bpmn.activity.instance_id',
  /** What the command did to the activity instance: started, ended, started_and_ended or canceled. */
  activityTransition: 'bpmn.activity.transition',
  jobId: 'bpmn.job.id',
  jobType: 'bpmn.job.type',
  jobRetries: 'bpmn.job.retries',
  externalTaskId: 'bpmn.external_task.id',
  externalTaskTopic: 'bpmn.external_task.topic',
  /** The delivery attempt of a Kafka delivery (the `attempt` header). */
  externalTaskAttempt: 'bpmn.external_task.attempt',
  externalTaskRetries: 'bpmn.external_task.retries',
  externalTaskCount: 'bpmn.external_task.count',
  workerId: 'bpmn.external_task.worker_id',
  errorCode: 'bpmn.error.code',
  /** OTel's general attribute: the Camunda exception type, or the error's class. */
  errorType: 'error.type',
} as const;

/** Attributes of one process instance. */
export interface InstanceAttributes {
  definitionId: string;
  definitionKey: string;
  definitionVersion: number;
  processInstanceId: string;
}

export function instanceAttributes(instance: InstanceAttributes): Attributes {
  return {
    [ENGINE_ATTRIBUTES.definitionId]: instance.definitionId,
    [ENGINE_ATTRIBUTES.definitionKey]: instance.definitionKey,
    [ENGINE_ATTRIBUTES.definitionVersion]: instance.definitionVersion,
    [ENGINE_ATTRIBUTES.processInstanceId]: instance.processInstanceId,
  };
}

function tracer() {
  return trace.getTracer(ENGINE_TRACER);
}

function errorTypeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'type' in error && typeof error.type === 'string') return error.type;
  return error instanceof Error ? error.constructor.name : typeof error;
}

/** Marks a span failed: status error and `error.type`; never the message, which may quote a variable. */
export function failSpan(span: Span, error: unknown): void {
  span.setAttribute(ENGINE_ATTRIBUTES.errorType, errorTypeOf(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * Runs `work` in a new active span that ends with it, failed when it throws; just `work()` with tracing off (the
 * attributes and links are functions, so that path builds nothing). A `root`
 * span starts its own trace, also inside untraced polling (a job the executor found, a batch the relay publishes).
 */
export function inSpan<T>(name: string, attributes: () => Attributes, work: (span?: Span) => Promise<T>, options: { links?: () => Link[]; root?: boolean } = {}): Promise<T> {
  if (!tracingEnabled()) return work();
  return tracer().startActiveSpan(name, { attributes: attributes(), links: options.links?.(), root: options.root }, options.root ? ROOT_CONTEXT : context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

const annotated = new WeakSet<Span>();

/** Adds the instance's attributes to the active span (a command's), once: the first instance a command touches names it. */
export function annotateActiveSpan(attributes: Attributes): void {
  if (!tracingEnabled()) return;
  const span = trace.getActiveSpan();
  if (!span || annotated.has(span)) return;
  annotated.add(span);
  span.setAttributes(attributes);
}

/** Records finished child spans of the active span, e.g. the activities a command ran (the engine runs them synchronously). */
export function recordChildSpans(spans: ReadonlyArray<{ name: string; attributes: Attributes }>): void {
  if (!tracingEnabled()) return;
  for (const { name, attributes } of spans) tracer().startSpan(name, { attributes }).end();
}

/** Runs background polling (due jobs, outbox rows) without spans, so an idle node sends no traces of its own. */
export function untraced<T>(work: () => T): T {
  if (!tracingEnabled()) return work();
  return context.with(suppressTracing(context.active()), work);
}

/** Links to the traces of stored trace contexts (the tasks a fetch or a publish hands out). */
export function linksTo(traceparents: ReadonlyArray<string | null>): Link[] {
  const links: Link[] = [];
  for (const traceparent of traceparents) {
    const spanContext = remoteSpanContext(traceparent);
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}
