/** Handles one job message without knowing kafkajs: read it, skip a redelivery, run the job, produce its answers. */
import type { HandledJobs } from './handled-jobs.js';
import { readJobMessage, resultMessage, type IncomingJobMessage, type OutgoingResultMessage } from './kafka-messages.js';
import { runJob } from './run-job.js';
import type { Subscription, WorkerLogger } from './worker-options.js';

export interface JobMessageContext {
  subscription: Subscription;
  workerId: string;
  handled: HandledJobs;
  /** Resolves once the broker acknowledged the result message; retries outages itself. */
  produce(message: OutgoingResultMessage, what: string): Promise<void>;
  logger: WorkerLogger;
}

/** Where a message came from, for the log. */
export interface MessagePosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Resolves once the job's answers were produced (or the message was skipped), so the caller may then commit its offset.
 * An unreadable message is logged and skipped; a redelivered (task, attempt) is skipped without running the handler again.
 */
export async function handleJobMessage(message: IncomingJobMessage, position: MessagePosition, context: JobMessageContext): Promise<void> {
  const { subscription, workerId, handled, logger } = context;
  const read = readJobMessage(message);
  if ('problem' in read) {
    logger.error(`skipped the job message at ${position.topic}[${position.partition}] offset ${position.offset}: ${read.problem}`);
    return;
  }
  const { delivery } = read;
  const task = `task ${delivery.message.id} attempt ${delivery.attempt}`;
  const ran = await handled.runOnce(delivery.message.id, delivery.attempt, () =>
    runJob(delivery, subscription, (answer, traceparent) => context.produce(resultMessage(delivery, workerId, answer, traceparent), `the ${answer.action} answer of ${task}`), logger),
  );
  if (!ran) logger.info(`${task} was handled already; skipped its redelivery`);
}
