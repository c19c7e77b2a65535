/** The answers given for one task: at most one final answer, and every delivery tracked so the job ends only once all were sent. */
import type { JobAnswer, JobResultAction } from './wire-contract.js';

export type FinalAction = Exclude<JobResultAction, 'extendLock'>;

/** Sends one answer to the engine; resolves once it was delivered (REST: answered 204; Kafka: the broker acknowledged). */
export type SendAnswer = (answer: JobAnswer) => Promise<void>;

/** Thrown in the handler when a task is answered a second time, or its lock extended after the answer. */
export class TaskAlreadyAnsweredError extends Error {
  constructor(taskId: string, given: FinalAction, attempted: JobResultAction) {
    super(`Task ${taskId} was already answered (${given}); ${attempted} is refused: a task takes one final answer`);
    this.name = 'TaskAlreadyAnsweredError';
  }
}

/** The retries a failure reports when it names none: the configured count first, then one less per failure, never below 0. */
export function failureRetries(taskRetries: number | null | undefined, configured: number): number {
  return taskRetries === null || taskRetries === undefined ? configured : Math.max(taskRetries - 1, 0);
}

export class TaskAnswers {
  private final: FinalAction | null = null;
  private readonly pending = new Set<Promise<void>>();
  private readonly deliveryErrors = new WeakSet<object>();

  constructor(private readonly taskId: string, private readonly send: SendAnswer) {}

  get answered(): boolean {
    return this.final !== null;
  }

  /** Throws unless the task is still open; `final` also claims the one final answer for `action`. */
  claim(action: JobResultAction, final: boolean): void {
    if (this.final !== null) throw new TaskAlreadyAnsweredError(this.taskId, this.final, action);
    if (final) this.final = action as FinalAction;
  }

  /** Sends an answer; a rejection is remembered so the handler rethrowing it is not reported twice. */
  deliver(answer: JobAnswer): Promise<void> {
    const delivery = this.send(answer).catch((error: unknown) => {
      if (typeof error === 'object' && error !== null) this.deliveryErrors.add(error);
      throw error;
    });
    const tracked = delivery.then(() => undefined, () => undefined);
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
    return delivery;
  }

  isDeliveryError(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.deliveryErrors.has(error);
  }

  /** Resolves once every delivery started so far (and any started meanwhile) has ended, delivered or not. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
