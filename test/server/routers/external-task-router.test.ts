/** Specification of `/external-task`: fetchAndLock with long polling, complete, failure, BPMN errors, locks, queries. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient, type RestResponse } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';
import { waitFor } from '../../support/wait-for.js';

const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;
const TOO_MANY = 'At the moment the server has to handle too many requests at the same time. Please try again later.';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnDatabases('external task router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let definition: any;
  let otherDefinition: any;
  let tenantDefinition: any;
  let topicCounter = 0;
  /** Each test works on topics of its own, so tasks of other tests never show up in its fetches. */
  const topicFor = (name: string) => `${name}-${++topicCounter}`;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    definition = (await rest.deployFixture('external-task-router.bpmn')).definition;
    otherDefinition = (await rest.deployFixture('external-task-router-other.bpmn')).definition;
    tenantDefinition = (await rest.deployFixture('external-task-router.bpmn', { 'tenant-id': 't1' })).definition;
    await rest.deployFixture('payment.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  /** Starts an instance of external-task-router (or another definition) whose external task has `topic`. */
  async function start(topic: string, options: { definitionId?: string; businessKey?: string; priority?: number; variables?: Record<string, unknown> } = {}): Promise<string> {
    const res = await rest.post(`/process-definition/${options.definitionId ?? definition.id}/start`, {
      businessKey: options.businessKey,
      variables: { topic: { value: topic, type: 'String' }, priority: { value: options.priority ?? 0, type: 'Integer' }, ...options.variables },
    });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  async function startPayment(businessKey: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post('/process-definition/key/payment/start', { businessKey, variables: { priority: { value: 0, type: 'Integer' }, ...variables } });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  function fetch(workerId: string | undefined, topics: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, options = {}): Promise<RestResponse> {
    return rest.post('/external-task/fetchAndLock', { workerId, maxTasks: 10, topics: topics.map((t) => ({ lockDuration: 60_000, ...t })), ...extra }, options);
  }

  /** Fetches the one task of `topic` (optionally narrowed by businessKey) for `workerId`. */
  async function fetchOne(workerId: string, topic: string, topicOptions: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(workerId, [{ topicName: topic, ...topicOptions }]);
    expect(res.status, res.text).to.equal(200);
    expect(res.body, `one task of ${topic}`).to.have.length(1);
    return res.body[0];
  }

  async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const began = Date.now();
    const result = await work();
    return { result, ms: Date.now() - began };
  }

  describe('fetchAndLock and long polling', () => {
    it('should answer [] at once when there are no tasks and no timeout', async () => {
      const { result, ms } = await timed(() => fetch('w1', [{ topicName: topicFor('none') }]));

      expect(result.status).to.equal(200);
      expect(result.headers['content-type']).to.equal('application/json');
      expect(result.body).to.deep.equal([]);
      expect(ms).to.be.below(1000);
    });

    it('should hold a request with asyncResponseTimeout and answer [] at the timeout', async () => {
      const { result, ms } = await timed(() => fetch('w1', [{ topicName: topicFor('none') }], { asyncResponseTimeout: 2000 }));

      expect(result.body).to.deep.equal([]);
      expect(ms).to.be.within(1900, 4000);
      expect(engine.fetchAndLockWaiter.pending).to.equal(0);
    });

    it('should answer a parked poll within a second when a matching task is created, with retries null and the lock running from then', async () => {
      // given
      const topic = topicFor('wake');
      const began = Date.now();
      const poll = fetch('w1', [{ topicName: topic, lockDuration: 30_000 }], { asyncResponseTimeout: 10_000 });
      await waitFor(() => engine.fetchAndLockWaiter.pending === 1, 'the poll to park');

      // when
      const startedAt = Date.now();
      const instanceId = await start(topic, { businessKey: 'wake-bk' });
      const res = await poll;
      const answeredAt = Date.now();

      // then
      expect(answeredAt - startedAt).to.be.below(1000);
      expect(answeredAt - began).to.be.below(9000);
      expect(res.body).to.have.length(1);
      const [task] = res.body;
      expect(task).to.include({ topicName: topic, workerId: 'w1', retries: null, errorMessage: null, errorDetails: null, processInstanceId: instanceId, activityId: 'Task_External', businessKey: 'wake-bk', processDefinitionKey: 'external-task-router', processDefinitionVersionTag: '1.0', suspended: false, priority: 0, tenantId: null });
      expect(task.lockExpirationTime).to.match(CAMUNDA_DATE);
      const expiry = new Date(task.lockExpirationTime).getTime();
      expect(expiry).to.be.within(startedAt + 30_000 - 1000, answeredAt + 30_000 + 1000);
      expect(task.variables).to.deep.equal({ topic: { type: 'String', value: topic, valueInfo: {} }, priority: { type: 'Integer', value: 0, valueInfo: {} } });
    });

    it('should answer at once when tasks exist, even with a long timeout', async () => {
      const topic = topicFor('ready');
      await start(topic);

      const { result, ms } = await timed(() => fetch('w1', [{ topicName: topic }], { asyncResponseTimeout: 10_000 }));

      expect(result.body).to.have.length(1);
      expect(ms).to.be.below(1000);
    });

    it('should hide a locked task from other workers and hand it out again once its lock expires', async () => {
      // given
      const topic = topicFor('expiry');
      const instanceId = await start(topic);
      const first = await fetchOne('w1', topic, { lockDuration: 800 });

      // when
      const other = await fetch('w2', [{ topicName: topic }]);
      const { result: later, ms } = await timed(() => fetch('w2', [{ topicName: topic }], { asyncResponseTimeout: 5000 }));

      // then: the parked poll wakes when the lock runs out, without any notification
      expect(other.body).to.deep.equal([]);
      expect(later.body.map((t: any) => [t.id, t.workerId, t.processInstanceId])).to.deep.equal([[first.id, 'w2', instanceId]]);
      expect(ms).to.be.below(3000);
    });

    it('should refuse an asyncResponseTimeout above 1800000 ms with 400', async () => {
      const res = await fetch('w1', [{ topicName: 'x' }], { asyncResponseTimeout: 1_800_001 });

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(res.body.message).to.equal('The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds');
    });

    it('should answer a fetch without workerId with 500 NullValueException', async () => {
      // Camunda's engine throws NullValueException, mapped to 500; the OpenAPI does not list a 500 for fetchAndLock.
      const res = await fetch(undefined, [{ topicName: 'x' }], {}, { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body).to.include({ type: 'NullValueException', message: 'workerId is null' });
    });

    it('should refuse a zero or negative lockDuration with 400 and lock nothing', async () => {
      const topic = topicFor('lock-duration');
      await start(topic);

      for (const lockDuration of [0, -5]) {
        const res = await fetch('w1', [{ topicName: topic, lockDuration }]);
        expect(res.status, String(lockDuration)).to.equal(400);
        expect(res.body.type).to.equal('BadUserRequestException');
      }
      expect((await rest.get(`/external-task/count?topicName=${topic}&locked=true`)).body).to.deep.equal({ count: 0 });
    });

    it('should refuse topics or sorting that are not arrays with 400 naming the property, and lock nothing', async () => {
      const topic = topicFor('shape');
      await start(topic);

      const topicsObject = await rest.post('/external-task/fetchAndLock', { workerId: 'w1', topics: {} });
      const topicsString = await rest.post('/external-task/fetchAndLock', { workerId: 'w1', topics: topic });
      const sortingObject = await fetch('w1', [{ topicName: topic }], { sorting: { sortBy: 'createTime', sortOrder: 'asc' } });
      const variablesString = await fetch('w1', [{ topicName: topic, variables: 'a' }]);

      expect(topicsObject.status).to.equal(400);
      expect(topicsObject.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'topics' must be an array, got an object.", code: 0 });
      expect(topicsString.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'topics' must be an array, got a string.", code: 0 });
      expect(sortingObject.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'sorting' must be an array, got an object.", code: 0 });
      expect(variablesString.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'topics[0].variables' must be an array, got a string.", code: 0 });
      expect((await rest.get(`/external-task/count?topicName=${topic}&locked=true`)).body).to.deep.equal({ count: 0 });
    });

    it('should limit the answer to maxTasks', async () => {
      const topic = topicFor('max');
      for (let i = 0; i < 3; i++) await start(topic);

      const res = await fetch('w1', [{ topicName: topic }], { maxTasks: 2 });

      expect(res.body).to.have.length(2);
    });
  });

  describe('topic filters and order', () => {
    const topic = 'filters';
    const ids: Record<string, string> = {};

    before(async () => {
      ids.a = await start(topic, { businessKey: 'bk-a', priority: 1, variables: { amount: { value: 5, type: 'Integer' }, region: { value: 'north', type: 'String' } } });
      ids.b = await start(topic, { businessKey: 'bk-b', priority: 10, variables: { amount: { value: 7, type: 'Integer' }, region: { value: 'south', type: 'String' }, vip: { value: true, type: 'Boolean' } } });
      ids.c = await start(topic, { definitionId: otherDefinition.id, businessKey: 'bk-c', priority: 5 });
      ids.d = await start(topic, { definitionId: tenantDefinition.id, businessKey: 'bk-d', priority: 0 });
    });

    /** Fetches with the topic options, returns the letters of the instances in answer order, and unlocks them again. */
    async function fetched(topicOptions: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string[]> {
      const res = await fetch('filter-worker', [{ topicName: topic, ...topicOptions }], extra);
      expect(res.status, res.text).to.equal(200);
      for (const task of res.body) expect((await rest.post(`/external-task/${task.id}/unlock`)).status).to.equal(204);
      const letterOf = new Map(Object.entries(ids).map(([letter, id]) => [id, letter]));
      return res.body.map((task: any) => letterOf.get(task.processInstanceId));
    }

    it('should filter by every topic criterion', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{}, ['a', 'b', 'c', 'd']],
        [{ businessKey: 'bk-a' }, ['a']],
        [{ processDefinitionKey: 'external-task-router-other' }, ['c']],
        [{ processDefinitionKeyIn: ['external-task-router', 'nope'] }, ['a', 'b', 'd']],
        [{ processDefinitionId: definition.id }, ['a', 'b']],
        [{ processDefinitionIdIn: [otherDefinition.id, tenantDefinition.id] }, ['c', 'd']],
        [{ processDefinitionVersionTag: '2.0' }, ['c']],
        [{ tenantIdIn: ['t1'] }, ['d']],
        [{ withoutTenantId: true }, ['a', 'b', 'c']],
        [{ processVariables: { region: 'south' } }, ['b']],
        [{ processVariables: { amount: 5 } }, ['a']],
        [{ processVariables: { vip: true } }, ['b']],
        [{ processVariables: { amount: 5, region: 'south' } }, []],
        [{ businessKey: 'nope' }, []],
      ];
      for (const [options, expected] of cases) {
        expect(await fetched(options), JSON.stringify(options)).to.deep.equal(expected);
      }
    });

    it('should hand out higher priorities first with usePriority, else by create time (desc on request)', async () => {
      expect(await fetched({}, { usePriority: true })).to.deep.equal(['b', 'c', 'a', 'd']);
      expect(await fetched({}, { usePriority: false })).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(await fetched({}, { usePriority: false, sorting: [{ sortBy: 'createTime', sortOrder: 'desc' }] })).to.deep.equal(['d', 'c', 'b', 'a']);
    });

    it('should return only the named variables, all of them by default', async () => {
      const named = await fetch('w1', [{ topicName: topic, businessKey: 'bk-a', variables: ['amount', 'missing'] }]);
      await rest.post(`/external-task/${named.body[0].id}/unlock`);
      const all = await fetch('w1', [{ topicName: topic, businessKey: 'bk-a' }]);
      await rest.post(`/external-task/${all.body[0].id}/unlock`);

      expect(named.body[0].variables).to.deep.equal({ amount: { type: 'Integer', value: 5, valueInfo: {} } });
      expect(Object.keys(all.body[0].variables).sort()).to.deep.equal(['amount', 'priority', 'region', 'topic']);
      expect(named.body[0].variables).not.to.have.property('vip');
    });
  });

  describe('variables and extension properties of a locked task', () => {
    it('should include the extension properties only when asked', async () => {
      await startPayment('ext-props');

      const without = await fetchOne('w1', 'charge-card', { businessKey: 'ext-props' });
      await rest.post(`/external-task/${without.id}/unlock`);
      const withProps = await fetchOne('w1', 'charge-card', { businessKey: 'ext-props', includeExtensionProperties: true });

      expect(without.extensionProperties).to.deep.equal({});
      expect(withProps.extensionProperties).to.deep.equal({ retries: '3', team: 'payments' });
      expect(withProps).to.include({ activityId: 'ChargeCard', processDefinitionVersionTag: 'v2' });
    });

    it('should evaluate the priority expression of the task', async () => {
      await startPayment('prio-expr', { priority: { value: 42, type: 'Integer' } });

      const task = await fetchOne('w1', 'charge-card', { businessKey: 'prio-expr' });

      expect(task.priority).to.equal(42);
    });

    it('should serialize Object variables unless deserializeValues is set', async () => {
      const topic = topicFor('deserialize');
      const order = { type: 'Object', value: '{"id":1,"items":["a"]}', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } };
      await start(topic, { variables: { order } });

      const serialized = await fetchOne('w1', topic, { variables: ['order'] });
      await rest.post(`/external-task/${serialized.id}/unlock`);
      const deserialized = await fetchOne('w1', topic, { variables: ['order'], deserializeValues: true });

      expect(serialized.variables.order).to.deep.equal({ type: 'Object', value: '{"id":1,"items":["a"]}', valueInfo: order.valueInfo });
      expect(deserialized.variables.order).to.deep.equal({ type: 'Object', value: { id: 1, items: ['a'] }, valueInfo: order.valueInfo });
    });

    it('should return only the task-local variables with localVariables', async () => {
      // given: a failure report leaves a local variable on the task
      const topic = topicFor('local');
      await start(topic);
      const task = await fetchOne('w1', topic);
      const failed = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', retries: 1, retryTimeout: 0, localVariables: { attempt: { value: 1, type: 'Integer' } } });
      expect(failed.status).to.equal(204);

      // when
      const local = await fetchOne('w1', topic, { localVariables: true });

      // then
      expect(local.variables).to.deep.equal({ attempt: { type: 'Integer', value: 1, valueInfo: {} } });
    });

    it('should serve a File variable with its bytes and mime type at /execution/{id}/localVariables/{name}/data', async () => {
      const topic = topicFor('file');
      const content = 'hello, file\n';
      const instanceId = await start(topic, {
        variables: { invoice: { type: 'File', value: Buffer.from(content).toString('base64'), valueInfo: { filename: 'invoice.txt', mimeType: 'text/plain', encoding: 'UTF-8' } } },
      });

      const task = await fetchOne('w1', topic, { variables: ['invoice'] });
      const data = await rest.download(`/execution/${instanceId}/localVariables/invoice/data`);

      expect(task.variables.invoice).to.deep.equal({ type: 'File', value: null, valueInfo: { filename: 'invoice.txt', mimeType: 'text/plain', encoding: 'UTF-8' } });
      expect(data.status).to.equal(200);
      expect(data.headers['content-type']).to.match(/^text\/plain;charset=utf-8$/i);
      expect(data.headers['content-disposition']).to.equal('attachment; filename="invoice.txt"');
      expect(data.bytes.toString()).to.equal(content);
    });
  });

  describe('file downloads', () => {
    it('should refuse a non-binary variable with 400 naming the execution, as Camunda does, and answer a missing one with 404', async () => {
      const topic = topicFor('not-a-file');
      const instanceId = await start(topic);

      const notBinary = await rest.get(`/execution/${instanceId}/localVariables/topic/data`);
      const missing = await rest.get(`/execution/${instanceId}/localVariables/nope/data`);

      expect(notBinary.status).to.equal(400);
      expect(notBinary.body).to.include({ type: 'InvalidRequestException', message: `Value of variable with id ${instanceId} is not a binary value.` });
      expect(missing.status).to.equal(404);
      expect(missing.body.type).to.equal('InvalidRequestException');
    });
  });

  describe('complete', () => {
    it('should complete with variables: 204 without Content-Type, variables stored, instance ended', async () => {
      // given
      const topic = topicFor('complete');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);

      // when
      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1', variables: { result: { value: 'ok', type: 'String' }, count: { value: 3, type: 'Integer' } } });

      // then
      expect(res.status).to.equal(204);
      expect(res.headers['content-type']).to.equal(undefined);
      expect((await rest.get(`/external-task/${task.id}`)).status).to.equal(404);
      const history = await rest.get(`/history/process-instance?processInstanceId=${instanceId}`);
      expect(history.body[0].state).to.equal('COMPLETED');
      const variables = await rest.get(`/history/variable-instance?processInstanceId=${instanceId}&sortBy=variableName&sortOrder=asc`);
      expect(variables.body.filter((v: any) => ['count', 'result'].includes(v.name)).map((v: any) => [v.name, v.type, v.value])).to.deep.equal([['count', 'Integer', 3], ['result', 'String', 'ok']]);
    });

    it('should accept a complete by the locking worker after its lock expired (Camunda checks the worker, not the expiry)', async () => {
      const topic = topicFor('late-complete');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic, { lockDuration: 200 });
      await sleep(400);

      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1' });

      expect(res.status).to.equal(204);
      expect((await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0].state).to.equal('COMPLETED');
    });

    it('should refuse a complete by another worker with 400 and keep the task', async () => {
      const topic = topicFor('wrong-worker');
      await start(topic);
      const task = await fetchOne('w1', topic);

      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w2' });

      expect(res.status).to.equal(400);
      expect(res.body).to.include({ type: 'RestException', message: `External Task ${task.id} cannot be completed by worker 'w2'. It is locked by worker 'w1'.` });
      expect((await rest.get(`/external-task/${task.id}`)).body.workerId).to.equal('w1');
    });

    it('should answer an unknown id with 404 RestException on every write', async () => {
      const calls: Array<[string, string, unknown]> = [
        ['post', 'complete', { workerId: 'w1' }],
        ['post', 'failure', { workerId: 'w1' }],
        ['post', 'bpmnError', { workerId: 'w1', errorCode: 'E' }],
        ['post', 'extendLock', { workerId: 'w1', newDuration: 1000 }],
        ['post', 'lock', { workerId: 'w1', lockDuration: 1000 }],
        ['post', 'unlock', undefined],
        ['put', 'retries', { retries: 1 }],
        ['put', 'priority', { priority: 1 }],
      ];
      for (const [method, action, body] of calls) {
        const res = method === 'post' ? await rest.post(`/external-task/nope/${action}`, body) : await rest.put(`/external-task/nope/${action}`, body);
        expect(res.status, action).to.equal(404);
        expect(res.body, action).to.deep.equal({ type: 'RestException', message: 'External task with id nope does not exist', code: 0 });
      }
      const get = await rest.get('/external-task/nope');
      expect(get.status).to.equal(404);
      expect(get.body.message).to.equal('External task with id nope does not exist');
    });

    it('should answer a complete after the instance was deleted with 404', async () => {
      const topic = topicFor('deleted');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);
      expect((await rest.delete(`/process-instance/${instanceId}`)).status).to.equal(204);

      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1' });

      expect(res.status).to.equal(404);
      expect(res.body.message).to.equal(`External task with id ${task.id} does not exist`);
    });

    it('should refuse a complete without workerId with 500 NullValueException', async () => {
      const topic = topicFor('no-worker');
      await start(topic);
      const task = await fetchOne('w1', topic);

      // Camunda's NullValueException is a 500, which the OpenAPI does not list for complete.
      const res = await rest.post(`/external-task/${task.id}/complete`, {}, { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body).to.include({ type: 'NullValueException', message: 'workerId is null' });
    });

    it('should refuse malformed variables with 400 and keep the task', async () => {
      const topic = topicFor('bad-variables');
      await start(topic);
      const task = await fetchOne('w1', topic);

      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1', variables: { n: { value: 'abc', type: 'Integer' } } });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("Cannot convert value 'abc' of type 'Integer'");
      expect((await rest.get(`/external-task/${task.id}`)).status).to.equal(200);
    });
  });

  describe('failure, retries and incidents', () => {
    it('should make a failed task with retries fetchable after retryTimeout, with retries, errorMessage and errorDetails', async () => {
      // given
      const topic = topicFor('retry');
      await start(topic);
      const task = await fetchOne('w1', topic);

      // when
      const failedAt = Date.now();
      const res = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'gateway down', errorDetails: 'stack trace…', retries: 2, retryTimeout: 1000 });
      const immediately = await fetch('w1', [{ topicName: topic }]);
      const again = await fetch('w1', [{ topicName: topic }], { asyncResponseTimeout: 5000 });
      const refetchedAt = Date.now();

      // then
      expect(res.status).to.equal(204);
      expect(immediately.body).to.deep.equal([]);
      expect(refetchedAt - failedAt).to.be.within(900, 3500);
      expect(again.body).to.have.length(1);
      expect(again.body[0]).to.include({ id: task.id, retries: 2, errorMessage: 'gateway down', errorDetails: 'stack trace…' });
      const details = await request(engine.app).get(`/engine-rest/external-task/${task.id}/errorDetails`);
      expect(details.status).to.equal(200);
      expect(details.headers['content-type']).to.equal('text/plain');
      expect(details.text).to.equal('stack trace…');
    });

    it("should answer errorDetails of an unknown task with the engine's NullValueException, as Camunda does", async () => {
      const res = await rest.get('/external-task/nope/errorDetails', { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ type: 'NullValueException', message: 'No external task found with id nope: externalTask is null', code: 0 });
    });

    it('should raise a failedExternalTask incident for a failure without retries, resolved by PUT /retries', async () => {
      // given
      const topic = topicFor('incident');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);

      // when
      expect((await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom' })).status).to.equal(204);

      // then: in /incident with its filters and count
      const incidents = await rest.get(`/incident?processInstanceId=${instanceId}&incidentType=failedExternalTask`);
      expect(incidents.body).to.have.length(1);
      const [incident] = incidents.body;
      expect(incident).to.include({ incidentType: 'failedExternalTask', incidentMessage: 'boom', configuration: task.id, activityId: 'Task_External', processInstanceId: instanceId, processDefinitionId: definition.id });
      expect(incident.incidentTimestamp).to.match(CAMUNDA_DATE);
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 1 });
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}&incidentType=failedJob`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/incident?configuration=${task.id}`)).body.map((i: any) => i.id)).to.deep.equal([incident.id]);
      // … on the waiting activity instance
      const tree = (await rest.get(`/process-instance/${instanceId}/activity-instances`)).body;
      expect(tree.childActivityInstances).to.have.length(1);
      expect(tree.childActivityInstances[0]).to.deep.include({ activityId: 'Task_External', incidentIds: [incident.id], incidents: [{ id: incident.id, activityId: 'Task_External' }] });
      // … the task has no retries left and is not handed out
      expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ retries: 0, errorMessage: 'boom' });
      expect((await fetch('w1', [{ topicName: topic }])).body).to.deep.equal([]);
      expect((await rest.get(`/external-task/count?noRetriesLeft=true&processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 1 });

      // when
      const retried = await rest.put(`/external-task/${task.id}/retries`, { retries: 1 });

      // then
      expect(retried.status).to.equal(204);
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/process-instance/${instanceId}/activity-instances`)).body.childActivityInstances[0].incidentIds).to.deep.equal([]);
      const refetched = await fetch('w1', [{ topicName: topic }]);
      expect(refetched.body.map((t: any) => [t.id, t.retries])).to.deep.equal([[task.id, 1]]);
    });

    it('should keep the failing worker on the task: it may still complete it, which ends the incident with the task', async () => {
      // given: Camunda's failure keeps workerId and only moves lockExpirationTime to now + retryTimeout
      const topic = topicFor('fail-then-complete');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);
      expect((await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 })).status).to.equal(204);
      expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ workerId: 'w1', retries: 0 });
      expect((await rest.get(`/external-task/count?topicName=${topic}&locked=true`)).body).to.deep.equal({ count: 0 });

      // when
      const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1' });

      // then
      expect(res.status, res.text).to.equal(204);
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0].state).to.equal('COMPLETED');
    });

    it('should keep the one open incident, its id and first message, when retries are set to 0 again by a failure or PUT /retries', async () => {
      // given: a task out of retries, with its incident
      const topic = topicFor('incident-again');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 });
      const [incident] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;

      // when: the worker, still on the task, fails it again; then an operator sets retries to 0 once more
      const failedAgain = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom again', retries: 0 });
      const setToZero = await rest.put(`/external-task/${task.id}/retries`, { retries: 0 });

      // then: the same incident stays open, as Camunda's setRetriesAndManageIncidents leaves it; the task has the new message
      expect([failedAgain.status, setToZero.status]).to.deep.equal([204, 204]);
      expect((await rest.get(`/incident?processInstanceId=${instanceId}`)).body).to.deep.equal([incident]);
      expect((await rest.get(`/incident/${incident.id}`)).body).to.include({ id: incident.id, incidentMessage: 'boom' });
      const history = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(history.map((h: any) => [h.id, h.open, h.resolved, h.incidentMessage])).to.deep.equal([[incident.id, true, false, 'boom']]);
      expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ retries: 0, errorMessage: 'boom again' });
    });

    it('should resolve the open incident when the worker reports a failure with retries left', async () => {
      // given
      const topic = topicFor('incident-retried');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 });
      const [incident] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;

      // when
      const res = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'try later', retries: 2 });

      // then: resolved in history, and the task is handed out again with its retries
      expect(res.status).to.equal(204);
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/incident/${incident.id}`)).status).to.equal(404);
      const history = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(history.map((h: any) => [h.id, h.open, h.resolved])).to.deep.equal([[incident.id, false, true]]);
      expect((await fetch('w2', [{ topicName: topic }])).body.map((t: any) => [t.id, t.retries, t.errorMessage])).to.deep.equal([[task.id, 2, 'try later']]);
    });

    it('should resolve the open incident with PUT /retries above 0, and raise a new one with the last error message at 0', async () => {
      // given
      const topic = topicFor('incident-put');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 });
      const [first] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;

      // when
      expect((await rest.put(`/external-task/${task.id}/retries`, { retries: 3 })).status).to.equal(204);
      expect((await rest.put(`/external-task/${task.id}/retries`, { retries: 2 })).status).to.equal(204);

      // then: one resolved incident, nothing open
      const resolved = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(resolved.map((h: any) => [h.id, h.open, h.resolved])).to.deep.equal([[first.id, false, true]]);
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });

      // when: retries run out by hand
      expect((await rest.put(`/external-task/${task.id}/retries`, { retries: 0 })).status).to.equal(204);

      // then: a second incident, with the task's last error message
      const [second] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
      expect(second).to.include({ configuration: task.id, incidentMessage: 'boom' });
      expect(second.id).to.not.equal(first.id);
      expect((await rest.get(`/history/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 2 });
    });

    it('should raise an incident when PUT /retries sets 0 on a task that never failed', async () => {
      const topic = topicFor('incident-never-failed');
      const instanceId = await start(topic);
      const task = await fetchOne('w1', topic);

      expect((await rest.put(`/external-task/${task.id}/retries`, { retries: 0 })).status).to.equal(204);

      const incidents = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
      expect(incidents.map((i: any) => [i.configuration, i.incidentMessage])).to.deep.equal([[task.id, null]]);
    });

    it('should let another worker fetch a task failed with retries left and no retryTimeout at once', async () => {
      const topic = topicFor('fail-no-timeout');
      await start(topic);
      const task = await fetchOne('w1', topic);
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'try again', errorDetails: 'first trace', retries: 3 });

      const again = await fetch('w2', [{ topicName: topic }]);
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w2', errorMessage: 'still failing', retries: 2 });

      expect(again.body.map((t: any) => [t.id, t.workerId, t.retries, t.errorDetails])).to.deep.equal([[task.id, 'w2', 3, 'first trace']]);
      // Camunda keeps earlier errorDetails when a failure reports none
      expect((await request(engine.app).get(`/engine-rest/external-task/${task.id}/errorDetails`)).text).to.equal('first trace');
      expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ errorMessage: 'still failing', retries: 2 });
    });

    it('should refuse retries null with 400', async () => {
      const topic = topicFor('retries-null');
      await start(topic);
      const task = await fetchOne('w1', topic);

      const res = await rest.put(`/external-task/${task.id}/retries`, { retries: null });

      expect(res.status).to.equal(400);
    });

    it('should refuse wrongly typed worker reports with 400 naming the property and keep the task locked', async () => {
      const topic = topicFor('report-shape');
      await start(topic);
      const task = await fetchOne('w1', topic);
      const before = await checksumTables(use().knex);

      const complete = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1', localVariables: 'x' });
      const failure = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: { text: 'x' }, retries: 1 });
      const bpmnError = await rest.post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 42 });
      const retries = await rest.put(`/external-task/${task.id}/retries`, { retries: '3' });

      expect(complete.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'localVariables' must be an object, got a string.", code: 0 });
      expect(failure.body.message).to.equal("Property 'errorMessage' must be a string, got an object.");
      expect(bpmnError.body.message).to.equal("Property 'errorCode' must be a string, got a number.");
      expect(retries.status).to.equal(400);
      expect(retries.body.message).to.equal("Property 'retries' must be an integer, got a string.");
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should set the priority with PUT /priority', async () => {
      const topic = topicFor('priority');
      await start(topic);
      const task = await fetchOne('w1', topic);

      expect((await rest.put(`/external-task/${task.id}/priority`, { priority: 77 })).status).to.equal(204);

      expect((await rest.get(`/external-task/${task.id}`)).body.priority).to.equal(77);
      expect((await rest.get(`/external-task?priorityHigherThanOrEquals=77&topicName=${topic}`)).body.map((t: any) => t.id)).to.deep.equal([task.id]);
    });
  });

  describe('BPMN errors', () => {
    it('should route a BPMN error to the catching boundary event, setting errorCodeVariable and errorMessageVariable', async () => {
      // given
      const instanceId = await startPayment('declined');
      const task = await fetchOne('w1', 'charge-card', { businessKey: 'declined' });

      // when
      const res = await rest.post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'CARD_DECLINED', errorMessage: 'insufficient funds', variables: { attempts: { value: 1, type: 'Integer' } } });

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/external-task/${task.id}`)).status).to.equal(404);
      expect((await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0].state).to.equal('COMPLETED');
      const activities = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`)).body;
      expect(activities.map((a: any) => [a.activityId, a.canceled])).to.deep.equal([['StartEvent_1', false], ['ChargeCard', true], ['CardDeclined', false], ['PaymentDeclined', false]]);
      const variables = (await rest.get(`/history/variable-instance?processInstanceId=${instanceId}`)).body;
      const byName = Object.fromEntries(variables.map((v: any) => [v.name, v.value]));
      expect(byName).to.include({ declineCode: 'CARD_DECLINED', declineReason: 'insufficient funds', attempts: 1 });
    });

    it('should end the execution with a warning when nothing catches the error (Camunda default)', async () => {
      const instanceId = (await rest.post('/process-definition/key/single-external-task/start', {})).body.id;
      const task = await fetchOne('w1', 'work');

      const res = await rest.post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'UNKNOWN' });

      expect(res.status).to.equal(204);
      expect((await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0].state).to.equal('COMPLETED');
      expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });
      expect(engine.warnings.some((w) => w.includes("BPMN error 'UNKNOWN'") && w.includes(task.id))).to.equal(true);
    });

    it('should raise an incident for an uncaught error with unhandledBpmnError: incident', async () => {
      // given
      const strict = createTestEngine(use(), { unhandledBpmnError: 'incident' });
      const strictRest = new RestClient(strict.app);
      try {
        const instanceId = (await strictRest.post('/process-definition/key/single-external-task/start', {})).body.id;
        const [task] = (await strictRest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 60_000 }] })).body;

        // when
        const res = await strictRest.post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'UNKNOWN', errorMessage: 'nobody listens' });

        // then
        expect(res.status).to.equal(204);
        expect((await strictRest.get(`/process-instance/${instanceId}`)).status).to.equal(200);
        const incidents = (await strictRest.get(`/incident?processInstanceId=${instanceId}`)).body;
        expect(incidents.map((i: any) => [i.incidentType, i.configuration])).to.deep.equal([['failedExternalTask', task.id]]);
        expect(incidents[0].incidentMessage).to.contain("BPMN error 'UNKNOWN'");
        expect((await strictRest.get(`/external-task/${task.id}`)).body.retries).to.equal(0);
      } finally {
        await strict.fetchAndLockWaiter.close();
      }
    });

    it('should refuse a BPMN error by another worker with 400', async () => {
      await startPayment('bpmn-wrong-worker');
      const task = await fetchOne('w1', 'charge-card', { businessKey: 'bpmn-wrong-worker' });

      const res = await rest.post(`/external-task/${task.id}/bpmnError`, { workerId: 'w2', errorCode: 'CARD_DECLINED' });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("It is locked by worker 'w1'.");
    });
  });

  describe('locks', () => {
    it('should move lockExpirationTime with extendLock', async () => {
      const topic = topicFor('extend');
      await start(topic);
      const task = await fetchOne('w1', topic, { lockDuration: 5000 });

      const res = await rest.post(`/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 120_000 });

      expect(res.status).to.equal(204);
      const expiry = new Date((await rest.get(`/external-task/${task.id}`)).body.lockExpirationTime).getTime();
      expect(expiry - Date.now()).to.be.within(110_000, 121_000);
      expect(expiry).to.be.above(new Date(task.lockExpirationTime).getTime() + 100_000);
    });

    it('should refuse extendLock on an expired lock, by another worker, and with a non-positive duration with 400', async () => {
      const topic = topicFor('extend-expired');
      await start(topic);
      const task = await fetchOne('w1', topic, { lockDuration: 1000 });

      const other = await rest.post(`/external-task/${task.id}/extendLock`, { workerId: 'w2', newDuration: 1000 });
      const zero = await rest.post(`/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 0 });
      await sleep(1200);
      const expired = await rest.post(`/external-task/${task.id}/extendLock`, { workerId: 'w1', newDuration: 1000 });

      for (const res of [other, zero, expired]) {
        expect(res.status).to.equal(400);
        expect(res.body.type).to.equal('RestException');
      }
      expect(other.body.message).to.equal(`The lock of the External Task ${task.id} cannot be extended by worker 'w2''. It is locked by worker 'w1'.`);
      expect(zero.body.message).to.equal('lockTime is not greater than 0');
      expect(expired.body.message).to.contain('expired');
    });

    it('should lock a task by id, refuse it to another worker while locked, and unlock it with an empty body', async () => {
      // given
      const topic = topicFor('lock');
      await start(topic);
      const [task] = (await rest.get(`/external-task?topicName=${topic}`)).body;

      // when
      const locked = await rest.post(`/external-task/${task.id}/lock`, { workerId: 'w1', lockDuration: 60_000 });
      const byOther = await rest.post(`/external-task/${task.id}/lock`, { workerId: 'w2', lockDuration: 60_000 });
      const hidden = await fetch('w2', [{ topicName: topic }]);
      // exactly what camunda-external-task-client-js sends: no body, no Content-Type
      const unlocked = await request(engine.app).post(`/engine-rest/external-task/${task.id}/unlock`);

      // then
      expect(locked.status).to.equal(204);
      expect(byOther.status).to.equal(400);
      expect(byOther.body).to.deep.equal({ type: 'RestException', message: `External Task ${task.id} cannot be locked by worker 'w2'. It is locked by worker 'w1'.`, code: 0 });
      expect(hidden.body).to.deep.equal([]);
      expect(unlocked.status).to.equal(204);
      expect(unlocked.headers['content-type']).to.equal(undefined);
      expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ workerId: null, lockExpirationTime: null });
      expect((await fetch('w2', [{ topicName: topic }])).body.map((t: any) => [t.id, t.workerId])).to.deep.equal([[task.id, 'w2']]);
    });

    it('should wake a parked poll at once when a task is unlocked', async () => {
      // given
      const topic = topicFor('unlock-wakes');
      await start(topic);
      const task = await fetchOne('w1', topic, { lockDuration: 600_000 });
      const poll = fetch('w2', [{ topicName: topic }], { asyncResponseTimeout: 10_000 });
      await waitFor(() => engine.fetchAndLockWaiter.pending === 1, 'the poll to park');

      // when
      const unlockedAt = Date.now();
      expect((await rest.post(`/external-task/${task.id}/unlock`)).status).to.equal(204);
      const res = await poll;

      // then
      expect(Date.now() - unlockedAt).to.be.below(1000);
      expect(res.body.map((t: any) => [t.id, t.workerId])).to.deep.equal([[task.id, 'w2']]);
    });
  });

  describe('queries', () => {
    const topic = 'queries';
    let locked: any;
    let free: any;
    let instanceIds: string[];

    before(async () => {
      instanceIds = [await start(topic, { businessKey: 'q-1' }), await start(topic, { businessKey: 'q-2' })];
      locked = await fetchOne('q-worker', topic, { businessKey: 'q-1' });
      free = (await rest.get(`/external-task?processInstanceId=${instanceIds[1]}`)).body[0];
    });

    it('should list and count external tasks with filters', async () => {
      const cases: Array<[string, string[]]> = [
        [`topicName=${topic}`, [locked.id, free.id]],
        [`topicName=${topic}&workerId=q-worker`, [locked.id]],
        [`topicName=${topic}&locked=true`, [locked.id]],
        [`topicName=${topic}&notLocked=true`, [free.id]],
        [`topicName=${topic}&withRetriesLeft=true`, [locked.id, free.id]],
        [`topicName=${topic}&noRetriesLeft=true`, []],
        [`processInstanceId=${instanceIds[1]}`, [free.id]],
        [`topicName=${topic}&activityId=Task_External`, [locked.id, free.id]],
        [`externalTaskId=${free.id}`, [free.id]],
        [`topicName=${topic}&processDefinitionId=${definition.id}`, [locked.id, free.id]],
        [`topicName=${topic}&tenantIdIn=t1`, []],
        [`topicName=${topic}&processDefinitionKey=external-task-router`, [locked.id, free.id]],
        [`topicName=${topic}&processDefinitionKeyIn=external-task-router-other,nope`, []],
        [`topicName=${topic}&processDefinitionName=External task router`, [locked.id, free.id]],
        [`topicName=${topic}&processDefinitionNameLike=${encodeURIComponent('%(other)')}`, []],
        [`topicName=${topic}&processVariables=priority_eq_0`, []],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.get(`/external-task?${query}`);
        const count = await rest.get(`/external-task/count?${query}`);
        expect(list.status, query).to.equal(200);
        expect(list.body.map((t: any) => t.id).sort(), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
    });

    it("should filter by the process instance's own variables, with their JSON types, in a POST body", async () => {
      const ids = async (body: Record<string, unknown>) => (await rest.post('/external-task', { topicName: topic, ...body })).body.map((t: any) => t.id);

      // The query string's value is text, and priority is an Integer: only the JSON number matches.
      expect(await ids({ processVariables: [{ name: 'priority', operator: 'eq', value: 0 }] })).to.have.members([locked.id, free.id]);
      expect(await ids({ processVariables: [{ name: 'topic', operator: 'like', value: 'QUER%' }], variableValuesIgnoreCase: true })).to.have.members([locked.id, free.id]);
      expect(await ids({ processVariables: [{ name: 'priority', operator: 'gt', value: 0 }] })).to.deep.equal([]);
    });

    it('should sort by priority and create time', async () => {
      await rest.put(`/external-task/${free.id}/priority`, { priority: 9 });

      const byPriority = await rest.get(`/external-task?topicName=${topic}&sortBy=taskPriority&sortOrder=desc`);
      const byCreateTime = await rest.get(`/external-task?topicName=${topic}&sortBy=createTime&sortOrder=asc`);
      const unpaired = await rest.get(`/external-task?topicName=${topic}&sortBy=taskPriority`);

      expect(byPriority.body.map((t: any) => t.id)).to.deep.equal([free.id, locked.id]);
      expect(byCreateTime.body.map((t: any) => t.id)).to.deep.equal([locked.id, free.id]);
      expect(unpaired.status).to.equal(400);
    });

    it('should get one external task with its attributes', async () => {
      const res = await rest.get(`/external-task/${locked.id}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: locked.id, topicName: topic, workerId: 'q-worker', processInstanceId: instanceIds[0], businessKey: 'q-1', retries: null, activityId: 'Task_External' });
      expect(res.body.lockExpirationTime).to.equal(locked.lockExpirationTime);
      expect(res.body.createTime).to.match(CAMUNDA_DATE);
      expect(res.body).not.to.have.property('variables');
    });

    it('should list the topic names, optionally only of locked or unlocked tasks', async () => {
      const all = (await rest.get('/external-task/topic-names')).body;
      const lockedOnly = (await rest.get('/external-task/topic-names?withLockedTasks=true')).body;

      expect(all).to.include.members([topic, 'filters', 'charge-card']);
      expect(all).to.deep.equal([...new Set(all)].sort());
      expect(lockedOnly).to.include(topic);
      expect(lockedOnly).not.to.include('filters');
    });
  });

  describe('parked polls', () => {
    function parkedPoll(rest2: RestClient, topic: string, timeout = 20_000, options = {}) {
      return rest2.post('/external-task/fetchAndLock', { workerId: 'parker', maxTasks: 1, asyncResponseTimeout: timeout, topics: [{ topicName: topic, lockDuration: 1000 }] }, options);
    }

    it('should refuse more parked polls than maxPendingFetches with 500', async () => {
      // given
      const limited = createTestEngine(use(), { maxPendingFetches: 2 });
      const limitedRest = new RestClient(limited.app);
      const topic = topicFor('full');
      const parked = [parkedPoll(limitedRest, topic), parkedPoll(limitedRest, topic)];
      try {
        await waitFor(() => limited.fetchAndLockWaiter.pending === 2, 'two polls to park');

        // when
        // Camunda answers an overflowing queue with 500 InvalidRequestException, which its OpenAPI does not list.
        const overflow = await parkedPoll(limitedRest, topic, 20_000, { undocumentedStatus: 500 });
        const immediate = await limitedRest.post('/external-task/fetchAndLock', { workerId: 'x', maxTasks: 1, topics: [{ topicName: topic, lockDuration: 1000 }] });

        // then
        expect(overflow.status).to.equal(500);
        expect(overflow.body).to.deep.equal({ type: 'InvalidRequestException', message: TOO_MANY, code: 0 });
        expect(immediate.status, 'a fetch without timeout never parks').to.equal(200);
      } finally {
        await limited.fetchAndLockWaiter.close();
      }
      expect((await Promise.all(parked)).map((r) => r.body)).to.deep.equal([[], []]);
    });

    it('should free the slot of a client that disconnects while parked at once', async () => {
      // given
      const server = engine.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const body = JSON.stringify({ workerId: 'leaver', maxTasks: 1, asyncResponseTimeout: 60_000, topics: [{ topicName: topicFor('leaver'), lockDuration: 1000 }] });
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/engine-rest/external-task/fetchAndLock', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
        req.on('error', () => undefined);
        req.end(body);
        await waitFor(() => engine.fetchAndLockWaiter.pending === 1, 'the poll to park');

        // when
        req.destroy();

        // then
        await waitFor(() => engine.fetchAndLockWaiter.pending === 0, 'the slot to be freed', 1000);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('should answer parked polls with [] when the waiter closes', async () => {
      const closing = createTestEngine(use());
      const closingRest = new RestClient(closing.app);
      const poll = parkedPoll(closingRest, topicFor('closing'), 60_000);
      await waitFor(() => closing.fetchAndLockWaiter.pending === 1, 'the poll to park');

      const { result, ms } = await timed(async () => {
        await closing.fetchAndLockWaiter.close();
        return poll;
      });

      expect(result.status).to.equal(200);
      expect(result.body).to.deep.equal([]);
      expect(ms).to.be.below(1000);
      expect(closing.fetchAndLockWaiter.pending).to.equal(0);
    });
  });
});
