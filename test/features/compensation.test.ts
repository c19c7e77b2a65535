/** Scenario: sagas compensated as Camunda does: handlers newest first, waiting for them, only completed activities. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: compensation', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('compensation.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const started = await rest.post(`/process-definition/key/${key}/start`, { variables });
    expect(started.status, started.text).to.equal(200);
    return started.body.id as string;
  };
  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey).sort();
  const completeTask = async (processInstanceId: string, key: string, variables: Record<string, unknown> = {}) => {
    const [task] = (await rest.get(`/task?processInstanceId=${processInstanceId}&taskDefinitionKey=${key}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, { variables })).status).to.equal(204);
  };
  /** Locks and answers the one external task of a topic for the instance. */
  const work = async (processInstanceId: string, topicName: string, answer: 'complete' | { errorCode: string } = 'complete') => {
    const locked = (await rest.post('/external-task/fetchAndLock', { workerId: 'saga-worker', maxTasks: 10, topics: [{ topicName, lockDuration: 60_000, processInstanceId }] })).body;
    expect(locked, `a task on ${topicName}`).to.have.length(1);
    const path = answer === 'complete' ? 'complete' : 'bpmnError';
    const res = await rest.post(`/external-task/${locked[0].id}/${path}`, { workerId: 'saga-worker', ...(answer === 'complete' ? {} : answer) });
    expect(res.status, res.text).to.equal(204);
  };
  const openTopics = async (processInstanceId: string) => (await rest.get(`/external-task?processInstanceId=${processInstanceId}`)).body.map((task: { topicName: string }) => task.topicName).sort();
  const started = async (processInstanceId: string): Promise<string[]> => (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&sortBy=occurrence&sortOrder=asc`)).body.map((row: { activityId: string }) => row.activityId);
  const state = async (processInstanceId: string) => (await rest.get(`/history/process-instance/${processInstanceId}`)).body.state;

  it('should undo a three-step saga newest first when its confirmation fails, and end once every handler is done', async () => {
    // given a booking whose three steps completed
    const instanceId = await start('saga-booking');
    for (const topic of ['saga-submit', 'saga-schedule', 'saga-notify']) await work(instanceId, topic);

    // when the confirmation fails
    await work(instanceId, 'saga-confirm', { errorCode: 'BOOKING_FAILED' });

    // then the three handlers wait at once, activated newest first, and the throw waits for them
    expect(await openTopics(instanceId)).to.deep.equal(['saga-cancel', 'saga-retract', 'saga-withdraw']);
    const history = await started(instanceId);
    expect(history.filter((id) => ['Task_Retract', 'Task_Cancel', 'Task_Withdraw'].includes(id))).to.deep.equal(['Task_Retract', 'Task_Cancel', 'Task_Withdraw']);
    expect(history).to.include('Throw_Undo').and.not.include('End_Undone');

    // when the handlers complete in any order
    await work(instanceId, 'saga-withdraw');
    await work(instanceId, 'saga-retract');
    expect(await state(instanceId)).to.equal('ACTIVE');
    await work(instanceId, 'saga-cancel');

    // then the saga ends at its undo end event
    expect(await state(instanceId)).to.equal('COMPLETED');
    expect(await started(instanceId)).to.include('End_Undone');
  });

  it('should complete a saga without compensating anything when every step succeeds', async () => {
    const instanceId = await start('saga-booking');
    for (const topic of ['saga-submit', 'saga-schedule', 'saga-notify', 'saga-confirm']) await work(instanceId, topic);
    expect(await state(instanceId)).to.equal('COMPLETED');
    expect(await started(instanceId)).to.not.include.members(['Task_Withdraw', 'Task_Cancel', 'Task_Retract']);
  });

  it('should compensate only the completed activities of a sub-process from its error event sub-process', async () => {
    // given a claim whose funds are reserved and filing is done
    const instanceId = await start('saga-claim');
    await completeTask(instanceId, 'Task_Reserve');
    await completeTask(instanceId, 'Task_File');

    // when the review rejects it
    await completeTask(instanceId, 'Task_Review', { decision: { value: 'reject', type: 'String' } });

    // then both are undone, newest first, and the claim goes on once they are
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Release', 'Task_Withdraw_Claim']);
    const history = await started(instanceId);
    expect(history.filter((id) => ['Task_Release', 'Task_Withdraw_Claim'].includes(id))).to.deep.equal(['Task_Withdraw_Claim', 'Task_Release']);
    await completeTask(instanceId, 'Task_Release');
    await completeTask(instanceId, 'Task_Withdraw_Claim');
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Close']);
  });

  it('should compensate one activity named by activityRef', async () => {
    const instanceId = await start('saga-claim');
    await completeTask(instanceId, 'Task_Reserve');
    await completeTask(instanceId, 'Task_File');
    await completeTask(instanceId, 'Task_Review', { decision: { value: 'refile', type: 'String' } });
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Withdraw_Claim']);
    await completeTask(instanceId, 'Task_Withdraw_Claim');
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Close']);
  });

  it('should pass a compensation throw with nothing completed to compensate', async () => {
    const instanceId = await start('saga-nothing');
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_First']);
    await completeTask(instanceId, 'Task_First');
    expect(await state(instanceId)).to.equal('COMPLETED');
  });
});
