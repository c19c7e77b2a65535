/** The task a handler receives: its plain, checked variables and the answers it may give (one final: complete, fail or bpmnError). */
import type { z } from 'zod';
import { describeIssues } from './schema-issues.js';
import { failureRetries, type FinalAction, type TaskAnswers } from './task-answers.js';
import { toWireVariables } from './task-variables.js';
import type { JobMessage } from './wire-contract.js';

/** What a final answer resolves to; a handler must return one, so TypeScript catches a path that forgets to answer. */
export class TaskAnswered {
  private readonly brand = 'TaskAnswered';

  constructor(readonly action: FinalAction) {}
}

export interface TaskFailure {
  message: string;
  details?: string | null;
  /** Default: the subscription's `retries` on the first failure, then one less than the task has left. 0 raises an incident. */
  retries?: number;
  /** Default: the subscription's `retryTimeout`. */
  retryTimeout?: number;
}

type LocalVariables = Record<string, unknown>;

/** `complete()` may omit its variables only when the output type has no required key. */
type CompleteArguments<Output> = Record<string, never> extends Output
  ? [variables?: Output, localVariables?: LocalVariables]
  : [variables: Output, localVariables?: LocalVariables];

export interface WorkerTask<Variables = Record<string, unknown>, Output = Record<string, unknown>> {
  readonly id: string;
  readonly topicName: string;
  readonly processInstanceId: string;
  readonly businessKey: string | null;
  /** Retries left as the engine counts them; null before the first failure. */
  readonly retries: number | null;
  /** The delivery attempt: Kafka's `attempt` header; always 1 over REST, which does not count deliveries. */
  readonly attempt: number;
  /** The job's W3C trace context, if it had one. */
  readonly traceparent: string | null;
  /** The variables as plain values, checked by the input schema when there is one. */
  readonly variables: Variables;
  /** The task as it came over the wire. */
  readonly raw: JobMessage;
  /** Completes with variables checked by the output schema; a mismatch is answered as a failure without retries instead. */
  complete(...args: CompleteArguments<Output>): Promise<TaskAnswered>;
  fail(failure: TaskFailure): Promise<TaskAnswered>;
  /** Throws a BPMN error at the task, for an error boundary event to catch. */
  bpmnError(errorCode: string, errorMessage?: string, variables?: Record<string, unknown>): Promise<TaskAnswered>;
  /** Extends the lock to `newDuration` ms from now; not an answer, so it may be called again. */
  extendLock(newDuration: number): Promise<void>;
}

/** Runs a task; must return one of its final answers. A throw is answered as a failure counting down the retries. */
export type TaskHandler<Variables, Output> = (task: WorkerTask<Variables, Output>) => Promise<TaskAnswered>;

/** One job as a transport received it. */
export interface TaskDelivery {
  message: JobMessage;
  attempt: number;
  traceparent: string | null;
}

export interface AnswerRules {
  output: z.ZodType | undefined;
  retries: number;
  retryTimeout: number;
  /** Told when an answer turns into a failure without retries because its variables do not match or cannot be written. */
  onRefused(problem: string): void;
}

function checkDuration(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the task. Each answer method claims the task synchronously (so answering twice throws at once) and then always
 * sends something: when the variables do not match the output schema or cannot be converted, that is a failure without
 * retries, since such data will not fix itself.
 */
export function createWorkerTask<Variables, Output>(
  delivery: TaskDelivery,
  variables: Variables,
  answers: TaskAnswers,
  rules: AnswerRules,
): WorkerTask<Variables, Output> {
  const { message } = delivery;

  async function refuse(problem: string): Promise<TaskAnswered> {
    rules.onRefused(problem);
    await answers.deliver({ action: 'failure', errorMessage: problem, errorDetails: problem, retries: 0, retryTimeout: 0 });
    return new TaskAnswered('failure');
  }

  async function complete(output: unknown, localVariables: LocalVariables | undefined): Promise<TaskAnswered> {
    let checked: unknown = output ?? {};
    if (rules.output !== undefined) {
      let result;
      try {
        result = await rules.output.safeParseAsync(checked);
      } catch (error) {
        return refuse(`Output variables could not be checked: ${messageOf(error)}`);
      }
      if (!result.success) return refuse(`Output variables do not match the schema: ${describeIssues(result.error.issues)}`);
      checked = result.data;
    }
    let wire;
    let localWire;
    try {
      wire = toWireVariables(checked as Record<string, unknown>);
      localWire = toWireVariables(localVariables);
    } catch (error) {
      return refuse(`Output variables cannot be written: ${messageOf(error)}`);
    }
    await answers.deliver({ action: 'complete', variables: wire, localVariables: localWire });
    return new TaskAnswered('complete');
  }

  async function bpmnError(errorCode: string, errorMessage: string | undefined, errorVariables: Record<string, unknown> | undefined): Promise<TaskAnswered> {
    let wire;
    try {
      wire = toWireVariables(errorVariables);
    } catch (error) {
      return refuse(`BPMN error variables cannot be written: ${messageOf(error)}`);
    }
    await answers.deliver({ action: 'bpmnError', errorCode, errorMessage: errorMessage ?? null, variables: wire });
    return new TaskAnswered('bpmnError');
  }

  async function fail(failure: TaskFailure, retries: number): Promise<TaskAnswered> {
    const retryTimeout = failure.retryTimeout ?? rules.retryTimeout;
    await answers.deliver({ action: 'failure', errorMessage: failure.message, errorDetails: failure.details ?? null, retries, retryTimeout });
    return new TaskAnswered('failure');
  }

  return {
    id: message.id,
    topicName: message.topicName,
    processInstanceId: message.processInstanceId,
    businessKey: message.businessKey ?? null,
    retries: message.retries ?? null,
    attempt: delivery.attempt,
    traceparent: delivery.traceparent,
    variables,
    raw: message,

    complete(...args: CompleteArguments<Output>) {
      answers.claim('complete', true);
      return complete(args[0], args[1]);
    },

    fail(failure: TaskFailure) {
      answers.claim('failure', false);
      if (typeof failure?.message !== 'string') throw new TypeError('fail() needs a message');
      const retries = failure.retries ?? failureRetries(message.retries, rules.retries);
      if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be an integer ≥ 0, got ${retries}`);
      const timeout = failure.retryTimeout;
      if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0)) throw new RangeError(`retryTimeout must be ≥ 0 ms, got ${timeout}`);
      answers.claim('failure', true);
      return fail(failure, retries);
    },

    bpmnError(errorCode: string, errorMessage?: string, errorVariables?: Record<string, unknown>) {
      answers.claim('bpmnError', false);
      if (typeof errorCode !== 'string' || errorCode === '') throw new TypeError('bpmnError() needs an error code');
      answers.claim('bpmnError', true);
      return bpmnError(errorCode, errorMessage, errorVariables);
    },

    extendLock(newDuration: number) {
      answers.claim('extendLock', false);
      checkDuration(newDuration, 'newDuration');
      return answers.deliver({ action: 'extendLock', newDuration });
    },
  };
}
