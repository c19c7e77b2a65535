/** Names of the Kafka transport's topics (wire contract v1), shared by the engine's relay and the worker SDK. */

/** Kafka allows only these characters in topic names, so only external-task topics made of them can travel over it. */
const KAFKA_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export function isKafkaTopicName(name: string): boolean {
  return KAFKA_TOPIC_NAME.test(name);
}

/** Where the tasks of an external-task topic are published. */
export function jobTopic(prefix: string, topicName: string): string {
  return `${prefix}.jobs.${topicName}`;
}

/** Where workers answer. */
export function resultTopic(prefix: string): string {
  return `${prefix}.job-results`;
}

/** Where results the engine cannot read or apply go, with a header `error` saying why. */
export function deadLetterTopic(prefix: string): string {
  return `${prefix}.job-results.dlq`;
}
