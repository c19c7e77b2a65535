/**
 * Makes external tasks available to workers: parked REST long polls wake up, and a task of a topic delivered over
 * Kafka gets a new delivery (attempt + 1, locked for the transport) and an outbox row the relay publishes.
 */
import { isKafkaTopicName, jobTopic } from '../core/kafka-topics.js';
import type { Db } from '../persistence/database.js';
import { startDeliveries, type ExternalTaskRow } from '../persistence/external-task-repository.js';
import { notify } from '../persistence/notifier.js';
import { insertOutboxRows } from '../persistence/outbox-repository.js';
import { childTraceparent, currentTraceparent } from '../telemetry/trace-context.js';
import { EXTERNAL_TASK_CHANNEL, externalTaskAvailable } from './external-task-notifications.js';

/** KAFKA_* settings the commands need: which topics go over Kafka, and how long a published task stays locked. */
export interface KafkaDelivery {
  topicPrefix: string;
  externalTopics: '*' | ReadonlySet<string>;
  lockDurationMs: number;
}

/** The worker a task delivered over Kafka is locked by until a worker's result names itself. */
export const KAFKA_WORKER_ID = 'kafka';

/** Wakes the outbox relays of every node; the payload is when the new rows become due. */
export const OUTBOX_CHANNEL = 'engine_outbox';

export function deliversOverKafka(delivery: KafkaDelivery | null, topicName: string): delivery is KafkaDelivery {
  if (!delivery || !isKafkaTopicName(topicName)) return false;
  return delivery.externalTopics === '*' || delivery.externalTopics.has(topicName);
}

export type AnnouncedTask = Pick<ExternalTaskRow, 'id' | 'topic_name' | 'process_instance_id'>;

/** Announces tasks that became claimable at `availableAt` (null: now), inside the command that made them so. */
export async function announceExternalTasks(db: Db, delivery: KafkaDelivery | null, tasks: readonly AnnouncedTask[], now: Date, availableAt: Date | null = null): Promise<void> {
  const overKafka = tasks.filter((task) => deliversOverKafka(delivery, task.topic_name));
  const restTopics = new Set(tasks.filter((task) => !overKafka.includes(task)).map((task) => task.topic_name));
  // Delivered on COMMIT only, so a parked fetchAndLock on any node wakes to rows it can see.
  for (const topic of restTopics) await notify(db, EXTERNAL_TASK_CHANNEL, externalTaskAvailable(topic, availableAt));
  if (overKafka.length === 0 || !delivery) return;

  const due = availableAt ?? now;
  const deliveries = await startDeliveries(db, overKafka.map((task) => task.id), KAFKA_WORKER_ID, due, new Date(due.getTime() + delivery.lockDurationMs));
  const traceparent = currentTraceparent();
  await insertOutboxRows(db, deliveries.map((task) => ({
    external_task_id: task.id,
    attempt: task.delivery_attempt,
    topic: jobTopic(delivery.topicPrefix, task.topic_name),
    message_key: task.process_instance_id,
    traceparent: childTraceparent(traceparent),
    available_at: due,
    created: now,
  })));
  if (deliveries.length > 0) await notify(db, OUTBOX_CHANNEL, due.toISOString());
}
