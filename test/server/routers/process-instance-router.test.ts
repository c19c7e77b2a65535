/** Specification of `/process-instance`: queries, get, delete, typed variables and the activity instance tree. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';

/** One variable of every type Camunda's REST API knows, as a client sends it. */
const EVERY_TYPE = {
  aString: { type: 'String', value: 'text with ünïcödé', valueInfo: {} },
  aBoolean: { type: 'Boolean', value: true, valueInfo: {} },
  aShort: { type: 'Short', value: -123, valueInfo: {} },
  anInteger: { type: 'Integer', value: 2147483647, valueInfo: {} },
  aLong: { type: 'Long', value: 1234567890123, valueInfo: {} },
  aDouble: { type: 'Double', value: 3.25, valueInfo: {} },
  aDate: { type: 'Date', value: '2024-01-02T03:04:05.678+0000', valueInfo: {} },
  aJson: { type: 'Json', value: '{"items":[1,2,{"x":null}]}', valueInfo: {} },
  anXml: { type: 'Xml', value: '<order id="1"><line>2</line></order>', valueInfo: {} },
  anObject: { type: 'Object', value: '{"name":"anna","age":3}', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } },
  someBytes: { type: 'Bytes', value: Buffer.from([0, 1, 2, 250, 255]).toString('base64'), valueInfo: {} },
  aNull: { type: 'Null', value: null, valueInfo: {} },
};

const FILE = { type: 'File', value: Buffer.from('hello file\n').toString('base64'), valueInfo: { filename: 'hello.txt', mimeType: 'text/plain', encoding: 'UTF-8' } };

