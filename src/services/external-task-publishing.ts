/**
 * The engine's side of the Kafka transport: lease outbox rows and lock their tasks for publishing, sweep tasks no
 * delivery covers, and apply workers' results fenced by task id and attempt.
 */
import { lockUndeliveredTasks, findExternalTasks, updateExternalTask, updateExternalTasks, type ExternalTaskRow } from '../persistence/external-task-repository.js';
import { deleteOutboxRows, leaseDueOutboxRows, outboxBacklog, releaseOutboxRows } from '../persistence/outbox-repository.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { announceExternalTasks, type KafkaDelivery } from './external-task-delivery.js';
import { completeExternalTask, extendExternalTaskLock, failExternalTask, throwExternalTaskBpmnError, withRequestedVariables, type LockedExternalTask } from './external-task-service.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';

/** A delivery ready to publish: the task locked for the transport with the variables it carries. */
export interface PendingDelivery {
  outboxId: string;
  topic: string;
  key: string;
  attempt: number;
  traceparent: string | null;
  /** When the delivery became due: publishing it later is the outbox's lag. */
  dueAt: Date;
  locked: LockedExternalTask;
}

function kafkaOf(ctx: ServiceContext): KafkaDelivery {
  if (!ctx.options.kafka) throw new Error('Kafka delivery is not configured (KAFKA_BROKERS)');
  return ctx.options.kafka;
}

/**
 * Leases due outbox rows and locks each one's task for KAFKA_LOCK_DURATION from now. Rows whose delivery is over
 * (task gone, suspended, out of retries, or delivered again since) are dropped: nothing would accept their result.
 */
export async function leaseDeliveries(ctx: ServiceContext, options: { leaseMs: number; limit: number }): Promise<PendingDelivery[]> {
  const { lockDurationMs } = kafkaOf(ctx);
  return runCommand(ctx, 'lease deliveries', async ({ tx }) => {
    const now = ctx.clock.now();
    const rows = await leaseDueOutboxRows(tx, now, options.leaseMs, options.limit);
    const tasks = new Map((await findExternalTasks(tx, rows.map((row) => row.external_task_id))).map((task) => [task.id, task]));
    const stale: string[] = [];
    const live: Array<{ row: (typeof rows)[number]; task: ExternalTaskRow }> = [];
    for (const row of rows) {
      const task = tasks.get(row.external_task_id);
      if (task && task.delivery_attempt === row.attempt && !task.suspended && task.retries !== 0) {
        live.push({ row, task });
        continue;
      }
      stale.push(row.id);
      // A suspended task loses its Kafka lock with its delivery, so activating it delivers it again at once.
      if (task?.suspended && task.delivery_attempt === row.attempt) await updateExternalTask(tx, task.id, { worker_id: null, lock_expiration_time: null });
    }
    await deleteOutboxRows(tx, stale);
    // The lock runs from the publish; refreshed only where it would run out soon (rows that waited for Kafka), so a
    // delivery published as soon as it was due costs no write here.
    const lockedUntil = new Date(now.getTime() + lockDurationMs);
    const refresh = live.filter(({ task }) => task.lock_expiration_time === null || new Date(task.lock_expiration_time).getTime() < now.getTime() + lockDurationMs / 2);
    await updateExternalTasks(tx, refresh.map(({ task }) => task.id), { lock_expiration_time: lockedUntil });
    const refreshed = new Set(refresh.map(({ task }) => task.id));
    // What a REST fetchAndLock answers by default, with the extension properties too.
    const locked = await withRequestedVariables(
      tx,
      live.map(({ task }) => (refreshed.has(task.id) ? { ...task, lock_expiration_time: lockedUntil } : task)),
      (task) => ({ topicName: task.topic_name, includeExtensionProperties: true }),
    );
    return live.map(({ row }, i) => ({
      outboxId: row.id,
      topic: row.topic,
      key: row.message_key,
      attempt: row.attempt,
      traceparent: row.traceparent,
      dueAt: new Date(row.available_at),
      locked: locked[i]!,
    }));
  });
}

/** Removes published rows: their deliveries are in Kafka now. */
export async function completeDeliveries(ctx: ServiceContext, outboxIds: readonly string[]): Promise<void> {
  await deleteOutboxRows(ctx.database.knex, outboxIds);
}

/** Hands leased rows back after a failed publish, for the next attempt. */
export async function releaseDeliveries(ctx: ServiceContext, outboxIds: readonly string[]): Promise<void> {
  await releaseOutboxRows(ctx.database.knex, outboxIds);
}

/**
 * Starts a delivery for claimable tasks of Kafka topics that have none: tasks from before Kafka was configured, ones a
 * REST worker let go, and ones whose Kafka lock ran out without a result (published again with attempt + 1).
 */
export async function redeliverUndeliveredTasks(ctx: ServiceContext, limit: number): Promise<number> {
  const kafka = kafkaOf(ctx);
  return runCommand(ctx, 'redeliver external tasks', async ({ tx }) => {
    const now = ctx.clock.now();
    const ids = await lockUndeliveredTasks(tx, kafka.externalTopics === '*' ? null : [...kafka.externalTopics], now, limit);
    const tasks = await findExternalTasks(tx, ids);
    await announceExternalTasks(tx, kafka, tasks, now);
    return tasks.length;
  });
}

/** Deliveries due but not published yet, and since when the oldest waits: what /metrics reports as the outbox backlog. */
export async function deliveryBacklog(ctx: ServiceContext): Promise<{ pending: number; oldestDue: Date | null }> {
  return outboxBacklog(ctx.database.knex, ctx.clock.now());
}

/** A worker's result as the Kafka transport carries it (wire contract v1), already checked for shape. */
export interface JobResult {
  taskId: string;
  attempt: number;
  workerId: string;
  action: 'complete' | 'failure' | 'bpmnError' | 'extendLock';
  variables?: Record<string, VariableValueDto> | null;
  localVariables?: Record<string, VariableValueDto> | null;
  errorMessage?: string | null;
  errorDetails?: string | null;
  retries?: number | null;
  retryTimeout?: number | null;
  errorCode?: string | null;
  newDuration?: number | null;
}

/**
 * Applies a result in one command, as the matching REST call would, but fenced by its attempt instead of the worker:
 * a result for an earlier delivery throws StaleResultError, one for a task that is gone a 404 RestError.
 */
export async function applyJobResult(ctx: ServiceContext, result: JobResult): Promise<void> {
  const { taskId, attempt, workerId } = result;
  switch (result.action) {
    case 'complete':
      return completeExternalTask(ctx, taskId, { workerId, attempt, variables: result.variables, localVariables: result.localVariables });
    case 'failure':
      return failExternalTask(ctx, taskId, { workerId, attempt, variables: result.variables, localVariables: result.localVariables, errorMessage: result.errorMessage, errorDetails: result.errorDetails, retries: result.retries, retryTimeout: result.retryTimeout });
    case 'bpmnError':
      return throwExternalTaskBpmnError(ctx, taskId, { workerId, attempt, variables: result.variables, errorCode: result.errorCode, errorMessage: result.errorMessage });
    case 'extendLock':
      return extendExternalTaskLock(ctx, taskId, workerId, result.newDuration, attempt);
  }
}
