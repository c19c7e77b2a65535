/** Scenario: signals broadcast to catch, boundary and start events; conditional events fire when variables change. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: signals and conditional events', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('signals-and-conditions.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey).sort();
  const instancesOf = async (key: string) => (await rest.get(`/process-instance?processDefinitionKey=${key}`)).body.map((instance: { id: string }) => instance.id);

  describe('signals', () => {
    it('should broadcast a signal to every catch and boundary event and start an instance at the signal start event', async () => {
      // given
      const catching = await rest.post('/process-definition/key/signals-catch/start', {});
      const submitting = await rest.post('/process-definition/key/signals-boundary/start', {});
      const recallsBefore = (await instancesOf('signals-start')).length;

      // when
      const sent = await rest.post('/signal', { name: 'formulary-recall', variables: { lot: { value: 'L-17', type: 'String' } } });
      await rest.post('/signal', { name: 'payer-outage' });

      // then
      expect(sent.status).to.equal(204);
      expect(await taskKeys(catching.body.id)).to.deep.equal(['Task_Review']);
      expect((await rest.get(`/process-instance/${catching.body.id}/variables`)).body.lot.value).to.equal('L-17');
      expect(await taskKeys(submitting.body.id)).to.deep.equal(['Task_Fax']);
      const recalls = await instancesOf('signals-start');
      expect(recalls).to.have.length(recallsBefore + 1);
      const [started] = (await rest.get('/history/process-instance?processDefinitionKey=signals-start&sortBy=startTime&sortOrder=desc&maxResults=1')).body;
      expect(started.startActivityId).to.equal('Start_Recall');
      expect((await rest.get('/event-subscription?eventType=signal&eventName=formulary-recall')).body.map((s: { activityId: string }) => s.activityId)).to.deep.equal(['Start_Recall']);
    });

    it('should deliver a signal thrown by a process to other instances and start events after its command', async () => {
      // given
      const catching = await rest.post('/process-definition/key/signals-catch/start', {});
      const recallsBefore = (await instancesOf('signals-start')).length;

      // when
      const thrower = await rest.post('/process-definition/key/signals-throw/start', {});

      // then the thrower ended and the signal reached the others by the time the start answered
      expect(thrower.body.ended).to.equal(true);
      expect(await taskKeys(catching.body.id)).to.deep.equal(['Task_Review']);
      expect(await instancesOf('signals-start')).to.have.length(recallsBefore + 1);
      const pending = await engine.ctx.database.knex('signal_broadcast').count('* as n').first();
      expect(Number(pending?.n)).to.equal(0);
      const [throwEvent] = (await rest.get(`/history/activity-instance?processInstanceId=${thrower.body.id}&activityId=Throw_Recall`)).body;
      expect(throwEvent.activityType).to.equal('intermediateSignalThrow');
    });

    it('should deliver a signal to one execution only, and refuse an execution that does not wait for it', async () => {
      // given
      const first = await rest.post('/process-definition/key/signals-catch/start', {});
      const second = await rest.post('/process-definition/key/signals-catch/start', {});
      const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${first.body.id}`)).body;

      // when
      const sent = await rest.post('/signal', { name: 'formulary-recall', executionId: subscription.executionId });

      // then
      expect(sent.status).to.equal(204);
      expect(await taskKeys(first.body.id)).to.deep.equal(['Task_Review']);
      expect(await taskKeys(second.body.id)).to.deep.equal([]);
      const wrong = await rest.post('/signal', { name: 'formulary-recall', executionId: first.body.id }, { undocumentedStatus: 500 });
      expect(wrong.status).to.equal(500);
      expect(wrong.body.message).to.equal(`Execution '${first.body.id}' has not subscribed to a signal event with name 'formulary-recall'. is empty`);
      const unknown = await rest.post('/signal', { name: 'formulary-recall', executionId: 'no-such-execution' }, { undocumentedStatus: 500 });
      expect(unknown.body).to.include({ type: 'NullValueException', message: "Cannot find execution with id 'no-such-execution': execution is null" });
      expect((await rest.post('/signal', {})).body).to.include({ type: 'InvalidRequestException', message: 'No signal name given' });
    });
  });

  describe('conditional events', () => {
    it('should fire an intermediate conditional event when its variable changes so that the condition holds', async () => {
      // given
      const started = await rest.post('/process-definition/key/conditions-catch/start', { variables: { score: { value: 1, type: 'Integer' } } });
      const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body;
      expect(subscription).to.include({ eventType: 'conditional', eventName: null, activityId: 'Catch_Approved' });

      // when a change leaves the condition false, another variable makes it true, then the watched one does
      await rest.post(`/process-instance/${started.body.id}/variables`, { modifications: { score: { value: 3, type: 'Integer' } } });
      expect(await taskKeys(started.body.id)).to.deep.equal([]);
      await rest.put(`/process-instance/${started.body.id}/variables/score`, { value: 9, type: 'Integer' });

      // then
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Proceed']);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
    });

    it('should pass a conditional event at once when the condition holds on arrival, and wait when its variable is not set', async () => {
      const passing = await rest.post('/process-definition/key/conditions-catch/start', { variables: { score: { value: 10, type: 'Integer' } } });
      expect(await taskKeys(passing.body.id)).to.deep.equal(['Task_Proceed']);
      const waiting = await rest.post('/process-definition/key/conditions-catch/start', {});
      expect(waiting.status).to.equal(200);
      expect(await taskKeys(waiting.body.id)).to.deep.equal([]);
    });

    it('should interrupt a task through a conditional boundary event when a task variable update makes it true', async () => {
      // given
      const started = await rest.post('/process-definition/key/conditions-boundary/start', {});
      const [work] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

      // when an unrelated variable changes, then the one the condition reads
      await rest.post(`/task/${work.id}/variables`, { modifications: { note: { value: 'busy', type: 'String' } } });
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Work']);
      await rest.post(`/task/${work.id}/variables`, { modifications: { status: { value: 'stop', type: 'String' } } });

      // then
      const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
      expect(instance.state).to.equal('COMPLETED');
      const [task] = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&activityId=Task_Work`)).body;
      expect(task.canceled).to.equal(true);
      const [boundary] = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&activityId=Boundary_Stop`)).body;
      expect(boundary.activityType).to.equal('boundaryConditional');
    });

    it('should let a condition win an event-based gateway against a signal, and a signal win it against a condition', async () => {
      // given
      const ready = await rest.post('/process-definition/key/conditions-gateway/start', {});
      const outage = await rest.post('/process-definition/key/conditions-gateway/start', {});
      expect((await rest.get(`/event-subscription?processInstanceId=${ready.body.id}`)).body.map((s: { eventType: string }) => s.eventType).sort()).to.deep.equal(['conditional', 'signal']);

      // when
      await rest.post(`/process-instance/${ready.body.id}/variables`, { modifications: { ready: { value: true, type: 'Boolean' } } });
      await rest.post('/signal', { name: 'payer-outage' });

      // then each took its own way, and nothing else waits
      expect(await taskKeys(ready.body.id)).to.deep.equal(['Task_Go']);
      expect(await taskKeys(outage.body.id)).to.deep.equal(['Task_Wait']);
      for (const id of [ready.body.id, outage.body.id]) expect((await rest.get(`/event-subscription?processInstanceId=${id}`)).body).to.deep.equal([]);
    });

    it('should start instances at conditional start events whose conditions hold for POST /condition', async () => {
      // when
      const hot = await rest.post('/condition', { variables: { temperature: { value: 35, type: 'Integer' } }, businessKey: 'fridge-3' });
      const cold = await rest.post('/condition', { variables: { temperature: { value: 10, type: 'Integer' } } });

      // then
      expect(hot.status).to.equal(200);
      expect(hot.body).to.have.length(1);
      expect(hot.body[0]).to.include({ businessKey: 'fridge-3', definitionKey: 'conditions-start', ended: false });
      expect(hot.body[0].links).to.deep.equal([]);
      expect(await taskKeys(hot.body[0].id)).to.deep.equal(['Task_Cool']);
      expect(cold.body).to.deep.equal([]);
      const unknown = await rest.post('/condition', { variables: { temperature: { value: 35, type: 'Integer' } }, processDefinitionId: 'nope:1:1' });
      expect(unknown.status).to.equal(400);
      const noTenant = await rest.post('/condition', { variables: { temperature: { value: 35, type: 'Integer' } }, tenantId: 't1' }, { undocumentedStatus: 500 });
      expect(noTenant.body).to.include({ type: 'ProcessEngineException', message: 'ENGINE-13043 No subscriptions were found during evaluation of the conditional start events.' });
    });
  });
});
