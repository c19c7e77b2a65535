/** Wire contract v1 as Kafka messages, without a broker: reading a job message and building the result message of an answer. */
import { parseExactJson, toExactJson } from '../core/exact-json.js';
import { describeIssues } from './schema-issues.js';
import { childTraceParent, formatTraceParent, parseTraceParent } from '../core/trace-parent.js';
import { ATTEMPT_HEADER, jobMessageSchema, TRACEPARENT_HEADER, type JobAnswer, type JobMessage, type JobResult } from './wire-contract.js';
import type { TaskDelivery } from './worker-task.js';

/** A header as kafkajs hands it over. */
export type HeaderValue = Buffer | string | Array<Buffer | string> | undefined;

export interface IncomingJobMessage {
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

export interface OutgoingResultMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function headerText(headers: Record<string, HeaderValue> | undefined, name: string): string | null {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === null) return null;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** The `attempt` header: a positive decimal; a job without a readable one counts as the first attempt. */
export function attemptOf(text: string | null): number {
  if (text === null || !/^\s*\d+\s*$/.test(text)) return 1;
  const attempt = Number(text);
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/**
 * The job a message carries, or why it carries none. The problem never quotes the value (it may hold patient data).
 * An invalid `traceparent` is dropped, as W3C asks of a header that cannot be parsed.
 */
export function readJobMessage(message: IncomingJobMessage): { delivery: TaskDelivery } | { problem: string } {
  if (message.value === null || message.value === undefined) return { problem: 'the message has no value' };
  let value: unknown;
  try {
    value = parseExactJson(typeof message.value === 'string' ? message.value : message.value.toString('utf8'));
  } catch {
    return { problem: 'the value is not JSON' };
  }
  const checked = jobMessageSchema.safeParse(value);
  if (!checked.success) return { problem: `the value is not a job: ${describeIssues(checked.error.issues)}` };
  const trace = parseTraceParent(headerText(message.headers, TRACEPARENT_HEADER));
  const job = value as JobMessage;
  // fetchAndLock always sends a variables map; a producer that leaves it out means none.
  job.variables ??= {};
  return {
    delivery: {
      message: job,
      attempt: attemptOf(headerText(message.headers, ATTEMPT_HEADER)),
      traceparent: trace === null ? null : formatTraceParent(trace),
    },
  };
}

/** The result message of an answer: keyed by process instance, traced as a child span of the job (or the handler's span) when the job was traced. */
export function resultMessage(delivery: TaskDelivery, workerId: string, answer: JobAnswer, traceparent: string | null = childTraceParent(delivery.traceparent)): OutgoingResultMessage {
  const result: JobResult = { taskId: delivery.message.id, attempt: delivery.attempt, workerId, ...answer };
  return {
    key: delivery.message.processInstanceId,
    value: toExactJson(result),
    headers: traceparent === null ? {} : { [TRACEPARENT_HEADER]: traceparent },
  };
}
