/** Specification: external tasks of Kafka topics are delivered through the outbox, fenced by attempt (no broker needed). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { StaleResultError } from '../../src/services/external-task-service.js';
import { applyJobResult, completeDeliveries, leaseDeliveries, redeliverUndeliveredTasks } from '../../src/services/external-task-publishing.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { FIXTURES, RestClient } from '../support/rest-client.js';
import { TestClock } from '../support/test-clock.js';

const KAFKA = { topicPrefix: 'engine', externalTopics: new Set(['work']), lockDurationMs: 60_000 };

describeOnDatabases('services: external task delivery over Kafka (outbox)', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    engine = createTestEngine(use(), { clock, kafka: KAFKA });
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-external-task.bpmn');
    // Each spec starts with nothing to deliver: earlier specs' tasks would otherwise be leased and swept too.
    await engine.ctx.database.knex('outbox').delete();
    await engine.ctx.database.knex('external_task').delete();
  });

  async function startInstance(): Promise<string> {
    const started = await rest.post('/process-definition/key/single-external-task/start', { variables: { memberId: { value: 'M-1', type: 'String' } } });
    return started.body.id;
  }

  async function outboxRows() {
    return engine.ctx.database.knex('outbox').select('*').orderBy('id');
  }

  async function externalTask(processInstanceId: string) {
    return (await rest.get(`/external-task?processInstanceId=${processInstanceId}`)).body[0];
  }

  it('should write an outbox row in the command that creates the task and lock the task for the transport', async () => {
    // When an instance reaches an external task of a Kafka topic
    const id = await startInstance();

    // Then one delivery waits in the outbox, attempt 1, keyed by the instance, on the topic's job topic
    const rows = await outboxRows();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ attempt: 1, topic: 'engine.jobs.work', message_key: id });
    expect(rows[0].traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // And REST workers do not get the task while the Kafka lock holds
    const task = await externalTask(id);
    expect(task.workerId).to.equal('kafka');
    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'rest-worker', maxTasks: 5, topics: [{ topicName: 'work', lockDuration: 1000 }] });
    expect(fetched.body).to.deep.equal([]);
  });

  it('should continue the trace of the request that started the instance', async () => {
    const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await rest.post('/process-definition/key/single-external-task/start', {}, { headers: { traceparent: caller } });
    const [row] = await outboxRows();
    expect(row.traceparent).to.match(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(row.traceparent).not.to.equal(caller);
  });

  it('should lease a due delivery with the REST fetchAndLock task JSON and its variables, and forget it once published', async () => {
    const id = await startInstance();

    const [delivery] = await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 });
    expect(delivery).to.include({ topic: 'engine.jobs.work', key: id, attempt: 1 });
    expect(delivery!.locked.task.lock_expiration_time!.getTime()).to.equal(clock.now().getTime() + 60_000);
    expect(Object.fromEntries(delivery!.locked.variables)).to.have.keys('memberId');
    // A second relay finds nothing while the lease holds
    expect(await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).to.deep.equal([]);

    await completeDeliveries(engine.ctx, [delivery!.outboxId]);
    expect(await outboxRows()).to.deep.equal([]);
  });

  it('should apply a result of the current attempt once, and ignore duplicates and results of earlier attempts', async () => {
    const id = await startInstance();
    const task = await externalTask(id);

    // A result naming another attempt is stale
    await expectRejection(applyJobResult(engine.ctx, { taskId: task.id, attempt: 2, workerId: 'w1', action: 'complete' }), StaleResultError);
    // The current one completes the task and the instance
    await applyJobResult(engine.ctx, { taskId: task.id, attempt: 1, workerId: 'w1', action: 'complete', variables: { eligible: { value: true, type: 'Boolean' } } });
    const history = (await rest.get(`/history/process-instance/${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
    // A duplicate finds the task gone
    const duplicate = await applyJobResult(engine.ctx, { taskId: task.id, attempt: 1, workerId: 'w1', action: 'complete' }).then(() => null, (error) => error);
    expect(duplicate?.status).to.equal(404);
  });

  it('should deliver a failed task again after its retry timeout with the next attempt, and raise an incident when retries run out', async () => {
    const id = await startInstance();
    const task = await externalTask(id);
    await completeDeliveries(engine.ctx, (await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).map((d) => d.outboxId));

    await applyJobResult(engine.ctx, { taskId: task.id, attempt: 1, workerId: 'w1', action: 'failure', errorMessage: 'eligibility service down', retries: 1, retryTimeout: 5_000 });
    const [retry] = await outboxRows();
    expect(retry).to.include({ attempt: 2 });
    expect(new Date(retry.available_at).getTime()).to.equal(clock.now().getTime() + 5_000);
    expect(await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).to.deep.equal([]);
    clock.advance({ seconds: 5 });
    const [again] = await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 });
    expect(again!.attempt).to.equal(2);
    expect(again!.locked.task.retries).to.equal(1);
    await completeDeliveries(engine.ctx, [again!.outboxId]);

    await applyJobResult(engine.ctx, { taskId: task.id, attempt: 2, workerId: 'w1', action: 'failure', errorMessage: 'still down', retries: 0 });
    const incidents = (await rest.get(`/incident?processInstanceId=${id}`)).body;
    expect(incidents.map((incident: any) => [incident.incidentType, incident.incidentMessage])).to.deep.equal([['failedExternalTask', 'still down']]);
    expect(await outboxRows()).to.deep.equal([]);
  });

  it('should publish a task again with attempt + 1 when its Kafka lock ran out without a result, fencing the late result out', async () => {
    const id = await startInstance();
    const task = await externalTask(id);
    await completeDeliveries(engine.ctx, (await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).map((d) => d.outboxId));

    // Nothing to sweep while the lock holds
    expect(await redeliverUndeliveredTasks(engine.ctx, 10)).to.equal(0);
    clock.advance({ seconds: 61 });
    expect(await redeliverUndeliveredTasks(engine.ctx, 10)).to.equal(1);
    const [row] = await outboxRows();
    expect(row).to.include({ attempt: 2, external_task_id: task.id });

    await expectRejection(applyJobResult(engine.ctx, { taskId: task.id, attempt: 1, workerId: 'slow-worker', action: 'complete' }), StaleResultError);
    expect((await externalTask(id)).id).to.equal(task.id);
  });

  it('should let a REST worker take a task whose Kafka lock ran out, fencing Kafka results out', async () => {
    const id = await startInstance();
    const task = await externalTask(id);
    clock.advance({ seconds: 61 });

    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'rest-worker', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 10_000 }] });
    expect(fetched.body.map((t: any) => t.id)).to.deep.equal([task.id]);
    // The pending delivery is over: the relay drops it
    expect(await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).to.deep.equal([]);
    expect(await outboxRows()).to.deep.equal([]);
    await expectRejection(applyJobResult(engine.ctx, { taskId: task.id, attempt: 1, workerId: 'w1', action: 'complete' }), StaleResultError);
    expect((await rest.post(`/external-task/${task.id}/complete`, { workerId: 'rest-worker' })).status).to.equal(204);
  });

  it('should drop the delivery of a suspended instance and deliver again when it is activated', async () => {
    const id = await startInstance();
    expect((await rest.put(`/process-instance/${id}/suspended`, { suspended: true })).status).to.equal(204);
    expect(await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 })).to.deep.equal([]);

    expect((await rest.put(`/process-instance/${id}/suspended`, { suspended: false })).status).to.equal(204);
    const [delivery] = await leaseDeliveries(engine.ctx, { leaseMs: 30_000, limit: 10 });
    expect(delivery!.attempt).to.equal(2);
  });

  it('should leave tasks whose topic Kafka cannot name to REST workers, even with every topic over Kafka', async () => {
    // Given every topic over Kafka, and a task on a topic with a character Kafka topic names cannot hold
    engine = createTestEngine(use(), { clock, kafka: { ...KAFKA, externalTopics: '*' } });
    rest = new RestClient(engine.app);
    const xml = readFileSync(path.join(FIXTURES, 'bpmn', 'single-external-task.bpmn'), 'utf8').replace('camunda:topic="work"', 'camunda:topic="pay:charge"').replace(/single-external-task/g, 'colon-topic');
    expect((await rest.deploy([{ name: 'colon-topic.bpmn', content: xml }])).status).to.equal(200);
    const id = (await rest.post('/process-definition/key/colon-topic/start', {})).body.id;

    // Then no delivery is queued, now or by a sweep, and a REST worker gets it
    expect(await redeliverUndeliveredTasks(engine.ctx, 10)).to.equal(0);
    expect(await outboxRows()).to.deep.equal([]);
    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'rest-worker', maxTasks: 1, topics: [{ topicName: 'pay:charge', lockDuration: 1000 }] });
    expect(fetched.body.map((t: any) => t.processInstanceId)).to.deep.equal([id]);
  });

  it('should leave topics that are not delivered over Kafka to REST workers', async () => {
    engine = createTestEngine(use(), { clock, kafka: { ...KAFKA, externalTopics: new Set(['other']) } });
    rest = new RestClient(engine.app);
    const id = await startInstance();
    const rows = await outboxRows();

    expect(rows).to.deep.equal([]);
    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'rest-worker', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 1000 }] });
    expect(fetched.body.map((t: any) => t.processInstanceId)).to.deep.equal([id]);
  });
});

async function expectRejection(promise: Promise<unknown>, type: new (...args: any[]) => Error): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, `expected a ${type.name}`).to.be.instanceOf(type);
}
