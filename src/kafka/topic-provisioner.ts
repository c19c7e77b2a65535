/** Creates the transport's topics through the admin API (brokers run with auto-create off), each once per node. */
import type { Kafka } from 'kafkajs';

export class TopicProvisioner {
  private readonly created = new Set<string>();

  constructor(private readonly kafka: Kafka, private readonly options: { partitions: number; replicationFactor: number }) {}

  /** Creates those of `topics` this node has not seen yet; a topic that exists already counts as created. */
  async ensure(topics: Iterable<string>): Promise<void> {
    const missing = [...new Set(topics)].filter((topic) => !this.created.has(topic));
    if (missing.length === 0) return;
    // Few retries: the callers retry with their own back-off, and a server starting while Kafka is away must not wait.
    const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 300 } });
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor })),
      });
      for (const topic of missing) this.created.add(topic);
    } finally {
      await admin.disconnect();
    }
  }
}
