/** Specification of `/process-definition`: queries, lookup by id and key, the XML, and starting instances. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';

function processXml(key: string, name = 'Single user task'): string {
  return fixture('bpmn/single-user-task.bpmn').toString('utf8').replace(/"single-user-task"/g, `"${key}"`).replace('name="Single user task"', `name="${name}"`);
}

describeOnDatabases('process definition router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let reviewV1: any;
  let reviewV2: any;
  let other: any;
  let secondDeploymentId: string;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    const first = await rest.deploy([{ name: 'review.bpmn', content: processXml('review') }, { name: 'other.bpmn', content: processXml('other-review', 'Other') }], { 'deployment-name': 'first' });
    const second = await rest.deploy([{ name: 'review.bpmn', content: processXml('review', 'Review v2') }], { 'deployment-name': 'second' });
    const definitions = Object.values(first.body.deployedProcessDefinitions) as any[];
    reviewV1 = definitions.find((d) => d.key === 'review');
    other = definitions.find((d) => d.key === 'other-review');
    reviewV2 = Object.values(second.body.deployedProcessDefinitions)[0];
    secondDeploymentId = second.body.id;
  });

  describe('queries', () => {
    it('should filter by key, keyLike, latestVersion, version and deploymentId, with /count agreeing', async () => {
      const cases: Array<[string, string[]]> = [
        ['key=review', [reviewV1.id, reviewV2.id]],
        ['keyLike=%25review', [other.id, reviewV1.id, reviewV2.id]],
        ['keyLike=other%25', [other.id]],
        ['latestVersion=true', [other.id, reviewV2.id]],
        ['key=review&version=1', [reviewV1.id]],
        [`deploymentId=${secondDeploymentId}`, [reviewV2.id]],
        ['key=nothing', []],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.get(`/process-definition?${query}`);
        const count = await rest.get(`/process-definition/count?${query}`);
        expect(list.status, query).to.equal(200);
        expect(list.body.map((d: any) => d.id).sort(), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
    });

    it('should sort by version descending', async () => {
      const res = await rest.get('/process-definition?key=review&sortBy=version&sortOrder=desc');

      expect(res.body.map((d: any) => d.version)).to.deep.equal([2, 1]);
    });

    it('should refuse a version that is not a number', async () => {
      const res = await rest.get('/process-definition?version=two');

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('InvalidRequestException');
    });
  });

  describe('lookup', () => {
    it('should return the latest version for /key/{key}', async () => {
      const res = await rest.get('/process-definition/key/review');

      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: reviewV2.id, key: 'review', version: 2, name: 'Review v2', resource: 'review.bpmn', suspended: false, tenantId: null });
    });

    it('should return a definition by id', async () => {
      const res = await rest.get(`/process-definition/${reviewV1.id}`);

      expect(res.body).to.deep.equal(reviewV1);
    });

    it('should return the deployed XML by id and by key', async () => {
      const byId = await rest.get(`/process-definition/${reviewV1.id}/xml`);
      const byKey = await rest.get('/process-definition/key/review/xml');

      expect(byId.body).to.deep.equal({ id: reviewV1.id, bpmn20Xml: processXml('review') });
      expect(byKey.body).to.deep.equal({ id: reviewV2.id, bpmn20Xml: processXml('review', 'Review v2') });
    });

    it('should answer an unknown key with 404 (the OpenAPI documents 400; Camunda answers 404)', async () => {
      const res = await rest.get('/process-definition/key/x', { undocumentedStatus: 404 });

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'RestException', message: 'No matching process definition with key: x and no tenant-id', code: 0 });
    });

    it('should answer an unknown id with 404 (the OpenAPI documents 400; Camunda answers 404)', async () => {
      const res = await rest.get('/process-definition/nope:1:1', { undocumentedStatus: 404 });

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'No matching definition with id nope:1:1', code: 0 });
    });
  });

  describe('start', () => {
    it('should start the latest version by key with a business key and typed variables, answering the instance with a self link', async () => {
      // when
      const res = await rest.post('/process-definition/key/review/start', { businessKey: 'b1', variables: { a: { value: 1, type: 'Integer' } } });

      // then
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ definitionId: reviewV2.id, definitionKey: 'review', businessKey: 'b1', ended: false, suspended: false, tenantId: null, variables: null });
      expect(res.body.links).to.deep.equal([{ method: 'GET', href: res.body.links[0].href, rel: 'self' }]);
      expect(res.body.links[0].href).to.match(new RegExp(`/engine-rest/process-instance/${res.body.id}$`));
      const variables = await rest.get(`/process-instance/${res.body.id}/variables`);
      expect(variables.body).to.deep.equal({ a: { type: 'Integer', value: 1, valueInfo: {} } });
    });

    it('should start a given version by id and return the variables with withVariablesInReturn', async () => {
      // when
      const res = await rest.post(`/process-definition/${reviewV1.id}/start`, {
        businessKey: 'by-id',
        variables: { amount: { value: 12.5, type: 'Double' }, approved: { value: false, type: 'Boolean' }, note: { value: 'hi', type: 'String' } },
        withVariablesInReturn: true,
      });

      // then
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ definitionId: reviewV1.id, businessKey: 'by-id' });
      expect(res.body.variables).to.deep.equal({
        amount: { type: 'Double', value: 12.5, valueInfo: {} },
        approved: { type: 'Boolean', value: false, valueInfo: {} },
        note: { type: 'String', value: 'hi', valueInfo: {} },
      });
      const tasks = await rest.get(`/task?processInstanceId=${res.body.id}`);
      expect(tasks.body.map((t: any) => t.processDefinitionId)).to.deep.equal([reviewV1.id]);
    });

    it('should return an Object variable serialized from withVariablesInReturn, and deserialized from GET variables', async () => {
      // given: a JSON-serialized Object, as Camunda's Java clients send it
      const valueInfo = { objectTypeName: 'com.example.Order', serializationDataFormat: 'application/json' };
      const order = { type: 'Object', value: '{"id":7,"items":["a"]}', valueInfo };

      // when
      const res = await rest.post('/process-definition/key/review/start', { variables: { order }, withVariablesInReturn: true });

      // then: the command's answer keeps the serialized string (Camunda's preferSerializedValue)
      expect(res.status).to.equal(200);
      expect(res.body.variables.order).to.deep.equal(order);
      // and GET …/variables deserializes by default, serialized with deserializeValues=false
      const deserialized = await rest.get(`/process-instance/${res.body.id}/variables`);
      const serialized = await rest.get(`/process-instance/${res.body.id}/variables?deserializeValues=false`);
      expect(deserialized.body.order).to.deep.equal({ type: 'Object', value: { id: 7, items: ['a'] }, valueInfo });
      expect(serialized.body.order).to.deep.equal(order);
    });

    it('should answer an unknown key with 404 and start nothing (404 is not in the OpenAPI for start)', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.post('/process-definition/key/x/start', {}, { undocumentedStatus: 404 });

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'RestException', message: 'No matching process definition with key: x and no tenant-id', code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should answer an unknown id with a 500 RestException naming the start, as Camunda, and start nothing', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.post('/process-definition/nope:1:1/start', {});

      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ type: 'RestException', message: "Cannot instantiate process definition nope:1:1: no deployed process definition found with id 'nope:1:1': processDefinition is null", code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse a variable that does not convert to its type with 400 and start nothing', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.post('/process-definition/key/review/start', { variables: { a: { value: 'abc', type: 'Integer' } } });

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(res.body.message).to.equal(`Cannot instantiate process definition ${reviewV2.id}: Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer`);
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should ignore unknown JSON properties in the start body', async () => {
      const res = await rest.post('/process-definition/key/review/start', { businessKey: 'extra', somethingNew: { x: 1 } });

      expect(res.status).to.equal(200);
      expect(res.body.businessKey).to.equal('extra');
    });

    it('should refuse a businessKey that is not a string with 400 and start nothing', async () => {
      const before = await checksumTables(use().knex);

      const answers = [];
      for (const businessKey of [[1, 2], { a: 1 }, 12, true]) answers.push(await rest.post('/process-definition/key/review/start', { businessKey }));

      expect(answers.map((res) => res.status)).to.deep.equal([400, 400, 400, 400]);
      expect(answers.map((res) => res.body.message)).to.deep.equal([
        "Property 'businessKey' must be a string, got an array.",
        "Property 'businessKey' must be a string, got an object.",
        "Property 'businessKey' must be a string, got a number.",
        "Property 'businessKey' must be a string, got a boolean.",
      ]);
      expect(answers[0].body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'businessKey' must be a string, got an array.", code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse a body that is not a JSON object with 400 and start nothing', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.postJsonText('/process-definition/key/review/start', '["review"]');

      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'The request body must be an object, got an array.', code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should answer malformed JSON with 400 and an empty message', async () => {
      const { default: request } = await import('supertest');

      const res = await request(engine.app).post('/engine-rest/process-definition/key/review/start').set('Content-Type', 'application/json').send('{"businessKey":');

      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.equal('application/json');
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: '', code: 0 });
    });
  });
});
