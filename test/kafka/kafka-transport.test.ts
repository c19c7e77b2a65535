/**
 * Specification of the engine's Kafka transport against a real broker, with a worker written in plain kafkajs as the
 * wire contract describes it: deliveries, results, duplicates, late results, the dead-letter topic, trace context.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { startKafkaTransport, type KafkaTransport } from '../../src/kafka/kafka-transport.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { startTestKafka, testKafkaClient, type KafkaBroker } from '../support/test-kafka.js';
import { waitFor } from '../support/wait-for.js';

interface Delivery {
  topic: string;
  key: string;
  attempt: number;
  traceparent: string | undefined;
  task: any;
}

function header(message: KafkaMessage, name: string): string | undefined {
  return message.headers?.[name]?.toString();
}

describe('kafka: the engine transport with a plain kafkajs worker', function () {
  let broker: KafkaBroker;
  let kafka: Kafka;

  before(async function () {
    broker = await startTestKafka(this, 'kafka: the engine transport');
    kafka = testKafkaClient(broker);
  });

  after(async () => {
    await broker?.remove();
  });

  describeOnDatabases('kafka transport', (use) => {
    let engine: TestEngine;
    let rest: RestClient;
    let transport: KafkaTransport;
    let prefix: string;
    let worker: Consumer;
    let producer: Producer;
    let deliveries: Delivery[];
    let deadLetters: KafkaMessage[];
    let dlqConsumer: Consumer;

    before(async function () {
      this.timeout(60_000);
      prefix = `t${randomBytes(4).toString('hex')}`;
      engine = createTestEngine(use(), { kafka: { topicPrefix: prefix, externalTopics: '*', lockDurationMs: 60_000 } });
      rest = new RestClient(engine.app);
      await rest.deployFixture('eligibility-then-notify.bpmn');
      transport = await startKafkaTransport(engine.ctx, { brokers: broker.brokers, clientId: 'engine-test', ssl: false, sasl: null, topicPrefix: prefix, externalTopics: ['check-eligibility', 'notify-member'], partitions: 2, replicationFactor: 1 }, { pollIntervalMs: 200 });

      deliveries = [];
      worker = kafka.consumer({ groupId: `${prefix}.workers` });
      await worker.connect();
      await worker.subscribe({ topics: [`${prefix}.jobs.check-eligibility`, `${prefix}.jobs.notify-member`], fromBeginning: true });
      await worker.run({
        eachMessage: async ({ topic, message }) => {
          deliveries.push({ topic, key: message.key!.toString(), attempt: Number(header(message, 'attempt')), traceparent: header(message, 'traceparent'), task: JSON.parse(message.value!.toString()) });
        },
      });
      deadLetters = [];
      dlqConsumer = kafka.consumer({ groupId: `${prefix}.dlq-reader` });
      await dlqConsumer.connect();
      await dlqConsumer.subscribe({ topics: [`${prefix}.job-results.dlq`], fromBeginning: true });
      await dlqConsumer.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
      producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
    });

    after(async () => {
      await worker?.disconnect();
      await dlqConsumer?.disconnect();
      await producer?.disconnect();
      await transport?.stop();
    });

    async function start(variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
      const started = await rest.post('/process-definition/key/eligibility-then-notify/start', { variables }, { headers });
      expect(started.status).to.equal(200);
      return started.body.id;
    }

    async function deliveryOf(processInstanceId: string, topic: string, attempt = 1): Promise<Delivery> {
      let found: Delivery | undefined;
      await waitFor(() => (found = deliveries.find((d) => d.key === processInstanceId && d.topic === `${prefix}.jobs.${topic}` && d.attempt === attempt)) !== undefined, `delivery ${attempt} of ${topic} for ${processInstanceId}`, 15_000);
      return found!;
    }

    async function answer(result: Record<string, unknown> | string, key: string, headers: Record<string, string> = {}): Promise<void> {
      await producer.send({ topic: `${prefix}.job-results`, acks: -1, messages: [{ key, value: typeof result === 'string' ? result : JSON.stringify(result), headers }] });
    }

    async function stateOf(processInstanceId: string): Promise<string> {
      return (await rest.get(`/history/process-instance/${processInstanceId}`)).body.state;
    }

    async function activeActivities(processInstanceId: string): Promise<string[]> {
      return (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&unfinished=true`)).body.map((a: any) => a.activityId);
    }

    it('should publish the task as one element of the REST fetchAndLock answer and apply the worker\'s completion', async () => {
      // Given an instance that reached a service task of a Kafka topic
      const id = await start({ memberId: { value: 'M-7', type: 'String' } });

      // Then the task is published on <prefix>.jobs.<topic>, keyed by the instance, attempt 1, as REST would lock it
      const delivery = await deliveryOf(id, 'check-eligibility');
      expect(delivery.task).to.include({ processInstanceId: id, topicName: 'check-eligibility', activityId: 'CheckEligibility', workerId: 'kafka', retries: null });
      expect(delivery.task.variables).to.deep.equal({ memberId: { type: 'String', value: 'M-7', valueInfo: {} } });
      expect(delivery.task.lockExpirationTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
      expect(Object.keys(delivery.task)).to.include.members(['id', 'executionId', 'activityInstanceId', 'createTime', 'priority', 'businessKey', 'extensionProperties', 'errorDetails']);

      // When the worker answers on <prefix>.job-results
      await answer({ taskId: delivery.task.id, attempt: 1, workerId: 'raw-worker', action: 'complete', variables: { eligible: { value: true, type: 'Boolean' } } }, id);

      // Then the instance moves on to the next task, whose delivery carries the new variable
      const next = await deliveryOf(id, 'notify-member');
      expect(next.task.variables.eligible).to.deep.equal({ type: 'Boolean', value: true, valueInfo: {} });
      await answer({ taskId: next.task.id, attempt: 1, workerId: 'raw-worker', action: 'complete' }, id);
      await waitFor(async () => (await stateOf(id)) === 'COMPLETED', 'the instance to complete', 15_000);
    });

    it('should ignore a duplicate result and a late result of an earlier attempt, applying each delivery once', async () => {
      const id = await start();
      const first = await deliveryOf(id, 'check-eligibility');
      const fail = { taskId: first.task.id, attempt: 1, workerId: 'raw-worker', action: 'failure', errorMessage: 'registry timeout', retries: 3, retryTimeout: 0 };

      // When the worker's failure arrives twice
      const ignoredBefore = engine.ctx.kafkaMetrics.resultsIgnored;
      await answer(fail, id);
      await answer(fail, id);
      // Then the task is delivered again once, as attempt 2, with the retries the worker gave it
      const second = await deliveryOf(id, 'check-eligibility', 2);
      expect(second.task).to.include({ id: first.task.id, retries: 3, errorMessage: 'registry timeout' });
      await waitFor(() => engine.ctx.kafkaMetrics.resultsIgnored > ignoredBefore, 'the duplicate to be read', 15_000);
      expect(deliveries.filter((d) => d.task.id === first.task.id).map((d) => d.attempt)).to.deep.equal([1, 2]);

      // When a late completion of attempt 1 arrives, then it is ignored: the task still waits for attempt 2
      await answer({ taskId: first.task.id, attempt: 1, workerId: 'slow-worker', action: 'complete' }, id);
      await waitFor(() => engine.ctx.kafkaMetrics.resultsIgnored > ignoredBefore + 1, 'the late result to be read', 15_000);
      expect(await activeActivities(id)).to.deep.equal(['CheckEligibility']);

      // And the current attempt's result is applied
      await answer({ taskId: first.task.id, attempt: 2, workerId: 'raw-worker', action: 'bpmnError', errorCode: 'NOT_ELIGIBLE', errorMessage: 'no coverage' }, id);
      await waitFor(async () => (await stateOf(id)) === 'COMPLETED', 'the instance to end at Rejected', 15_000);
      const ended = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityType=noneEndEvent`)).body.map((a: any) => a.activityId);
      expect(ended).to.deep.equal(['Rejected']);
    });

    it('should send a garbage result and a result the engine refuses to the dead-letter topic, saying why, and go on', async () => {
      const id = await start();
      const delivery = await deliveryOf(id, 'check-eligibility');

      // When unparseable, ill-shaped and refused results arrive
      await answer('{not json', id);
      await answer({ taskId: delivery.task.id, attempt: 'one', action: 'complete' }, id);
      await answer({ taskId: delivery.task.id, attempt: 1, workerId: 'raw-worker', action: 'complete', variables: { amount: { value: 'lots', type: 'Integer' } } }, id);

      // Then each lands in <prefix>.job-results.dlq with its original value and a header `error`
      await waitFor(() => deadLetters.length >= 3, 'three dead letters', 15_000);
      const errors = deadLetters.map((m) => header(m, 'error'));
      expect(errors[0]).to.match(/not JSON/);
      expect(errors[1]).to.match(/not a job result.*attempt/);
      expect(errors[2]).to.match(/InvalidRequestException: .*Integer/);
      expect(deadLetters[0]!.value!.toString()).to.equal('{not json');

      // And the consumer goes on: a valid result after them is applied
      await answer({ taskId: delivery.task.id, attempt: 1, workerId: 'raw-worker', action: 'complete' }, id);
      await deliveryOf(id, 'notify-member');
    });

    it('should carry the trace context of the starting request to the worker and continue the worker\'s trace to the next delivery', async () => {
      const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const id = await start({}, { traceparent: caller });

      const delivery = await deliveryOf(id, 'check-eligibility');
      expect(delivery.traceparent).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);

      const workerSpan = '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01';
      await answer({ taskId: delivery.task.id, attempt: 1, workerId: 'raw-worker', action: 'complete' }, id, { traceparent: workerSpan });
      const next = await deliveryOf(id, 'notify-member');
      expect(next.traceparent).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(next.traceparent).not.to.equal(workerSpan);
    });

    it('should leave its consumer group when stopped right after starting, while it is still joining', async function () {
      this.timeout(60_000);
      // given a second node of the engine whose shutdown (a SIGTERM) comes as it starts
      const config = { brokers: broker.brokers, clientId: 'engine-test-2', ssl: false, sasl: null, topicPrefix: prefix, externalTopics: ['check-eligibility', 'notify-member'], partitions: 2, replicationFactor: 1 };
      const second = await startKafkaTransport(engine.ctx, config, { pollIntervalMs: 200 });

      // when
      await second.stop();

      // then only the first node's consumer stays in the engine's group: the second left nothing running behind
      const admin = kafka.admin();
      await admin.connect();
      try {
        let members = -1;
        await waitFor(async () => {
          const { groups: [group] } = await admin.describeGroups([`${prefix}.engine`]);
          members = group.state === 'Stable' ? group.members.length : -1;
          return members === 1;
        }, 'the engine group back to one member', 30_000);
        expect(members).to.equal(1);
      } finally {
        await admin.disconnect();
      }
    });

    it('should extend the Kafka lock on an extendLock result', async () => {
      const id = await start();
      const delivery = await deliveryOf(id, 'check-eligibility');
      const before = (await rest.get(`/external-task/${delivery.task.id}`)).body.lockExpirationTime;

      await answer({ taskId: delivery.task.id, attempt: 1, workerId: 'raw-worker', action: 'extendLock', newDuration: 600_000 }, id);
      await waitFor(async () => (await rest.get(`/external-task/${delivery.task.id}`)).body.lockExpirationTime !== before, 'the lock to be extended', 15_000);
      const lockedUntil = Date.parse((await rest.get(`/external-task/${delivery.task.id}`)).body.lockExpirationTime.replace(/(\d\d)(\d\d)$/, '$1:$2'));
      expect(lockedUntil - Date.now()).to.be.greaterThan(500_000);
    });
  });
});
