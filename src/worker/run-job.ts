/** Runs one job for either transport: reads and checks its variables, calls the handler, and sees that one final answer is sent. */
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { childTraceParent, formatTraceParent, parseTraceParent } from '../core/trace-parent.js';
import { describeIssues } from './schema-issues.js';
import { failureRetries, TaskAnswers } from './task-answers.js';
import { toPlainVariables } from './task-variables.js';
import type { JobAnswer } from './wire-contract.js';
import type { Subscription, WorkerLogger } from './worker-options.js';
import { createWorkerTask, type TaskDelivery } from './worker-task.js';

/** The answer to a handler that returned without answering: a bug in the worker, which retrying will not fix. */
export const NO_ANSWER_MESSAGE = 'handler finished without answering';

/** The worker's span around a handler (a child of the engine's span the job carries), when the worker process traces. */
export const HANDLER_SPAN = 'bpmn.external_task.handle';

/** Sends an answer with the trace context it continues (null for an untraced job). */
export type SendTracedAnswer = (answer: JobAnswer, traceparent: string | null) => Promise<void>;

/**
 * The handler's span, started in the job's trace context. Without an OpenTelemetry SDK in the worker process the API
 * is a no-op and the span records nothing; its context is then the job's own.
 */
function startHandlerSpan(delivery: TaskDelivery, topicName: string): { span: Span; parent: ReturnType<typeof context.active> } {
  const parsed = parseTraceParent(delivery.traceparent);
  const parent = parsed
    ? trace.setSpanContext(context.active(), { traceId: parsed.traceId, spanId: parsed.parentId, traceFlags: parseInt(parsed.flags, 16) & TraceFlags.SAMPLED, isRemote: true })
    : context.active();
  const span = trace.getTracer('camunda7-compatible-engine/worker').startSpan(`${HANDLER_SPAN} ${topicName}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'bpmn.external_task.id': delivery.message.id,
      'bpmn.external_task.topic': topicName,
      'bpmn.external_task.attempt': delivery.attempt,
      'bpmn.process_instance.id': delivery.message.processInstanceId,
    },
  }, parent);
  return { span, parent };
}

/** The answers' trace context: the handler's span when it records, else a child of the job's as the wire contract asks. */
function answerTraceparent(delivery: TaskDelivery, span: Span): string | null {
  if (!span.isRecording()) return childTraceParent(delivery.traceparent);
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceParent({ version: '00', traceId, parentId: spanId, flags: traceFlags & TraceFlags.SAMPLED ? '01' : '00' });
}

type Outcome = { threw: false } | { threw: true; error: unknown };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function failureOf(error: unknown, retries: number, retryTimeout: number): JobAnswer {
  const details = error instanceof Error ? (error.stack ?? null) : null;
  return { action: 'failure', errorMessage: messageOf(error), errorDetails: details, retries, retryTimeout };
}

/** The variables the handler sees, or the problem that makes the job unanswerable (sent as a failure without retries). */
async function readVariables(delivery: TaskDelivery, subscription: Subscription): Promise<{ variables: unknown } | { problem: string }> {
  let plain: Record<string, unknown>;
  try {
    plain = toPlainVariables(delivery.message.variables);
  } catch (error) {
    return { problem: `Input variables cannot be read: ${messageOf(error)}` };
  }
  if (subscription.variables === undefined) return { variables: plain };
  const result = await subscription.variables.safeParseAsync(plain);
  if (!result.success) return { problem: `Input variables do not match the schema: ${describeIssues(result.error.issues)}` };
  return { variables: result.data };
}

/**
 * Never rejects: every problem is answered or logged. Resolves once the final answer (and any lock extension) was
 * delivered or its delivery failed, so a transport may then count the job as done.
 */
export async function runJob(delivery: TaskDelivery, subscription: Subscription, send: SendTracedAnswer, logger: WorkerLogger): Promise<void> {
  const { span, parent } = startHandlerSpan(delivery, subscription.topicName);
  try {
    await context.with(trace.setSpan(parent, span), () => runTraced(delivery, subscription, send, logger, answerTraceparent(delivery, span), span));
  } finally {
    span.end();
  }
}

async function runTraced(delivery: TaskDelivery, subscription: Subscription, send: SendTracedAnswer, logger: WorkerLogger, traceparent: string | null, span: Span): Promise<void> {
  const { message } = delivery;
  const label = `task ${message.id} (topic ${subscription.topicName}, attempt ${delivery.attempt})`;
  const answers = new TaskAnswers(message.id, async (answer) => {
    if (answer.action === 'failure') span.setStatus({ code: SpanStatusCode.ERROR });
    if (answer.action === 'bpmnError' && answer.errorCode) span.setAttribute('bpmn.error.code', answer.errorCode);
    try {
      await send(answer, traceparent);
    } catch (error) {
      logger.error(`${label}: the ${answer.action} answer was not delivered: ${(error as Error).message}`);
      throw error;
    }
  });
  const thrownRetries = failureRetries(message.retries, subscription.retries);

  let outcome: Outcome;
  try {
    const read = await readVariables(delivery, subscription);
    if ('problem' in read) {
      logger.warn(`${label}: ${read.problem}; answered a failure without retries`);
      answers.claim('failure', true);
      await answers.deliver({ action: 'failure', errorMessage: read.problem, errorDetails: read.problem, retries: 0, retryTimeout: 0 }).catch(() => {});
      return;
    }
    const task = createWorkerTask(delivery, read.variables, answers, {
      output: subscription.output,
      retries: subscription.retries,
      retryTimeout: subscription.retryTimeout,
      onRefused: (problem) => logger.warn(`${label}: ${problem}; answered a failure without retries`),
    });
    await subscription.handler(task);
    outcome = { threw: false };
  } catch (error) {
    outcome = { threw: true, error };
  }

  if (!answers.answered) {
    answers.claim('failure', true);
    if (outcome.threw) {
      logger.warn(`${label}: the handler failed (${messageOf(outcome.error)}); ${thrownRetries} ${thrownRetries === 1 ? 'retry' : 'retries'} left`);
      void answers.deliver(failureOf(outcome.error, thrownRetries, subscription.retryTimeout)).catch(() => {});
    } else {
      logger.error(`${label}: ${NO_ANSWER_MESSAGE}; answered a failure without retries`);
      void answers.deliver({ action: 'failure', errorMessage: NO_ANSWER_MESSAGE, errorDetails: null, retries: 0, retryTimeout: 0 }).catch(() => {});
    }
  } else if (outcome.threw && !answers.isDeliveryError(outcome.error)) {
    logger.error(`${label}: the handler threw after answering: ${messageOf(outcome.error)}`);
  }
  await answers.settled();
}