describeOnDatabases('process instance router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('invoice-approval.bpmn');
  });

  async function start(key = 'single-user-task', body: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, body);
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  describe('get and delete', () => {
    it('should get a running instance', async () => {
      const id = await start('single-user-task', { businessKey: 'get-me' });

      const res = await rest.get(`/process-instance/${id}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id, businessKey: 'get-me', definitionKey: 'single-user-task', ended: false, suspended: false, tenantId: null });
    });

    it('should answer an unknown instance with 404 InvalidRequestException', async () => {
      const res = await rest.get('/process-instance/nope');

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Process instance with id nope does not exist', code: 0 });
    });

    it('should delete an instance, after which history shows it EXTERNALLY_TERMINATED', async () => {
      // given
      const id = await start();

      // when
      const res = await rest.delete(`/process-instance/${id}`);

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/process-instance/${id}`)).status).to.equal(404);
      expect((await rest.get(`/task/count?processInstanceId=${id}`)).body.count).to.equal(0);
      const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
      expect(history.state).to.equal('EXTERNALLY_TERMINATED');
      expect(history.endTime).to.be.a('string');
      const activities = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=Task_Review`)).body;
      expect(activities[0]).to.include({ canceled: true });
      expect(activities[0].endTime).to.be.a('string');
    });

    it('should answer 404 when deleting an unknown instance and change nothing', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.delete('/process-instance/nope');

      expect(res.status).to.equal(404);
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should answer 204 for an unknown instance with failIfNotExists=false', async () => {
      const res = await rest.delete('/process-instance/nope?failIfNotExists=false');

      expect(res.status).to.equal(204);
    });
  });

  describe('activity instances', () => {
    it('should show the process definition as root and the waiting user task as its child', async () => {
      const id = await start();

      const res = await rest.get(`/process-instance/${id}/activity-instances`);

      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id, activityType: 'processDefinition', parentActivityInstanceId: null, processInstanceId: id });
      expect(res.body.childActivityInstances).to.have.length(1);
      expect(res.body.childActivityInstances[0]).to.include({ activityId: 'Task_Review', activityType: 'userTask', parentActivityInstanceId: id, activityName: 'Review request' });
    });
  });

  describe('queries', () => {
    let instances: Record<string, string>;

    before(async () => {
      instances = {
        q1: await start('single-user-task', { businessKey: 'query-1' }),
        q2: await start('single-user-task', { businessKey: 'query-2' }),
        invoice: await start('invoice-approval', {
          businessKey: 'query-3',
          variables: { amount: { value: 10, type: 'Integer' }, approver: { value: 'anna', type: 'String' }, invoiceNumber: { value: 'Q', type: 'String' } },
        }),
      };
    });

    function ids(body: any[]): string[] {
      return body.map((pi) => pi.id).sort();
    }

    it('should filter by businessKey, processDefinitionKey, processInstanceIds and activityIdIn, with /count agreeing', async () => {
      const cases: Array<[string, string[]]> = [
        ['businessKey=query-1', [instances.q1]],
        ['businessKeyLike=query-%25', [instances.q1, instances.q2, instances.invoice]],
        ['processDefinitionKey=invoice-approval&businessKeyLike=query-%25', [instances.invoice]],
        [`processInstanceIds=${instances.q1},${instances.invoice}`, [instances.q1, instances.invoice]],
        [`activityIdIn=ApproveInvoice&processInstanceIds=${instances.q1},${instances.q2},${instances.invoice}`, [instances.invoice]],
        [`activityIdIn=Task_Review,ApproveInvoice&processInstanceIds=${instances.q2},${instances.invoice}`, [instances.q2, instances.invoice]],
        ['businessKey=nobody', []],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.get(`/process-instance?${query}`);
        const count = await rest.get(`/process-instance/count?${query}`);
        expect(ids(list.body), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
    });

    it('should sort by businessKey and page with firstResult and maxResults', async () => {
      const desc = await rest.get('/process-instance?businessKeyLike=query-%25&sortBy=businessKey&sortOrder=desc');
      const page = await rest.get('/process-instance?businessKeyLike=query-%25&sortBy=businessKey&sortOrder=asc&firstResult=1&maxResults=1');

      expect(desc.body.map((pi: any) => pi.businessKey)).to.deep.equal(['query-3', 'query-2', 'query-1']);
      expect(page.body.map((pi: any) => pi.businessKey)).to.deep.equal(['query-2']);
    });

    it('should answer the POST query variant like the GET one, with lists as arrays and sorting in the body', async () => {
      const body = { processInstanceIds: [instances.q1, instances.q2, instances.invoice], sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] };

      const list = await rest.post('/process-instance?maxResults=2', body);
      const count = await rest.post('/process-instance/count', body);

      expect(list.status).to.equal(200);
      expect(list.body.map((pi: any) => pi.businessKey)).to.deep.equal(['query-3', 'query-2']);
      expect(count.body).to.deep.equal({ count: 3 });
    });

    it('should filter by variable values, typed as sent (a query string\'s are strings), with /count agreeing', async () => {
      const all = [instances.q1, instances.q2, instances.invoice];
      const cases: Array<[unknown[], Record<string, unknown>, string[]]> = [
        [[{ name: 'approver', operator: 'eq', value: 'anna' }], {}, [instances.invoice]],
        [[{ name: 'amount', operator: 'gteq', value: 10 }, { name: 'invoiceNumber', operator: 'like', value: 'Q%' }], {}, [instances.invoice]],
        [[{ name: 'amount', operator: 'eq', value: '10' }], {}, []],
        [[{ name: 'amount', operator: 'gt', value: 10 }], {}, []],
        [[{ name: 'APPROVER', operator: 'eq', value: 'ANNA' }], { variableNamesIgnoreCase: true, variableValuesIgnoreCase: true }, [instances.invoice]],
      ];
      for (const [variables, options, expected] of cases) {
        const body = { processInstanceIds: all, variables, ...options };
        const list = await rest.post('/process-instance', body);
        const count = await rest.post('/process-instance/count', body);
        expect(ids(list.body), JSON.stringify(variables)).to.deep.equal(expected);
        expect(count.body, JSON.stringify(variables)).to.deep.equal({ count: expected.length });
      }
      expect(ids((await rest.get(`/process-instance?processInstanceIds=${all.join(',')}&variables=approver_eq_anna`)).body)).to.deep.equal([instances.invoice]);
      expect((await rest.get(`/process-instance/count?processInstanceIds=${all.join(',')}&variables=amount_eq_10`)).body).to.deep.equal({ count: 0 });
    });

    it('should refuse a variable filter with an unknown comparator', async () => {
      const res = await rest.post('/process-instance', { variables: [{ name: 'amount', operator: 'near', value: 10 }] });

      expect([res.status, res.body]).to.deep.equal([400, { type: 'InvalidRequestException', message: 'Invalid variable comparator specified: near', code: 0 }]);
    });

    it('should refuse sortBy without sortOrder', async () => {
      const res = await rest.get('/process-instance?sortBy=businessKey');

      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Only a single sorting parameter specified. sortBy and sortOrder required', code: 0 });
    });
  });

  describe('variables', () => {
    it('should return a started Integer exactly as Camunda does', async () => {
      const id = await start('single-user-task', { variables: { a: { value: 1, type: 'Integer' } } });

      const res = await rest.get(`/process-instance/${id}/variables`);

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ a: { type: 'Integer', value: 1, valueInfo: {} } });
    });

    it('should round-trip a variable of every type unchanged', async () => {
      // given
      const id = await start('single-user-task', { variables: EVERY_TYPE });

      // when
      const serialized = await rest.get(`/process-instance/${id}/variables?deserializeValues=false`);
      const deserialized = await rest.get(`/process-instance/${id}/variables`);

      // then: everything comes back as sent; a JSON Object is deserialized unless deserializeValues=false
      expect(serialized.body).to.deep.equal(EVERY_TYPE);
      expect(deserialized.body).to.deep.equal({ ...EVERY_TYPE, anObject: { ...EVERY_TYPE.anObject, value: { name: 'anna', age: 3 } } });
      for (const [name, value] of Object.entries(EVERY_TYPE)) {
        expect((await rest.get(`/process-instance/${id}/variables/${name}?deserializeValue=false`)).body, name).to.deep.equal(value);
      }
    });

    it('should keep a File without its value in the output and serve its bytes from /data with its mime type', async () => {
      // given
      const id = await start('single-user-task', { variables: { upload: FILE } });

      // when
      const variable = await rest.get(`/process-instance/${id}/variables/upload`);
      const data = await rest.download(`/process-instance/${id}/variables/upload/data`);

      // then
      expect(variable.body).to.deep.equal({ type: 'File', value: null, valueInfo: FILE.valueInfo });
      expect(data.status).to.equal(200);
      expect(data.headers['content-type']).to.equal('text/plain;charset=UTF-8');
      expect(data.headers['content-disposition']).to.contain('hello.txt');
      expect(data.bytes.toString('utf8')).to.equal('hello file\n');
    });

    it('should serve Bytes from /data as application/octet-stream', async () => {
      const id = await start('single-user-task', { variables: { someBytes: EVERY_TYPE.someBytes } });

      const data = await rest.download(`/process-instance/${id}/variables/someBytes/data`);

      expect(data.headers['content-type']).to.equal('application/octet-stream');
      expect([...data.bytes]).to.deep.equal([0, 1, 2, 250, 255]);
    });

    it('should refuse an unknown type with 400 and change nothing', async () => {
      const id = await start();
      const before = await checksumTables(use().knex);

      const res = await rest.put(`/process-instance/${id}/variables/x`, { value: 'v', type: 'STRING' });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("Unsupported value type 'STRING'");
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse a value that does not convert to its type with 400 and change nothing', async () => {
      const id = await start();
      const before = await checksumTables(use().knex);

      const res = await rest.post(`/process-instance/${id}/variables`, { modifications: { n: { value: 'abc', type: 'Integer' } } });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer");
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse deletions that are not an array of names with 400 naming the property and change nothing', async () => {
      const id = await start('single-user-task', { variables: { keep: { value: 'k', type: 'String' } } });
      const before = await checksumTables(use().knex);

      const text = await rest.post(`/process-instance/${id}/variables`, { modifications: { added: { value: 1, type: 'Integer' } }, deletions: 'keep' });
      const numbers = await rest.post(`/process-instance/${id}/variables`, { deletions: [1] });

      expect(text.status).to.equal(400);
      expect(text.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'deletions' must be an array, got a string.", code: 0 });
      expect(numbers.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'deletions[0]' must be a string, got a number.", code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse modifications whose values are not variable objects with 400 and change nothing', async () => {
      const id = await start();
      const before = await checksumTables(use().knex);

      const list = await rest.post(`/process-instance/${id}/variables`, { modifications: [] });
      const bare = await rest.post(`/process-instance/${id}/variables`, { modifications: { n: 5 } });
      const typeNumber = await rest.put(`/process-instance/${id}/variables/n`, { value: 5, type: 5 });

      expect(list.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'modifications' must be an object, got an array.", code: 0 });
      expect(bare.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'modifications.n' must be an object, got a number.", code: 0 });
      expect(typeNumber.status).to.equal(400);
      expect(typeNumber.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'type' must be a string, got a number.", code: 0 });
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should apply modifications and deletions in one request', async () => {
      // given
      const id = await start('single-user-task', { variables: { keep: { value: 'k', type: 'String' }, drop: { value: 1, type: 'Integer' } } });

      // when
      const res = await rest.post(`/process-instance/${id}/variables`, { modifications: { keep: { value: 'changed', type: 'String' }, added: { value: true, type: 'Boolean' } }, deletions: ['drop'] });

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/process-instance/${id}/variables`)).body).to.deep.equal({
        added: { type: 'Boolean', value: true, valueInfo: {} },
        keep: { type: 'String', value: 'changed', valueInfo: {} },
      });
    });

    it('should put, get and delete one variable', async () => {
      const id = await start();

      const put = await rest.put(`/process-instance/${id}/variables/one`, { value: 42, type: 'Long' });
      const got = await rest.get(`/process-instance/${id}/variables/one`);
      const deleted = await rest.delete(`/process-instance/${id}/variables/one`);
      const gone = await rest.get(`/process-instance/${id}/variables/one`, { undocumentedStatus: 404 });

      expect(put.status).to.equal(204);
      expect(got.body).to.deep.equal({ type: 'Long', value: 42, valueInfo: {} });
      expect(deleted.status).to.equal(204);
      expect(gone.status).to.equal(404);
      expect(gone.body).to.deep.equal({ type: 'InvalidRequestException', message: 'process instance variable with name one does not exist', code: 0 });
    });

    it('should answer the variables of an unknown instance with 500 NullValueException, as Camunda', async () => {
      const res = await rest.get('/process-instance/nope/variables');

      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ type: 'NullValueException', message: "execution nope doesn't exist: execution is null", code: 0 });
    });

    it('should refuse to modify the variables of an unknown instance with 500', async () => {
      const res = await rest.post('/process-instance/nope/variables', { modifications: { a: { value: 1, type: 'Integer' } } });

      expect(res.status).to.equal(500);
      expect(res.body.message).to.contain('nope');
    });
  });
});
