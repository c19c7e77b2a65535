/** Scenario: an unmodified camunda-external-task-client-js worker drives processes over a real HTTP port. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Client, File, Variables, type ClientOptions, type Handler, type Task } from 'camunda-external-task-client-js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { waitFor } from '../support/wait-for.js';

describeOnDatabases('feature: camunda-external-task-client-js worker', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let server: Server;
  let baseUrl: string;
  let scratch: string;
  let clients: Client[] = [];
  /** Errors the client swallows (handlers, polls): each test asserts there were none. */
  let clientErrors: unknown[] = [];

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('external-task-client.bpmn');
    await rest.deployFixture('payment.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
    server = engine.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'external-task-client-'));
  });

  afterEach(() => {
    for (const client of clients) client.stop();
    clients = [];
    clientErrors = [];
  });

  after(async () => {
    // Parked polls of stopped clients are answered [] first, so the server closes without waiting for them.
    await engine?.fetchAndLockWaiter.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A worker without the client's logger middleware (it would print to the console). */
  function worker(options: Partial<ClientOptions> = {}): Client {
    const client = new Client({ baseUrl, workerId: 'e2e-worker', interval: 50, asyncResponseTimeout: 10_000, lockDuration: 30_000, ...options });
    for (const event of ['handler:error', 'poll:error', 'complete:error', 'handleFailure:error', 'handleBpmnError:error', 'extendLock:error', 'unlock:error']) {
      client.on(event, (...args: unknown[]) => clientErrors.push([event, ...args]));
    }
    clients.push(client);
    return client;
  }

  /** Resolves with what the handler returns, or rejects with what it throws (the client itself swallows both). */
  function handled<T>(register: (handler: Handler) => void, body: (task: Task, taskService: Parameters<Handler>[0]['taskService']) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      register(async ({ task, taskService }) => {
        try {
          resolve(await body(task, taskService));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  async function historicState(instanceId: string): Promise<string> {
    return (await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0]?.state;
  }

  it('should long-poll, read Date, Json and File variables, complete with every type, and drive the instance to its end', async () => {
    // given: a worker parked in a long poll before any instance exists
    const client = worker();
    const localReport = path.join(scratch, 'report.csv');
    writeFileSync(localReport, 'sku,qty\nA-1,2\n');
    const prepared = handled(
      (handler) => client.subscribe('prepare-order', handler),
      async (task, taskService) => {
        const receivedAt = Date.now();
        const received = task.variables.getTyped('attachment')!.value as File;
        await received.load();
        const read = {
          receivedAt,
          task,
          orderedAt: task.variables.get('orderedAt'),
          order: task.variables.get('order'),
          attachment: { filename: received.filename, mimeType: received.mimeType, content: Buffer.from(received.content).toString('utf8') },
        };
        const report = await new File({ localPath: localReport, mimetype: 'text/csv', encoding: 'utf-8' }).load();
        const variables = new Variables()
          .set('quantity', 42)
          .set('bigNumber', 2 ** 40)
          .set('ratio', 3.25)
          .set('approved', true)
          .set('shippedAt', new Date('2024-05-06T07:08:09.010Z'))
          .set('summary', { lines: [1, 2], note: 'ok' })
          .set('nothing', null)
          .set('report', report)
          .setTransient('secret', 'only for this command');
        await taskService.complete(task, variables);
        return read;
      },
    );
    const shipped = handled(
      (handler) => client.subscribe('ship-order', handler),
      async (task, taskService) => {
        const report = task.variables.getTyped('report')!.value as File;
        await report.load();
        const seen = { names: Object.keys(task.variables.getAll()).sort(), report: Buffer.from(report.content).toString('utf8'), quantity: task.variables.get('quantity'), summary: task.variables.get('summary'), shippedAt: task.variables.get('shippedAt') };
        await taskService.complete(task);
        return seen;
      },
    );
    await waitFor(() => engine.fetchAndLockWaiter.pending === 1, 'the client to park a long poll');

    // when
    const startedAt = Date.now();
    const started = await rest.post('/process-definition/key/external-task-client/start', {
      businessKey: 'order-7',
      variables: {
        orderedAt: { type: 'Date', value: '2024-01-02T03:04:05.678+0000' },
        order: { type: 'Json', value: '{"id":7,"lines":[{"sku":"A-1","qty":2}]}' },
        attachment: { type: 'File', value: Buffer.from('Dear customer,\n').toString('base64'), valueInfo: { filename: 'letter.txt', mimeType: 'text/plain', encoding: 'UTF-8' } },
      },
    });
    expect(started.status).to.equal(200);
    const instanceId = started.body.id;
    const read = await prepared;
    const deliveredAfter = read.receivedAt - startedAt;
    const seenBySecond = await shipped;

    // then: the first handler got the task through the parked poll, with its variables deserialized by the client
    expect(deliveredAfter).to.be.below(2500);
    expect(read.task).to.include({ topicName: 'prepare-order', workerId: 'e2e-worker', processInstanceId: instanceId, businessKey: 'order-7', retries: null });
    expect(read.orderedAt).to.be.instanceOf(Date);
    expect((read.orderedAt as Date).toISOString()).to.equal('2024-01-02T03:04:05.678Z');
    expect(read.order).to.deep.equal({ id: 7, lines: [{ sku: 'A-1', qty: 2 }] });
    expect(read.attachment).to.deep.equal({ filename: 'letter.txt', mimeType: 'text/plain', content: 'Dear customer,\n' });
    // … the second one saw what the first stored, but not the transient variable
    expect(seenBySecond.names).to.deep.equal(['approved', 'attachment', 'bigNumber', 'nothing', 'order', 'orderedAt', 'quantity', 'ratio', 'report', 'shippedAt', 'summary']);
    expect(seenBySecond.report).to.equal('sku,qty\nA-1,2\n');
    expect(seenBySecond.quantity).to.equal(42);
    expect(seenBySecond.summary).to.deep.equal({ lines: [1, 2], note: 'ok' });
    expect((seenBySecond.shippedAt as Date).toISOString()).to.equal('2024-05-06T07:08:09.010Z');
    // … and the instance ended with the values stored under Camunda's capitalized types
    await waitFor(async () => (await historicState(instanceId)) === 'COMPLETED', 'the instance to complete', 10_000);
    const stored = (await rest.get(`/history/variable-instance?processInstanceId=${instanceId}`)).body;
    const byName = Object.fromEntries(stored.map((v: any) => [v.name, v]));
    expect(Object.fromEntries(stored.map((v: any) => [v.name, v.type]))).to.deep.equal({
      orderedAt: 'Date', order: 'Json', attachment: 'File',
      quantity: 'Integer', bigNumber: 'Long', ratio: 'Double', approved: 'Boolean', shippedAt: 'Date', summary: 'Json', nothing: 'Null', report: 'File',
    });
    expect(byName.quantity.value).to.equal(42);
    expect(byName.bigNumber.value).to.equal(2 ** 40);
    expect(byName.ratio.value).to.equal(3.25);
    expect(byName.approved.value).to.equal(true);
    expect(byName.shippedAt.value).to.equal('2024-05-06T07:08:09.010+0000');
    expect(JSON.parse(byName.summary.value)).to.deep.equal({ lines: [1, 2], note: 'ok' });
    expect(byName.nothing.value).to.equal(null);
    expect(byName.report.valueInfo).to.include({ filename: 'report.csv', mimeType: 'text/csv', encoding: 'utf-8' });
    expect(clientErrors).to.deep.equal([]);
  });

  it('should hand a task out again after handleFailure with retries and retryTimeout', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/single-external-task/start', {})).body.id;
    const attempts: Array<{ at: number; retries: number | null; errorMessage: string | null }> = [];
    const client = worker();

    // when
    void handled(
      (handler) => client.subscribe('work', handler),
      async (task, taskService) => {
        attempts.push({ at: Date.now(), retries: task.retries, errorMessage: task.errorMessage });
        if (attempts.length === 1) {
          await taskService.handleFailure(task, { errorMessage: 'flaky backend', errorDetails: 'timeout after 5s', retries: 1, retryTimeout: 700 });
          return false;
        }
        await taskService.complete(task);
        return true;
      },
    );
    await waitFor(() => attempts.length === 2, 'the second attempt', 10_000);

    // then
    expect(attempts.map((a) => [a.retries, a.errorMessage])).to.deep.equal([[null, null], [1, 'flaky backend']]);
    expect(attempts[1].at - attempts[0].at).to.be.within(600, 4000);
    await waitFor(async () => (await historicState(instanceId)) === 'COMPLETED', 'the instance to complete', 10_000);
    expect(clientErrors).to.deep.equal([]);
  });

  it('should route handleBpmnError to the catching boundary event', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/payment/start', { businessKey: 'pay-1', variables: { priority: { value: 0, type: 'Integer' } } })).body.id;
    const client = worker();

    // when
    await handled(
      (handler) => client.subscribe('charge-card', { businessKey: 'pay-1' }, handler),
      (task, taskService) => taskService.handleBpmnError(task, 'CARD_DECLINED', 'card expired', new Variables().set('attempt', 1)),
    );

    // then
    await waitFor(async () => (await historicState(instanceId)) === 'COMPLETED', 'the instance to complete', 10_000);
    const activities = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`)).body;
    expect(activities.map((a: any) => a.activityId)).to.deep.equal(['StartEvent_1', 'ChargeCard', 'CardDeclined', 'PaymentDeclined']);
    const variables = Object.fromEntries((await rest.get(`/history/variable-instance?processInstanceId=${instanceId}`)).body.map((v: any) => [v.name, v.value]));
    expect(variables).to.include({ declineCode: 'CARD_DECLINED', declineReason: 'card expired', attempt: 1 });
    expect(clientErrors).to.deep.equal([]);
  });

  it('should extend a lock and unlock a task through the client', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/payment/start', { businessKey: 'pay-2', variables: { priority: { value: 0, type: 'Integer' } } })).body.id;
    const client = worker({ lockDuration: 5000 });
    let deliveries = 0;

    // when
    const outcome = handled(
      (handler) => client.subscribe('charge-card', { businessKey: 'pay-2' }, handler),
      async (task, taskService) => {
        deliveries++;
        if (deliveries > 1) {
          await taskService.complete(task);
          return { before: 0, extended: null };
        }
        const before = new Date(task.lockExpirationTime).getTime();
        await taskService.extendLock(task, 120_000);
        const extended = (await rest.get(`/external-task/${task.id}`)).body;
        await taskService.unlock(task);
        return { before, extended };
      },
    );
    const { before, extended } = await outcome;

    // then
    expect(before - Date.now()).to.be.below(6000);
    expect(new Date(extended.lockExpirationTime).getTime() - Date.now()).to.be.within(100_000, 121_000);
    // the unlocked task goes back to the worker (its lock was extended to 2 minutes: only the unlock explains that),
    // which completes it; the instance then waits at the external message end event
    await waitFor(async () => (await rest.get(`/external-task?processInstanceId=${instanceId}&topicName=notify-customer`)).body.length === 1, 'the task to be delivered again and completed', 10_000);
    expect(deliveries).to.equal(2);
    expect(clientErrors).to.deep.equal([]);
  });
});
