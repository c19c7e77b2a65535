/**
 * Regressions of a security probe of /engine-rest: out-of-range numbers, NUL characters, clashing or unnamed
 * multipart parts answer a 400 Camunda error body (never a 500 holding SQL) and change nothing; non-ASCII names
 * survive upload and download; a variable named `__proto__` is a variable like any other.
 */
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture, RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

const TWO_TO_THE_63 = '9223372036854775808';

describeOnDatabases('hostile input', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    for (const name of ['single-user-task.bpmn', 'single-external-task.bpmn']) await rest.deployFixture(name);
  });

  /** Asserts a 400 Camunda error body without SQL, and that no table changed. */
  async function expectRefused(send: () => Promise<{ status: number; body: any; text: string }>, message?: string | RegExp) {
    const before = await checksumTables(use().knex);
    const res = await send();
    expect(res.status, res.text).to.equal(400);
    expect(res.body.type).to.equal('InvalidRequestException');
    if (typeof message === 'string') expect(res.body.message).to.equal(message);
    else if (message) expect(res.body.message).to.match(message);
    expect(res.text).not.to.match(/\b(select|insert|update)\b/i);
    expect(await checksumTables(use().knex)).to.equal(before);
    return res;
  }

  describe('numbers out of range in query parameters', () => {
    for (const [path, name] of [
      ['/process-definition', 'maxResults'],
      ['/process-definition', 'firstResult'],
      ['/process-definition', 'version'],
      ['/task', 'priority'],
      ['/task', 'maxPriority'],
      ['/history/task', 'taskPriority'],
      ['/external-task', 'priorityHigherThanOrEquals'],
    ]) {
      for (const value of [TWO_TO_THE_63, '1e308']) {
        it(`should refuse ${path}?${name}=${value} with Camunda's message`, async () => {
          await expectRefused(() => rest.get(`${path}?${name}=${value}`, { undocumentedStatus: 400 }), `Cannot set query parameter '${name}' to value '${value}'`);
        });
      }
    }

    it('should refuse an out-of-range maxResults of a POST query', async () => {
      await expectRefused(() => rest.postJsonText('/process-instance', `{"maxResults": ${TWO_TO_THE_63}}`, { undocumentedStatus: 400 }), `Cannot set query parameter 'maxResults' to value '${TWO_TO_THE_63}'`);
    });
  });

  describe('NUL characters', () => {
    it('should refuse a NUL in a query parameter with a message naming the parameter', async () => {
      await expectRefused(() => rest.get('/process-instance?businessKey=a%00b', { undocumentedStatus: 400 }), "Cannot set query parameter 'businessKey' to value 'a\\u0000b': it contains a NUL character (\\u0000)");
    });

    it('should refuse a NUL in a variable value of a start request and start nothing', async () => {
      await expectRefused(
        () => rest.post('/process-definition/key/single-user-task/start', { variables: { note: { value: 'a\u0000b', type: 'String' } } }, { undocumentedStatus: 400 }),
        'The request contains a NUL character (\\u0000), which the engine cannot store in text.',
      );
    });

    it('should refuse a NUL in a business key and start nothing', async () => {
      await expectRefused(() => rest.post('/process-definition/key/single-user-task/start', { businessKey: 'bk\u0000' }, { undocumentedStatus: 400 }), /NUL character/);
    });

    it('should refuse a NUL in a deployment name and deploy nothing', async () => {
      await expectRefused(() => rest.deploy([{ name: 'nul.bpmn', content: fixture('bpmn/single-user-task.bpmn') }], { 'deployment-name': 'a\u0000b' }, { undocumentedStatus: 400 }), /NUL character/);
    });
  });

  describe('lock durations beyond any storable date', () => {
    for (const lockDuration of [TWO_TO_THE_63, '1e308']) {
      it(`should refuse fetchAndLock with lockDuration ${lockDuration} and lock nothing`, async () => {
        // given
        await rest.post('/process-definition/key/single-external-task/start', {});
        const before = await checksumTables(use().knex);

        // when
        const res = await rest.postJsonText('/external-task/fetchAndLock', `{"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "work", "lockDuration": ${lockDuration}}]}`, { undocumentedStatus: 400 });

        // then: (a Long beyond 2^53 arrives as a bigint, which the request check refuses as not a positive number)
        expect(res.status, res.text).to.equal(400);
        expect(res.body.type).to.equal('BadUserRequestException');
        if (lockDuration === '1e308') expect(res.body.message).to.equal('lockDuration is too large: the lock would expire after 9999-12-31');
        expect(await checksumTables(use().knex)).to.equal(before);
      });
    }

    for (const lockDuration of [TWO_TO_THE_63, '1e308']) {
      it(`should refuse to lock one task for ${lockDuration} ms`, async () => {
        const started = await rest.post('/process-definition/key/single-external-task/start', {});
        const task = (await rest.get(`/external-task?processInstanceId=${started.body.id}`)).body[0];

        const res = await rest.postJsonText(`/external-task/${task.id}/lock`, `{"workerId": "w", "lockDuration": ${lockDuration}}`, { undocumentedStatus: 400 });

        expect(res.status, res.text).to.equal(400);
        expect(res.body.message).to.equal('lockDuration is too large: the lock would expire after 9999-12-31');
      });
    }
  });

  describe('multipart deployments', () => {
    it('should refuse two resources with one name and deploy nothing', async () => {
      const xml = fixture('bpmn/single-user-task.bpmn');
      await expectRefused(
        () => rest.deploy([{ name: 'twice.bpmn', content: xml }, { name: 'twice.bpmn', content: xml }], { 'deployment-name': 'twice' }, { undocumentedStatus: 400 }),
        "The deployment contains more than one resource named 'twice.bpmn'; resource names must be unique within a deployment.",
      );
    });

    it('should refuse a part with neither a file name nor a part name and deploy nothing', async () => {
      const boundary = 'probe-boundary';
      const body = [
        `--${boundary}`, 'Content-Disposition: form-data; name="deployment-name"', '', 'unnamed',
        `--${boundary}`, 'Content-Disposition: form-data', 'Content-Type: application/octet-stream', '', fixture('bpmn/single-user-task.bpmn').toString('utf8'),
        `--${boundary}--`, '',
      ].join('\r\n');
      await expectRefused(
        () => request(engine.app).post('/engine-rest/deployment/create').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body),
        'A part of the multipart upload has neither a file name nor a part name, so it cannot name a resource.',
      );
    });

    it('should keep a non-ASCII resource name as the client wrote it', async () => {
      // when
      const deployed = await rest.deploy([{ name: 'résumé-日本.bpmn', content: fixture('bpmn/single-user-task.bpmn').toString('utf8').replace(/"single-user-task"/g, '"resume"') }], { 'deployment-name': 'résumé' });

      // then
      expect(deployed.status, deployed.text).to.equal(200);
      const resources = await rest.get(`/deployment/${deployed.body.id}/resources`);
      expect(resources.body.map((resource: { name: string }) => resource.name)).to.deep.equal(['résumé-日本.bpmn']);
      expect((Object.values(deployed.body.deployedProcessDefinitions)[0] as { resource: string }).resource).to.equal('résumé-日本.bpmn');
    });
  });

  describe('File variables with non-ASCII names', () => {
    it('should serve 日本.txt with an ASCII fallback and the exact name as RFC 5987 filename*', async () => {
      // given
      const file = { type: 'File', value: Buffer.from('こんにちは').toString('base64'), valueInfo: { filename: '日本 "q".txt', mimeType: 'text/plain', encoding: 'UTF-8' } };
      const started = await rest.post('/process-definition/key/single-user-task/start', { variables: { upload: file } });

      // when
      const data = await rest.download(`/process-instance/${started.body.id}/variables/upload/data`);

      // then
      expect(data.status).to.equal(200);
      expect(data.headers['content-disposition']).to.equal(`attachment; filename="__ _q_.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%20%22q%22.txt`);
      expect(data.bytes.toString('utf8')).to.equal('こんにちは');
    });
  });

  describe('a variable named __proto__', () => {
    const proto = JSON.parse('{"__proto__": {"value": "kept", "type": "String"}, "plain": {"value": 1, "type": "Integer"}}') as Record<string, unknown>;

    it('should be in every variables map of an instance, a task and an external task', async () => {
      // given
      const instance = (await rest.post('/process-definition/key/single-user-task/start', { variables: proto, withVariablesInReturn: true })).body;
      const task = (await rest.get(`/task?processInstanceId=${instance.id}`)).body[0];
      const external = (await rest.post('/process-definition/key/single-external-task/start', { variables: proto })).body;

      // when
      const maps = {
        withVariablesInReturn: instance.variables,
        instance: (await rest.get(`/process-instance/${instance.id}/variables`)).body,
        task: (await rest.get(`/task/${task.id}/variables`)).body,
        formVariables: (await rest.get(`/task/${task.id}/form-variables`)).body,
        fetchAndLock: (await rest.post('/external-task/fetchAndLock', { workerId: 'w', maxTasks: 10, topics: [{ topicName: 'work', lockDuration: 1000, processDefinitionKey: 'single-external-task' }] })).body
          .find((locked: { processInstanceId: string }) => locked.processInstanceId === external.id).variables,
      };

      // then
      for (const [where, map] of Object.entries(maps)) {
        expect(Object.keys(map).sort(), where).to.deep.equal(['__proto__', 'plain']);
        expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value, where).to.deep.equal({ type: 'String', value: 'kept', valueInfo: {} });
      }
    });

    it('should be a task-local variable like any other', async () => {
      const instance = (await rest.post('/process-definition/key/single-user-task/start', {})).body;
      const task = (await rest.get(`/task?processInstanceId=${instance.id}`)).body[0];

      const put = await rest.post(`/task/${task.id}/localVariables`, { modifications: proto });
      const locals = (await rest.get(`/task/${task.id}/localVariables`)).body;

      expect(put.status, put.text).to.equal(204);
      expect(Object.keys(locals).sort()).to.deep.equal(['__proto__', 'plain']);
    });
  });
});
