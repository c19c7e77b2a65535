/** Specification of JSON request bodies: only application/json is read, so a form another site posts changes nothing. */
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

const UNSUPPORTED = { type: 'NotSupportedException', message: 'HTTP 415 Unsupported Media Type', code: 0 };

describeOnDatabases('server/json-body', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  const START = '/engine-rest/process-definition/key/single-user-task/start';

  it('should refuse a text/plain form post from another site with 415 and start nothing', async () => {
    const before = await checksumTables(use().knex);

    // <form enctype="text/plain"> with an input named '{"businessKey":"csrf","x":"' and the value '"}'
    const res = await request(engine.app).post(START).set('Content-Type', 'text/plain').send('{"businessKey":"csrf","x":"="}');

    expect(res.status).to.equal(415);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(res.body).to.deep.equal(UNSUPPORTED);
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should refuse url-encoded forms and bodies without a Content-Type with 415 and start nothing', async () => {
    const before = await checksumTables(use().knex);

    const form = await request(engine.app).post(START).type('form').send('businessKey=csrf');
    const untyped = await request(engine.app).post(START).set('Content-Type', '').send(Buffer.from('{"businessKey":"csrf"}'));
    const suffixed = await request(engine.app).post(START).set('Content-Type', 'application/merge-patch+json').send('{"businessKey":"csrf"}');

    for (const res of [form, untyped, suffixed]) {
      expect(res.status, res.text).to.equal(415);
      expect(res.body).to.deep.equal(UNSUPPORTED);
    }
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should refuse an empty form from another site with 415 on an endpoint that reads a body, and start nothing', async () => {
    const before = await checksumTables(use().knex);

    const plain = await request(engine.app).post(START).set('Content-Type', 'text/plain').send('');
    const form = await request(engine.app).post(START).set('Content-Type', 'application/x-www-form-urlencoded').send('');

    for (const res of [plain, form]) {
      expect(res.status, res.text).to.equal(415);
      expect(res.body).to.deep.equal(UNSUPPORTED);
    }
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should start nothing from a post without body and without Content-Type, answering 415 (Camunda fails with a NullPointerException)', async () => {
    const before = await checksumTables(use().knex);

    const res = await request(engine.app).post(START);

    expect(res.status, res.text).to.equal(415);
    expect(res.body).to.deep.equal(UNSUPPORTED);
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should read application/json with parameters and in any letter case', async () => {
    const charset = await request(engine.app).post(START).set('Content-Type', 'application/json; charset=utf-8').send('{"businessKey":"charset"}');
    const upper = await request(engine.app).post(START).set('Content-Type', 'Application/JSON').send('{"businessKey":"upper"}');

    expect(charset.status, charset.text).to.equal(200);
    expect(charset.body.businessKey).to.equal('charset');
    expect(upper.status, upper.text).to.equal(200);
    expect(upper.body.businessKey).to.equal('upper');
  });

  it('should keep body-less posts working: unlock as the external task client sends it, with no body and no Content-Type', async () => {
    // given
    await rest.post('/process-definition/key/single-external-task/start', {});
    const [task] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', topics: [{ topicName: 'work', lockDuration: 60_000 }] })).body;

    // when
    const unlocked = await request(engine.app).post(`/engine-rest/external-task/${task.id}/unlock`);
    const emptyTyped = await request(engine.app).post(`/engine-rest/external-task/${task.id}/unlock`).set('Content-Type', 'text/plain').send('');

    // then
    expect(unlocked.status).to.equal(204);
    expect(unlocked.headers['content-type']).to.equal(undefined);
    expect(emptyTyped.status).to.equal(204);
    expect((await rest.get(`/external-task/${task.id}`)).body).to.include({ workerId: null, lockExpirationTime: null });
  });
});
