/**
 * Scenario: a client starts an instance over REST and the worker SDK completes its external tasks (over REST, and
 * over Kafka against a real broker): one connected trace shows request → engine → worker → engine, with the engine's
 * span names and attributes, and no variable value anywhere in it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { z } from 'zod';
import { startKafkaTransport, type KafkaTransport } from '../../src/kafka/kafka-transport.js';
import { ENGINE_ATTRIBUTES } from '../../src/telemetry/engine-spans.js';
import { shutdownTracing, startTracing } from '../../src/telemetry/tracing.js';
import { createWorker, type Worker, type WorkerOptions } from '../../src/worker/index.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { startTestKafka, type KafkaBroker } from '../support/test-kafka.js';
import { waitFor } from '../support/wait-for.js';

const TOPICS = ['check-eligibility', 'notify-member'];
/** Stands for patient data: it is a variable value in and out of the worker, and must appear in no span. */
const CANARY = `PATIENT-CANARY-${randomBytes(4).toString('hex')}`;
const quiet = { info() {}, warn() {}, error() {} };

function subscribeHandlers(worker: Worker): Worker {
  return worker
    .subscribe('check-eligibility', async (task) => task.complete({ eligible: true, note: `${task.variables.memberId} ${CANARY}-out` }), { variables: z.object({ memberId: z.string() }), concurrency: 1 })
    .subscribe('notify-member', async (task) => task.complete());
}

/** Everything a span shows an exporter, as text: name, attributes, events, links and status. */
function exported(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, links: span.links, status: span.status });
}

