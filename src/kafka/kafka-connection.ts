/** One kafkajs client per node from the KAFKA_* settings, quiet: the relay and the consumer report what matters. */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

export interface KafkaConnectionSettings {
  brokers: readonly string[];
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
}

export function connectKafka(settings: KafkaConnectionSettings): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: settings.sasl ? ({ ...settings.sasl } as SASLOptions) : undefined,
    // kafkajs logs every failed reconnect as an error; an outage is reported once by the relay and the consumer instead.
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 5_000 },
  });
}
