/**
 * Makes external tasks available to workers: parked REST long polls wake up, and a task of a topic delivered over
 * Kafka gets a new delivery (attempt + 1, locked for the transport) and an outbox row the relay publishes.
 */
import { isKafkaTopicName, jobTopic } from '../core/kafka-topics.js';
import type { Db } from '../persistence/database.js';
import { startDeliveries, type ExternalTaskRow } from '../persistence/external-task-repository.js';
import { notify } from '../persistence/notifier.js';
import { insertOutboxRows } from '../persistence/outbox-repository.js';
import { childTraceparent, handOverTraceparent } from '../telemetry/trace-context.js';
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

/**
 * The delivery columns of a task created now: its first Kafka delivery (attempt 1, locked for the transport) when its
 * topic goes over Kafka, so creating it takes no second write; nothing otherwise.
 */
export function firstDelivery(delivery: KafkaDelivery | null, topicName: string, now: Date): Pick<ExternalTaskRow, 'worker_id' | 'lock_expiration_time' | 'delivery_attempt'> {
  if (!deliversOverKafka(delivery, topicName)) return { worker_id: null, lock_expiration_time: null, delivery_attempt: 0 };
  return { worker_id: KAFKA_WORKER_ID, lock_expiration_time: new Date(now.getTime() + delivery.lockDurationMs), delivery_attempt: 1 };
}

/** Announces tasks just created with `firstDelivery`'s columns: their outbox rows, or a wake-up of REST long polls. */
export async function announceCreatedExternalTasks(db: Db, delivery: KafkaDelivery | null, tasks: ReadonlyArray<AnnouncedTask & Pick<ExternalTaskRow, 'delivery_attempt'>>, now: Date): Promise<void> {
  await notifyRestWorkers(db, tasks.filter((task) => task.delivery_attempt === 0), null);
  if (delivery) await queueDeliveries(db, delivery, tasks.filter((task) => task.delivery_attempt > 0), now, now);
}

/** Announces tasks that became claimable at `availableAt` (null: now), inside the command that made them so. */
export async function announceExternalTasks(db: Db, delivery: KafkaDelivery | null, tasks: readonly AnnouncedTask[], now: Date, availableAt: Date | null = null): Promise<void> {
  const overKafka = tasks.filter((task) => deliversOverKafka(delivery, task.topic_name));
  await notifyRestWorkers(db, tasks.filter((task) => !overKafka.includes(task)), availableAt);
  if (overKafka.length === 0 || !delivery) return;
  const due = availableAt ?? now;
  const deliveries = await startDeliveries(db, overKafka.map((task) => task.id), KAFKA_WORKER_ID, due, new Date(due.getTime() + delivery.lockDurationMs));
  await queueDeliveries(db, delivery, deliveries, due, now);
}

async function notifyRestWorkers(db: Db, tasks: readonly AnnouncedTask[], availableAt: Date | null): Promise<void> {
  // Delivered on COMMIT only, so a parked fetchAndLock on any node wakes to rows it can see.
  for (const topic of new Set(tasks.map((task) => task.topic_name))) await notify(db, EXTERNAL_TASK_CHANNEL, externalTaskAvailable(topic, availableAt));
}

/** The outbox rows of deliveries due at `due`, continuing the current trace, and a wake-up for the relays. */
async function queueDeliveries(db: Db, delivery: KafkaDelivery, deliveries: ReadonlyArray<AnnouncedTask & Pick<ExternalTaskRow, 'delivery_attempt'>>, due: Date, now: Date): Promise<void> {
  if (deliveries.length === 0) return;
  await insertOutboxRows(db, deliveries.map((task) => ({
    external_task_id: task.id,
    attempt: task.delivery_attempt,
    topic: jobTopic(delivery.topicPrefix, task.topic_name),
    message_key: task.process_instance_id,
    // Without a trace context, each delivery starts a trace of its own.
    traceparent: handOverTraceparent() ?? childTraceparent(null),
    available_at: due,
    created: now,
  })));
  await notify(db, OUTBOX_CHANNEL, due.toISOString());
}