function named(spans: ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

function one(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = named(spans, name);
  expect(found, `spans named '${name}' among ${spans.map((span) => span.name).join(', ')}`).to.have.length(1);
  return found[0]!;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function childOf(spans: ReadableSpan[], name: string, parent: ReadableSpan): ReadableSpan {
  return one(spans.filter((span) => parentOf(span) === parent.spanContext().spanId), name);
}

describe('telemetry: one connected trace from request to worker and back', function () {
  this.timeout(60_000);
  const memory = new InMemorySpanExporter();
  let broker: KafkaBroker | undefined;

  before(() => {
    // No instrumentations here: express and kafkajs are loaded already in this process (the built entry test covers them).
    startTracing({ serviceName: 'engine-test', resourceAttributes: {}, otlp: null, console: false }, { spanProcessors: [new SimpleSpanProcessor(memory)], instrumentations: false });
  });

  after(async () => {
    await shutdownTracing();
    await broker?.remove();
  });

  for (const transport of ['rest', 'kafka'] as const) {
    describeOnDatabases(`worker SDK over ${transport}`, (use) => {
      let engine: TestEngine;
      let rest: RestClient;
      let server: Server;
      let kafkaTransport: KafkaTransport | undefined;
      let worker: Worker;

      before(async function () {
        this.timeout(240_000);
        if (transport === 'kafka') broker ??= await startTestKafka(this, 'telemetry: a connected trace over Kafka');
        const prefix = `t${randomBytes(4).toString('hex')}`;
        engine = createTestEngine(use(), transport === 'kafka' ? { kafka: { topicPrefix: prefix, externalTopics: new Set(TOPICS), lockDurationMs: 60_000 } } : {});
        rest = new RestClient(engine.app);
        await rest.deployFixture('eligibility-then-notify.bpmn');
        server = engine.app.listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
        if (transport === 'kafka') {
          kafkaTransport = await startKafkaTransport(engine.ctx, { brokers: broker!.brokers, clientId: 'engine-test', ssl: false, sasl: null, topicPrefix: prefix, externalTopics: TOPICS, partitions: 1, replicationFactor: 1 }, { pollIntervalMs: 200 });
        }
        const options: WorkerOptions = transport === 'kafka'
          ? { transport, brokers: broker!.brokers, topicPrefix: prefix, workerId: 'eligibility-1', logger: quiet }
          : { transport, baseUrl, workerId: 'eligibility-1', asyncResponseTimeout: 5_000, logger: quiet };
        worker = subscribeHandlers(createWorker(options));
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

      it('should show the client\'s request, the engine\'s commands and activities and the worker\'s handlers in one trace', async () => {
        // given: a client span whose context the start request carries
        memory.reset();
        const client = trace.getTracer('test-client').startSpan('client: start eligibility check');
        const { traceId, spanId }: SpanContext = client.spanContext();

        // when: the instance starts, and the worker completes both external tasks
        const started = await rest.post('/process-definition/key/eligibility-then-notify/start', { variables: { memberId: { value: CANARY, type: 'String' } } }, { headers: { traceparent: `00-${traceId}-${spanId}-01` } });
        const id: string = started.body.id;
        await waitFor(async () => (await rest.get(`/history/process-instance/${id}`)).body.state === 'COMPLETED', `instance ${id} to complete`, 20_000);
        await waitFor(async () => named(memory.getFinishedSpans(), 'bpmn.external_task.handle notify-member').length > 0, 'the worker\'s last span', 5_000);
        client.end();

        // then: the instance's spans are all in the client's trace, and each one's parent is in it too
        const spans = memory.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
        const ids = new Set(spans.map((span) => span.spanContext().spanId));
        for (const span of spans) {
          if (span.spanContext().spanId === spanId) continue;
          expect(ids.has(parentOf(span)!), `the parent of ${span.name} is in the trace`).to.equal(true);
        }
        const byInstance = memory.getFinishedSpans().filter((span) => span.attributes[ENGINE_ATTRIBUTES.processInstanceId] === id);
        expect(byInstance.filter((span) => span.spanContext().traceId !== traceId).map((span) => span.name)).to.deep.equal([]);

        // and: request → start command → the activities it ran
        const start = one(spans, 'bpmn.command start process instance');
        expect(parentOf(start)).to.equal(spanId);
        expect(start.attributes).to.include({ [ENGINE_ATTRIBUTES.commandName]: 'start process instance', [ENGINE_ATTRIBUTES.definitionKey]: 'eligibility-then-notify', [ENGINE_ATTRIBUTES.definitionVersion]: 1, [ENGINE_ATTRIBUTES.processInstanceId]: id });
        const check = childOf(spans, 'bpmn.activity serviceTask CheckEligibility', start);
        expect(check.attributes).to.include({ [ENGINE_ATTRIBUTES.activityId]: 'CheckEligibility', [ENGINE_ATTRIBUTES.activityType]: 'serviceTask', [ENGINE_ATTRIBUTES.activityTransition]: 'started' });
        expect(check.attributes[ENGINE_ATTRIBUTES.activityInstanceId]).to.match(/^CheckEligibility:/);
        expect(childOf(spans, 'bpmn.activity startEvent Start', start).attributes).to.include({ [ENGINE_ATTRIBUTES.activityTransition]: 'started_and_ended' });

        // and: → the worker's handler, a child of the command that created its task
        const handle = one(spans, 'bpmn.external_task.handle check-eligibility');
        expect(parentOf(handle)).to.equal(start.spanContext().spanId);
        expect(handle.attributes).to.include({ 'bpmn.external_task.topic': 'check-eligibility', 'bpmn.process_instance.id': id });

        // and: → the engine applying its answer, and the next activities in that command
        const completes = named(spans, 'bpmn.external_task.complete');
        expect(completes).to.have.length(2);
        const complete = completes.find((span) => span.attributes[ENGINE_ATTRIBUTES.externalTaskTopic] === 'check-eligibility')!;
        expect(parentOf(complete)).to.equal(handle.spanContext().spanId);
        expect(complete.attributes).to.include({ [ENGINE_ATTRIBUTES.workerId]: 'eligibility-1', [ENGINE_ATTRIBUTES.activityId]: 'CheckEligibility', [ENGINE_ATTRIBUTES.processInstanceId]: id });
        expect(complete.attributes[ENGINE_ATTRIBUTES.externalTaskId]).to.be.a('string');
        if (transport === 'kafka') expect(complete.attributes[ENGINE_ATTRIBUTES.externalTaskAttempt]).to.equal(1);
        const command = childOf(spans, 'bpmn.command complete external task', complete);
        expect(command.attributes).to.include({ [ENGINE_ATTRIBUTES.processInstanceId]: id, [ENGINE_ATTRIBUTES.definitionKey]: 'eligibility-then-notify' });
        const ended = childOf(spans, 'bpmn.activity serviceTask CheckEligibility', command);
        expect(ended.attributes).to.include({ [ENGINE_ATTRIBUTES.activityTransition]: 'ended', [ENGINE_ATTRIBUTES.activityInstanceId]: check.attributes[ENGINE_ATTRIBUTES.activityInstanceId] });
        expect(parentOf(one(spans, 'bpmn.external_task.handle notify-member'))).to.equal(command.spanContext().spanId);
        expect(named(spans, 'bpmn.activity noneEndEvent Approved')).to.have.length(1);

        // and: no variable value in any span the test process recorded
        for (const span of memory.getFinishedSpans()) expect(exported(span), span.name).not.to.contain('CANARY');
      });
    });
  }
});
