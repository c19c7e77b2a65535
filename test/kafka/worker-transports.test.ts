/**
 * Scenario: the same typed handlers (the worker SDK) drive eligibility checks over REST long polling and over a Kafka
 * consumer group against a real broker: completion, BPMN errors, retries into an incident, schema violations, and the
 * trace context flowing engine → worker → engine.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { z } from 'zod';
import { startKafkaTransport, type KafkaTransport } from '../../src/kafka/kafka-transport.js';
import { createWorker, type Worker, type WorkerOptions } from '../../src/worker/index.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { startTestKafka, type KafkaBroker } from '../support/test-kafka.js';
import { waitFor } from '../support/wait-for.js';

const TOPICS = ['check-eligibility', 'notify-member'];

/** The handlers under test: written once, subscribed over either transport. */
function subscribeHandlers(worker: Worker, seen: { traceparents: Array<string | null>; notified: string[] }): Worker {
  return worker
    .subscribe(
      'check-eligibility',
      async (task) => {
        seen.traceparents.push(task.traceparent);
        if (task.variables.memberId.startsWith('X-')) throw new Error('the membership register is unavailable');
        if (task.variables.memberId.startsWith('N-')) return task.bpmnError('NOT_ELIGIBLE', 'no coverage');
        return task.complete({ eligible: true, coveredUntil: new Date('2027-01-01T00:00:00.000Z') });
      },
      { variables: z.object({ memberId: z.string() }), output: z.object({ eligible: z.boolean(), coveredUntil: z.date() }), retries: 1, retryTimeout: 0, concurrency: 2 },
    )
    .subscribe('notify-member', async (task) => {
      seen.traceparents.push(task.traceparent);
      seen.notified.push(task.processInstanceId);
      return task.complete();
    });
}

const quiet = { info() {}, warn() {}, error() {} };

describe('kafka: one set of handlers over both transports', function () {
  let broker: KafkaBroker;

  before(async function () {
    broker = await startTestKafka(this, 'kafka: one set of handlers over both transports');
  });

  after(async () => {
    await broker?.remove();
  });

  for (const transport of ['rest', 'kafka'] as const) {
    describeOnDatabases(`worker SDK over ${transport}`, (use) => {
      let engine: TestEngine;
      let rest: RestClient;
      let server: Server;
      let kafkaTransport: KafkaTransport | undefined;
      let worker: Worker;
      const seen = { traceparents: [] as Array<string | null>, notified: [] as string[] };

      before(async function () {
        this.timeout(60_000);
        const prefix = `t${randomBytes(4).toString('hex')}`;
        engine = createTestEngine(use(), transport === 'kafka' ? { kafka: { topicPrefix: prefix, externalTopics: new Set(TOPICS), lockDurationMs: 60_000 } } : {});
        rest = new RestClient(engine.app);
        await rest.deployFixture('eligibility-then-notify.bpmn');
        server = engine.app.listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
        if (transport === 'kafka') {
          kafkaTransport = await startKafkaTransport(engine.ctx, { brokers: broker.brokers, clientId: 'engine-test', ssl: false, sasl: null, topicPrefix: prefix, externalTopics: TOPICS, partitions: 2, replicationFactor: 1 }, { pollIntervalMs: 200 });
        }
        const options: WorkerOptions = transport === 'kafka'
          ? { transport, brokers: broker.brokers, topicPrefix: prefix, workerId: 'eligibility-1', logger: quiet }
          : { transport, baseUrl, workerId: 'eligibility-1', asyncResponseTimeout: 5_000, logger: quiet };
        worker = subscribeHandlers(createWorker(options), seen);
        await worker.start();
      });

      after(async () => {
        await worker?.stop();
        await kafkaTransport?.stop();
        await engine?.fetchAndLockWaiter.close();
        if (!server) return;
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });

      async function start(memberId: unknown, headers: Record<string, string> = {}): Promise<string> {
        const variables = memberId === undefined ? {} : { memberId: { value: memberId, type: typeof memberId === 'number' ? 'Integer' : 'String' } };
        const started = await rest.post('/process-definition/key/eligibility-then-notify/start', { variables }, { headers });
        return started.body.id;
      }

      async function ended(id: string): Promise<string[]> {
        await waitFor(async () => (await rest.get(`/history/process-instance/${id}`)).body.state === 'COMPLETED', `instance ${id} to complete`, 20_000);
        return (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityType=noneEndEvent`)).body.map((a: any) => a.activityId);
      }

      async function incidentOf(id: string): Promise<{ incidentType: string; incidentMessage: string }> {
        let incidents: any[] = [];
        await waitFor(async () => (incidents = (await rest.get(`/incident?processInstanceId=${id}`)).body).length > 0, `an incident on ${id}`, 20_000);
        return incidents[0];
      }

      it('should complete with typed output variables and move on to the next handler', async () => {
        const id = await start('M-1001');
        expect(await ended(id)).to.deep.equal(['Approved']);
        const variables = (await rest.get(`/history/variable-instance?processInstanceId=${id}`)).body;
        expect(Object.fromEntries(variables.map((v: any) => [v.name, [v.type, v.value]]))).to.deep.equal({
          memberId: ['String', 'M-1001'],
          eligible: ['Boolean', true],
          coveredUntil: ['Date', '2027-01-01T00:00:00.000+0000'],
        });
        expect(seen.notified).to.include(id);
      });

      it('should throw the handler\'s BPMN error for the boundary event to catch', async () => {
        const id = await start('N-2002');
        expect(await ended(id)).to.deep.equal(['Rejected']);
      });

      it('should turn a thrown error into failures counting the retries down, then an incident', async () => {
        const id = await start('X-3003');
        const incident = await incidentOf(id);
        expect(incident).to.include({ incidentType: 'failedExternalTask', incidentMessage: 'the membership register is unavailable' });
        const [task] = (await rest.get(`/external-task?processInstanceId=${id}`)).body;
        expect(task.retries).to.equal(0);
      });

      it('should raise an incident naming the variable when the input does not match the schema, without running the handler', async () => {
        const calls = seen.traceparents.length;
        const id = await start(42);
        const incident = await incidentOf(id);
        expect(incident.incidentMessage).to.match(/memberId/);
        expect(seen.traceparents.length).to.equal(calls);
      });

      if (transport === 'kafka') {
        it('should hand the caller\'s trace to the worker and carry the worker\'s answer on in the same trace', async () => {
          const traceId = randomBytes(16).toString('hex');
          seen.traceparents.length = 0;
          const id = await start('M-4004', { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
          await ended(id);
          // Both deliveries (before and after the worker's answer went back through the engine) are in the caller's trace
          expect(seen.traceparents).to.have.length(2);
          for (const traceparent of seen.traceparents) expect(traceparent).to.match(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
          expect(new Set(seen.traceparents).size).to.equal(2);
        });
      }
    });
  }
});
