/** Scenario: event sub-processes started by messages, timers, signals and conditions, interrupting and not, in the process and in a sub-process. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { TestClock } from '../support/test-clock.js';
import { JobExecutor } from '../../src/jobs/job-executor.js';

describeOnDatabases('feature: event sub-processes', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let executor: JobExecutor;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  before(async () => {
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    executor = new JobExecutor(engine.ctx, { lockOwner: 'test-node', lockDurationMs: 300_000, pollIntervalMs: 1_000 });
    await rest.deployFixture('event-sub-processes.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const started = await rest.post(`/process-definition/key/${key}/start`, { variables });
    expect(started.status, started.text).to.equal(200);
    return started.body.id as string;
  };
  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey).sort();
  const taskOf = async (processInstanceId: string, key: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}&taskDefinitionKey=${key}`)).body[0];
  const history = async (processInstanceId: string, activityId: string) =>
    (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&activityId=${activityId}`)).body.map((row: { activityType: string; endTime: string | null; canceled: boolean }) => [row.activityType, row.endTime !== null, row.canceled]);
  const state = async (processInstanceId: string) => (await rest.get(`/history/process-instance/${processInstanceId}`)).body.state;

  describe('an interrupting message event sub-process', () => {
    it('should cancel the waiting user task and external task, release the lock and refuse a late complete', async () => {
      // given a request under review whose eligibility check a worker has locked
      const instanceId = await start('esp-withdraw');
      const [locked] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'esp-eligibility', lockDuration: 60_000 }] })).body;
      expect(locked.processInstanceId).to.equal(instanceId);
      const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${instanceId}`)).body;
      expect(subscription).to.include({ eventType: 'message', eventName: 'request-withdrawn', activityId: 'Start_Withdrawn', executionId: instanceId });

      // when the request is withdrawn
      const correlated = await rest.post('/message', { messageName: 'request-withdrawn', processInstanceId: instanceId });

      // then review and check are cancelled, and the withdrawal is confirmed instead
      expect(correlated.status, correlated.text).to.equal(204);
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Confirm']);
      expect(await history(instanceId, 'Task_Review')).to.deep.equal([['userTask', true, true]]);
      expect(await history(instanceId, 'Task_Eligibility')).to.deep.equal([['serviceTask', true, true]]);
      expect(await history(instanceId, 'Sub_Withdrawn')).to.deep.equal([['subProcess', false, false]]);
      expect(await history(instanceId, 'Start_Withdrawn')).to.deep.equal([['messageStartEvent', true, false]]);
      expect((await rest.get(`/external-task?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
      expect((await rest.get(`/event-subscription?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
      const late = await rest.post(`/external-task/${locked.id}/complete`, { workerId: 'w1' });
      expect(late.status).to.equal(404);
      expect(late.body.type).to.equal('RestException');

      // and when the withdrawal is confirmed, the instance ends
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Confirm')).id}/complete`, {});
      expect(await state(instanceId)).to.equal('COMPLETED');
      expect(await history(instanceId, 'Sub_Withdrawn')).to.deep.equal([['subProcess', true, false]]);
    });

    it('should be discarded with its subscription when the main flow completes first', async () => {
      // given
      const instanceId = await start('esp-withdraw');
      const [locked] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'esp-eligibility', lockDuration: 60_000 }] })).body;

      // when
      await rest.post(`/external-task/${locked.id}/complete`, { workerId: 'w1' });
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Review')).id}/complete`, {});

      // then
      expect(await state(instanceId)).to.equal('COMPLETED');
      expect(await history(instanceId, 'Sub_Withdrawn')).to.deep.equal([]);
      expect((await rest.get(`/event-subscription?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    });
  });

  describe('a non-interrupting timer event sub-process', () => {
    it('should fire three times while the main flow waits, then stop', async () => {
      // given
      const instanceId = await start('esp-reminders');

      // when 10, 20, 30 and 40 minutes pass
      for (let round = 0; round < 4; round++) {
        clock.advance({ minutes: 10 });
        await executor.runDueJobs();
      }

      // then the reminder ran three times beside the waiting task, and no timer is left
      const reminders = (await rest.get(`/process-instance/${instanceId}/variables/reminders`)).body;
      expect(reminders.value).to.equal(3);
      expect(await history(instanceId, 'Sub_Remind')).to.deep.equal([['subProcess', true, false], ['subProcess', true, false], ['subProcess', true, false]]);
      expect((await rest.get(`/job?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Answer']);

      // and when the task completes, the instance ends
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Answer')).id}/complete`, {});
      expect(await state(instanceId)).to.equal('COMPLETED');
    });
  });

  describe('event sub-processes inside a sub-process', () => {
    it('should take notes beside the handling without interrupting it, and close the case afterwards', async () => {
      // given
      const instanceId = await start('esp-nested', { urgent: { value: false, type: 'Boolean' } });
      const subscriptions = (await rest.get(`/event-subscription?processInstanceId=${instanceId}&sortBy=created&sortOrder=asc`)).body;
      expect(subscriptions.map((s: { activityId: string }) => s.activityId).sort()).to.deep.equal(['Start_Note', 'Start_Recall', 'Start_Urgent']);

      // when a note arrives
      expect((await rest.post('/message', { messageName: 'note-added', processInstanceId: instanceId })).status).to.equal(204);

      // then it is read beside the handling, and the note's start stays armed only once its run completed
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Handle', 'Task_Read']);
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Read')).id}/complete`, {});
      expect((await rest.post('/message', { messageName: 'note-added', processInstanceId: instanceId })).status).to.equal(204);
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Read')).id}/complete`, {});
      expect(await history(instanceId, 'Sub_Note')).to.deep.equal([['subProcess', true, false], ['subProcess', true, false]]);

      // and when the handling completes, the sub-process ends and its subscriptions go
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Handle')).id}/complete`, {});
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Close']);
      expect((await rest.get(`/event-subscription?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    });

    it('should stop the handling when the payer recalls, and go on after the sub-process', async () => {
      // given
      const instanceId = await start('esp-nested', { urgent: { value: false, type: 'Boolean' } });

      // when
      expect((await rest.post('/signal', { name: 'payer-recall' })).status).to.equal(204);

      // then
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Close']);
      expect(await history(instanceId, 'Task_Handle')).to.deep.equal([['userTask', true, true]]);
      expect(await history(instanceId, 'Sub_Recall')).to.deep.equal([['subProcess', true, false]]);
      expect(await history(instanceId, 'Sub_Handle')).to.deep.equal([['subProcess', true, false]]);
    });

    it('should start the urgent handling when the condition becomes true', async () => {
      // given
      const instanceId = await start('esp-nested', { urgent: { value: false, type: 'Boolean' } });

      // when
      const updated = await rest.put(`/process-instance/${instanceId}/variables/urgent`, { value: true, type: "Boolean" }, { undocumentedStatus: 500 });
      expect(updated.status, updated.text).to.equal(204);

      // then
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Escalated']);
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Escalated')).id}/complete`, {});
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Close']);
    });
  });

  describe('an interrupting timer event sub-process inside a sub-process', () => {
    it('should stop the work when its deadline (an expression) passes, and end the sub-process when the escalation is done', async () => {
      // given
      const instanceId = await start('esp-deadline', { deadline: { value: 'PT1H', type: 'String' } });
      expect((await rest.get(`/job?processInstanceId=${instanceId}`)).body).to.have.length(1);
      clock.advance({ minutes: 59 });
      await executor.runDueJobs();
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Work']);

      // when the hour passes
      clock.advance({ minutes: 2 });
      await executor.runDueJobs();

      // then
      expect(await taskKeys(instanceId)).to.deep.equal(['Task_Escalate']);
      expect(await history(instanceId, 'Task_Work')).to.deep.equal([['userTask', true, true]]);
      expect(await history(instanceId, 'Start_Overdue')).to.deep.equal([['startTimerEvent', true, false]]);
      await rest.post(`/task/${(await taskOf(instanceId, 'Task_Escalate')).id}/complete`, {});
      expect(await state(instanceId)).to.equal('COMPLETED');
    });
  });
});
