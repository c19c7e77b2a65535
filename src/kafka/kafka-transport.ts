/** Starts a node's Kafka transport: its topics, the outbox relay and the job result consumer; stops them in order. */
import { deadLetterTopic, jobTopic, resultTopic } from '../core/kafka-topics.js';
import type { ServiceContext } from '../services/service-context.js';
import { connectKafka, type KafkaConnectionSettings } from './kafka-connection.js';
import { JobResultConsumer } from './job-result-consumer.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { TopicProvisioner } from './topic-provisioner.js';
import { errorFields } from '../telemetry/error-fields.js';

export interface KafkaTransportSettings extends KafkaConnectionSettings {
  topicPrefix: string;
  externalTopics: '*' | readonly string[];
  partitions: number;
  replicationFactor: number;
}

export interface KafkaTransport {
  readonly relay: OutboxRelay;
  readonly consumer: JobResultConsumer;
  stop(): Promise<void>;
}

/**
 * Creates the result, dead-letter and listed job topics (job topics of `*` are created before their first delivery),
 * then starts relaying and consuming. Kafka being away at start is no error: both retry, and deliveries wait.
 */
export async function startKafkaTransport(ctx: ServiceContext, settings: KafkaTransportSettings, relayOptions: OutboxRelayOptions = {}): Promise<KafkaTransport> {
  const kafka = connectKafka(settings);
  const topics = new TopicProvisioner(kafka, { partitions: settings.partitions, replicationFactor: settings.replicationFactor });
  const listed = settings.externalTopics === '*' ? [] : settings.externalTopics.map((topic) => jobTopic(settings.topicPrefix, topic));
  try {
    await topics.ensure([resultTopic(settings.topicPrefix), deadLetterTopic(settings.topicPrefix), ...listed]);
    ctx.logger.info(`Kafka: topics ready at ${settings.brokers.join(',')} (prefix '${settings.topicPrefix}', external topics ${settings.externalTopics === '*' ? 'all' : settings.externalTopics.join(', ')})`);
  } catch (error) {
    ctx.logger.warn(`Kafka: cannot create topics at ${settings.brokers.join(',')}; deliveries wait in the outbox until it answers`, { err: errorFields(error) });
  }
  const relay = new OutboxRelay(ctx, kafka, topics, relayOptions);
  const consumer = new JobResultConsumer(ctx, kafka, topics, { topicPrefix: settings.topicPrefix, partitionsConsumedConcurrently: settings.partitions });
  await relay.start();
  consumer.start();
  return {
    relay,
    consumer,
    async stop() {
      await relay.stop();
      await consumer.stop();
    },
  };
}
