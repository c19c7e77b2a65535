/**
 * Faults of the Kafka transport lose nothing and do nothing twice: 1,000 instances complete, each task's side effect
 * runs exactly once (counted by task id in the worker), when the broker stops mid-run and when the server is killed.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { startKafkaTransport, type KafkaTransport } from '../../src/kafka/kafka-transport.js';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { createWorker, type Worker } from '../../src/worker/index.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { callServer, processesFolderWith, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startTestKafka, type KafkaBroker } from '../support/test-kafka.js';
import { waitFor } from '../support/wait-for.js';

const INSTANCES = 1000;
const quiet = { info() {}, warn() {}, error() {} };

/** A Kafka worker on topic `work` whose side effect is counting the task ids it handled. */
function countingWorker(broker: KafkaBroker, topicPrefix: string, effects: Map<string, number>): Worker {
  return createWorker({ transport: 'kafka', brokers: broker.brokers, topicPrefix, workerId: 'counter', logger: quiet }).subscribe(
    'work',
    async (task) => {
      effects.set(task.id, (effects.get(task.id) ?? 0) + 1);
      return task.complete({ handledBy: 'counter' });
    },
    { concurrency: 4 },
  );
}

/** Starts `count` instances, `parallel` requests at a time. */
async function startInstances(count: number, start: () => Promise<void>, parallel = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next++ < count) await start();
  }));
}

function expectEachOnce(effects: Map<string, number>): void {
  const twice = [...effects].filter(([, count]) => count !== 1);
  expect(twice, 'tasks whose side effect ran more than once').to.deep.equal([]);
  expect(effects.size).to.equal(INSTANCES);
}

describe('kafka: outages lose nothing and do nothing twice', function () {
  this.timeout(300_000);
  let broker: KafkaBroker;
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let worker: Worker | undefined;

  before(async function () {
    requirePostgres(this, 'kafka: outages');
    broker = await startTestKafka(this, 'kafka: outages');
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await scratch?.drop();
    scratch = undefined;
  });

  after(async () => {
    await broker?.remove();
  });

  it('should complete 1,000 instances, each task handled once, when the broker stops mid-run and comes back', async () => {
    // Given an engine on PostgreSQL delivering topic `work` over Kafka, and a counting worker
    scratch = await openTestPostgres();
    const database: Database = await openDatabase({ url: scratch.url });
    const prefix = `o${randomBytes(4).toString('hex')}`;
    const engine: TestEngine = createTestEngine(database, { kafka: { topicPrefix: prefix, externalTopics: new Set(['work']), lockDurationMs: 300_000 } });
    const rest = new RestClient(engine.app);
    await rest.deployFixture('single-external-task.bpmn');
    const transport: KafkaTransport = await startKafkaTransport(engine.ctx, { brokers: broker.brokers, clientId: 'engine-test', ssl: false, sasl: null, topicPrefix: prefix, externalTopics: ['work'], partitions: 4, replicationFactor: 1 }, { pollIntervalMs: 200 });
    const effects = new Map<string, number>();
    worker = countingWorker(broker, prefix, effects);
    await worker.start();
    const startOne = async () => {
      expect((await rest.post('/process-definition/key/single-external-task/start', {})).status).to.equal(200);
    };
    try {
      // When half the instances start and the broker stops once some are handled
      await startInstances(INSTANCES / 2, startOne);
      await waitFor(() => effects.size >= 100, '100 handled tasks', 60_000);
      await broker.stop();
      // Then instances still start while Kafka is away: their deliveries wait in the outbox
      await startInstances(INSTANCES / 2, startOne);
      await waitFor(() => engine.ctx.kafkaMetrics.publishFailures > 0, 'the relay to notice the outage', 60_000);
      const waiting = Number((await database.knex('outbox').count({ n: '*' }).first())!.n);
      expect(waiting).to.be.greaterThan(0);
      // And /metrics shows the outage: failed publishes, a back-off, deliveries waiting
      const metrics = (await request(engine.app).get('/metrics')).text;
      expect(Number(/^engine_kafka_publish_failures_total (\d+)$/m.exec(metrics)![1])).to.be.greaterThan(0);
      expect(Number(/^engine_kafka_relay_backoff_milliseconds (\d+)$/m.exec(metrics)![1])).to.be.greaterThan(0);
      expect(Number(/^engine_kafka_outbox_pending (\d+)$/m.exec(metrics)![1])).to.be.greaterThan(0);
      // When the broker comes back on the same data
      await broker.start();

      // Then every instance completes, and every task's side effect ran exactly once
      await waitFor(async () => (await rest.get('/history/process-instance/count?finished=true')).body.count === INSTANCES, `${INSTANCES} finished instances`, 240_000);
      expectEachOnce(effects);
      expect((await rest.get('/external-task/count')).body.count).to.equal(0);
      expect(Number((await database.knex('outbox').count({ n: '*' }).first())!.n)).to.equal(0);
      expect(engine.warnings.filter((w) => w.startsWith('Outbox relay: cannot publish'))).to.have.length.greaterThan(0);
    } finally {
      await worker.stop();
      await transport.stop();
      await database.close();
    }
  });

  it('should complete 1,000 instances, each task handled once, when the server is killed mid-run and restarted', async () => {
    // Given a server process on PostgreSQL delivering topic `work` over Kafka, with 1,000 instances waiting
    scratch = await openTestPostgres();
    const prefix = `k${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: scratch.url, KAFKA_BROKERS: broker.brokers.join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_EXTERNAL_TOPICS: 'work', PROCESSES_DIR: processesFolderWith('single-external-task.bpmn'), LOG_LEVEL: 'warn' };
    let server: ServerProcess = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
    await startInstances(INSTANCES, async () => {
      expect((await callServer(server, 'POST', '/process-definition/key/single-external-task/start', {})).status).to.equal(200);
    });
    const effects = new Map<string, number>();
    worker = countingWorker(broker, prefix, effects);
    await worker.start();

    // When the server is killed (SIGKILL) while the worker is busy, and started again
    await waitFor(() => effects.size >= 300, '300 handled tasks', 120_000);
    server.child.kill('SIGKILL');
    await server.exited();
    server = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
    try {
      // Then every instance completes, and every task's side effect ran exactly once
      await waitFor(async () => (await callServer(server, 'GET', '/history/process-instance/count?finished=true')).body.count === INSTANCES, `${INSTANCES} finished instances`, 240_000);
      expectEachOnce(effects);
      expect((await callServer(server, 'GET', '/external-task/count')).body.count).to.equal(0);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited();
    }
  });
});
