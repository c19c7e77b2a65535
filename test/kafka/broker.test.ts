/** Specification of the throwaway Kafka broker tooling (scripts/kafka-broker.mjs) as kafkajs sees it, across a restart too. */
import { expect } from 'chai';
import { Partitioners, type Kafka } from 'kafkajs';
import { startTestKafka, testKafkaClient, waitForKafkaAdmin, type KafkaBroker } from '../support/test-kafka.js';

const SUITE = 'throwaway Kafka broker';
const CONSUME_TIMEOUT_MS = 30_000;

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function clusterId(kafka: Kafka): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).clusterId;
  } finally {
    await admin.disconnect();
  }
}

async function produce(kafka: Kafka, topic: string, messages: Array<{ key: string; value: string }>): Promise<void> {
  // An explicit partitioner also keeps kafkajs from warning that its default changed in 2.0.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Reads `count` messages of `topic` from its beginning as consumer group `groupId`, then leaves the group. */
async function consume(kafka: Kafka, topic: string, groupId: string, count: number): Promise<Array<{ key: string; value: string }>> {
  const consumer = kafka.consumer({ groupId });
  const received: Array<{ key: string; value: string }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`group ${groupId} got ${received.length} of ${count} messages of ${topic} within ${CONSUME_TIMEOUT_MS} ms`)), CONSUME_TIMEOUT_MS);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('throwaway Kafka broker', function () {
  this.timeout(60_000);
  let broker: KafkaBroker | undefined;

  before(async function () {
    this.timeout(180_000);
    broker = await startTestKafka(this, SUITE);
  });

  after(async function () {
    this.timeout(30_000);
    await broker?.remove();
  });

  it('should carry messages from an idempotent producer to a consumer group', async function () {
    // given a topic created through the admin API (auto-creation is off)
    const kafka = testKafkaClient(broker!);
    await createTopic(kafka, 'broker-test.carry');

    // when an idempotent producer sends two messages with acks from all replicas
    await produce(kafka, 'broker-test.carry', [
      { key: 'order-1', value: 'created' },
      { key: 'order-1', value: 'paid' },
    ]);

    // then a consumer group reads both, in order
    expect(await consume(kafka, 'broker-test.carry', 'broker-test.carry-group', 2)).to.deep.equal([
      { key: 'order-1', value: 'created' },
      { key: 'order-1', value: 'paid' },
    ]);
  });

  it('should keep a message across a stop and a start on the same data', async function () {
    // given a message written before the broker stops
    const before = testKafkaClient(broker!);
    await createTopic(before, 'broker-test.restart');
    await produce(before, 'broker-test.restart', [{ key: 'k', value: 'written before the restart' }]);
    const clusterBefore = await clusterId(before);
    const pidBefore = broker!.pid;

    // when the broker stops (controlled shutdown) and starts again on the same data dir and port
    await broker!.stop();
    expect(broker!.pid).to.equal(undefined);
    await broker!.start();
    await waitForKafkaAdmin(broker!);

    // then it is the same cluster (not re-formatted), and a new consumer group still reads the message
    const after = testKafkaClient(broker!);
    expect(broker!.pid).to.be.a('number').and.not.equal(pidBefore);
    expect(await clusterId(after)).to.equal(clusterBefore);
    expect(await consume(after, 'broker-test.restart', 'broker-test.restart-group', 1)).to.deep.equal([{ key: 'k', value: 'written before the restart' }]);
  });
});
