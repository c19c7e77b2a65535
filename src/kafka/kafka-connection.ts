/** One kafkajs client per node from the KAFKA_* settings, quiet: the relay and the consumer report what matters. */
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';

export interface KafkaConnectionSettings {
  brokers: readonly string[];
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
}

/** `overrides` adjust the client for one use (the readiness probe wants no retries and a short connection timeout). */
export function connectKafka(settings: KafkaConnectionSettings, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: settings.sasl ? ({ ...settings.sasl } as SASLOptions) : undefined,
    // kafkajs logs every failed reconnect as an error; an outage is reported once by the relay and the consumer instead.
    logLevel: logLevel.NOTHING,
    // Few retries per call: the relay and the consumer retry with their own back-off, and start-up must not wait long.
    retry: { initialRetryTime: 300, retries: 2, maxRetryTime: 2_000 },
    ...overrides,
  });
}
