/**
 * Keeps patient data out of every span, the instrumentations' included: exceptions keep only their type (messages
 * and stacks may quote variable values), statuses lose their message, and URLs lose their query string (Camunda's
 * `variables=name_eq_value` filters carry values).
 */
import type { AttributeValue, Attributes, Exception, SpanStatus, TimeInput } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Attributes the HTTP instrumentation fills with a URL or its query (old and stable semantic conventions). */
const URL_ATTRIBUTES = new Set(['http.url', 'http.target', 'url.full', 'url.query']);

function withoutQuery(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (!URL_ATTRIBUTES.has(key) || typeof value !== 'string') return value;
  if (key === 'url.query') return value === '' ? value : 'REDACTED';
  const query = value.indexOf('?');
  return query < 0 ? value : `${value.slice(0, query)}?REDACTED`;
}

function exceptionType(exception: Exception): string {
  if (typeof exception === 'string') return 'Error';
  return exception.name ?? (typeof exception.code === 'string' ? exception.code : undefined) ?? exception.constructor?.name ?? 'Error';
}

export class RedactingSpanProcessor implements SpanProcessor {
  onStart(span: Span): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      const kept = withoutQuery(key, value);
      if (kept !== value) span.setAttribute(key, kept!);
    }
    const setAttribute = span.setAttribute.bind(span);
    const setAttributes = span.setAttributes.bind(span);
    const recordException = span.recordException.bind(span);
    const setStatus = span.setStatus.bind(span);
    span.setAttribute = (key: string, value: AttributeValue) => setAttribute(key, withoutQuery(key, value)!);
    span.setAttributes = (attributes: Attributes) => setAttributes(Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, withoutQuery(key, value)])));
    span.recordException = (exception: Exception, time?: TimeInput) => recordException({ name: exceptionType(exception) }, time);
    span.setStatus = (status: SpanStatus) => setStatus({ code: status.code });
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
