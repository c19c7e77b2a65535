/** Specification: a Long keeps every digit over REST, in both directions and through the engine, as in Camunda. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

/** 2^53 + 1: the smallest integer a JavaScript number cannot hold. */
const BEYOND_2_53 = '9007199254740993';
const MAX_LONG = '9223372036854775807';
const MIN_LONG = '-9223372036854775808';

/** The exact JSON a response must contain for a Long variable: a number with every digit, no quotes. */
function longJson(digits: string): string {
  return `{"type":"Long","value":${digits},"valueInfo":{}}`;
}

describeOnDatabases('long variables', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('long-variables.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  /** Starts long-variables from raw JSON text (so no JavaScript number rounds it first) and returns the response. */
  async function startWith(variablesJson: string) {
    const res = await rest.postJsonText('/process-definition/key/long-variables/start', `{"variables":${variablesJson},"withVariablesInReturn":true}`);
    expect(res.status, res.text).to.equal(200);
    return res;
  }

  async function openTask(instanceId: string): Promise<string> {
    const tasks = await rest.get(`/task?processInstanceId=${instanceId}`);
    expect(tasks.body).to.have.length(1);
    return tasks.body[0].id;
  }

  describe('starting an instance', () => {
    it('should keep a Long sent as a JSON number beyond 2^53, in withVariablesInReturn and GET variables', async () => {
      // when
      const started = await startWith(`{"orderNumber":{"value":${BEYOND_2_53},"type":"Long"}}`);

      // then
      expect(started.text).to.contain(`"orderNumber":${longJson(BEYOND_2_53)}`);
      const all = await rest.get(`/process-instance/${started.body.id}/variables`);
      expect(all.text).to.equal(`{"orderNumber":${longJson(BEYOND_2_53)}}`);
      const one = await rest.get(`/process-instance/${started.body.id}/variables/orderNumber`);
      expect(one.text).to.equal(longJson(BEYOND_2_53));
      expect(one.headers['content-type']).to.equal('application/json');
    });

    it('should keep a Long sent as a string and answer it as a JSON number', async () => {
      // when
      const started = await startWith(`{"orderNumber":{"value":"${BEYOND_2_53}","type":"Long"}}`);

      // then
      expect(started.text).to.contain(`"orderNumber":${longJson(BEYOND_2_53)}`);
      expect(started.text).not.to.contain('bigint');
      expect((await rest.get(`/process-instance/${started.body.id}/variables/orderNumber`)).text).to.equal(longJson(BEYOND_2_53));
    });

    it('should keep the largest and the smallest Long, and an untyped integer beyond 2^53 as a Long', async () => {
      // when
      const started = await startWith(`{"max":{"value":${MAX_LONG},"type":"Long"},"min":{"value":${MIN_LONG},"type":"long"},"untyped":{"value":-${BEYOND_2_53}}}`);

      // then
      const text = (await rest.get(`/process-instance/${started.body.id}/variables`)).text;
      expect(text).to.contain(`"max":${longJson(MAX_LONG)}`);
      expect(text).to.contain(`"min":${longJson(MIN_LONG)}`);
      expect(text).to.contain(`"untyped":${longJson(`-${BEYOND_2_53}`)}`);
    });

    it('should still read ordinary numbers as numbers: an Integer, a Double and a Double beyond 2^53', async () => {
      // when
      const started = await startWith(`{"count":{"value":42,"type":"Integer"},"price":{"value":2.5,"type":"Double"},"huge":{"value":${BEYOND_2_53},"type":"Double"}}`);

      // then
      const text = (await rest.get(`/process-instance/${started.body.id}/variables`)).text;
      expect(text).to.contain('"count":{"type":"Integer","value":42,"valueInfo":{}}');
      expect(text).to.contain('"price":{"type":"Double","value":2.5,"valueInfo":{}}');
      // A Double is a double, as in Java: 2^53 + 1 rounds to 2^53.
      expect(text).to.contain('"huge":{"type":"Double","value":9007199254740992,"valueInfo":{}}');
    });

    for (const [label, value] of [['a number', '9223372036854775808'], ['a string', '"9223372036854775808"'], ['a negative number', '-9223372036854775809']]) {
      it(`should refuse a Long beyond 64 bits sent as ${label} with 400 InvalidRequestException and start nothing`, async () => {
        // given
        const count = async () => (await rest.get('/process-instance/count?processDefinitionKey=long-variables')).body.count;
        const before = await count();

        // when
        const res = await rest.postJsonText('/process-definition/key/long-variables/start', `{"variables":{"orderNumber":{"value":${value},"type":"Long"}}}`);

        // then
        expect(res.status).to.equal(400);
        expect(res.body.type).to.equal('InvalidRequestException');
        expect(res.body.message).to.match(/^Cannot instantiate process definition long-variables:1:.*: Cannot convert value '-?922337203685477580[89]' of type 'Long' to java type java.lang.Long$/);
        expect(await count()).to.equal(before);
      });
    }
  });

  describe('setting variables on an instance', () => {
    it('should keep every digit through PUT …/variables/{name} and POST …/variables modifications', async () => {
      // given
      const instanceId = (await startWith('{}')).body.id;

      // when
      const put = await rest.putJsonText(`/process-instance/${instanceId}/variables/single`, `{"value":${MIN_LONG},"type":"Long"}`);
      const modified = await rest.postJsonText(`/process-instance/${instanceId}/variables`, `{"modifications":{"max":{"value":${MAX_LONG},"type":"Long"},"asString":{"value":"${BEYOND_2_53}","type":"Long"}}}`);

      // then
      expect(put.status, put.text).to.equal(204);
      expect(modified.status, modified.text).to.equal(204);
      const text = (await rest.get(`/process-instance/${instanceId}/variables`)).text;
      expect(text).to.contain(`"single":${longJson(MIN_LONG)}`);
      expect(text).to.contain(`"max":${longJson(MAX_LONG)}`);
      expect(text).to.contain(`"asString":${longJson(BEYOND_2_53)}`);
    });

    it('should refuse a Long beyond 64 bits on PUT with 400 InvalidRequestException and keep the old value', async () => {
      // given
      const instanceId = (await startWith(`{"orderNumber":{"value":${BEYOND_2_53},"type":"Long"}}`)).body.id;

      // when
      const res = await rest.putJsonText(`/process-instance/${instanceId}/variables/orderNumber`, '{"value":9223372036854775808,"type":"Long"}', { undocumentedStatus: 400 });

      // then
      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(res.body.message).to.contain("Cannot convert value '9223372036854775808' of type 'Long' to java type java.lang.Long");
      expect((await rest.get(`/process-instance/${instanceId}/variables/orderNumber`)).text).to.equal(longJson(BEYOND_2_53));
    });
  });

  describe('through tasks, the engine and external tasks', () => {
    it('should keep every digit in task variables, after the engine compared it, in fetchAndLock and in history', async () => {
      // given an instance waiting at its user task
      const instanceId = (await startWith(`{"orderNumber":{"value":${BEYOND_2_53},"type":"Long"}}`)).body.id;
      const taskId = await openTask(instanceId);

      // when the task variables are read and modified
      expect((await rest.get(`/task/${taskId}/variables`)).text).to.equal(`{"orderNumber":${longJson(BEYOND_2_53)}}`);
      const modified = await rest.postJsonText(`/task/${taskId}/variables`, `{"modifications":{"customerNumber":{"value":"${MAX_LONG}","type":"Long"}}}`);
      expect(modified.status, modified.text).to.equal(204);
      expect((await rest.get(`/task/${taskId}/variables/customerNumber`)).text).to.equal(longJson(MAX_LONG));

      // and the task is completed, so the gateway compares orderNumber (as the nearest double) on the way to Ship order
      const completed = await rest.postJsonText(`/task/${taskId}/complete`, `{"variables":{"parcelNumber":{"value":-${BEYOND_2_53},"type":"Long"}},"withVariablesInReturn":true}`);

      // then every Long is exact in the completion, in fetchAndLock and in the variable table the engine did not overwrite
      expect(completed.status, completed.text).to.equal(200);
      expect(completed.text).to.contain(`"orderNumber":${longJson(BEYOND_2_53)}`);
      expect(completed.text).to.contain(`"parcelNumber":${longJson(`-${BEYOND_2_53}`)}`);
      const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'ship', lockDuration: 60_000, processVariables: { orderNumber: BEYOND_2_53 } }] });
      expect(fetched.body, 'the gateway routed the instance to Ship order').to.have.length(1);
      expect(fetched.text).to.contain(`"orderNumber":${longJson(BEYOND_2_53)}`);
      expect(fetched.text).to.contain(`"customerNumber":${longJson(MAX_LONG)}`);
      expect(fetched.text).to.contain(`"parcelNumber":${longJson(`-${BEYOND_2_53}`)}`);

      // when the external task completes with a Long beyond 2^53
      const done = await rest.postJsonText(`/external-task/${fetched.body[0].id}/complete`, `{"workerId":"w1","variables":{"trackingNumber":{"value":${MIN_LONG},"type":"Long"}}}`);
      expect(done.status, done.text).to.equal(204);

      // then history keeps every digit of the instance that has ended
      const history = await rest.get(`/history/variable-instance?processInstanceId=${instanceId}&sortBy=variableName&sortOrder=asc`);
      expect(history.body.map((v: any) => v.name)).to.deep.equal(['customerNumber', 'orderNumber', 'parcelNumber', 'trackingNumber']);
      for (const digits of [MAX_LONG, BEYOND_2_53, `-${BEYOND_2_53}`, MIN_LONG]) expect(history.text).to.contain(`"type":"Long","value":${digits},`);
    });

    it('should not match a fetchAndLock processVariables filter on the rounded value', async () => {
      // given
      const instanceId = (await startWith(`{"orderNumber":{"value":${BEYOND_2_53},"type":"Long"}}`)).body.id;
      const taskId = await openTask(instanceId);
      expect((await rest.post(`/task/${taskId}/complete`, {})).status).to.equal(204);

      // when
      const rounded = await rest.postJsonText('/external-task/fetchAndLock', '{"workerId":"w2","maxTasks":5,"topics":[{"topicName":"ship","lockDuration":60000,"processVariables":{"orderNumber":9007199254740992}}]}');
      const exact = await rest.postJsonText('/external-task/fetchAndLock', `{"workerId":"w2","maxTasks":5,"topics":[{"topicName":"ship","lockDuration":60000,"processVariables":{"orderNumber":${BEYOND_2_53}}}]}`);

      // then
      expect(rounded.body).to.have.length(0);
      expect(exact.body).to.have.length(1);
      expect(exact.text).to.contain(`"orderNumber":${longJson(BEYOND_2_53)}`);
    });
  });

  describe('malformed JSON', () => {
    it('should answer 400 InvalidRequestException with an empty message, as Camunda', async () => {
      // when
      const res = await rest.postJsonText('/process-definition/key/long-variables/start', `{"variables":{"orderNumber":{"value":${BEYOND_2_53},}}`, { undocumentedStatus: 400 });

      // then
      expect(res.status).to.equal(400);
      expect(res.text).to.equal('{"type":"InvalidRequestException","message":"","code":0}');
    });
  });
});
