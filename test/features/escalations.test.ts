/** Scenario: escalations and errors caught by code, innermost first, by boundary events and event sub-processes. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: escalations and error event sub-processes', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('escalations.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const start = async (key: string) => {
    const started = await rest.post(`/process-definition/key/${key}/start`, {});
    expect(started.status, started.text).to.equal(200);
    return started.body.id as string;
  };
  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey).sort();
  const taskOf = async (processInstanceId: string, key: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}&taskDefinitionKey=${key}`)).body[0];
  const variable = async (processInstanceId: string, name: string) => (await rest.get(`/process-instance/${processInstanceId}/variables/${name}`)).body.value;
  const historyOf = async (processInstanceId: string, activityId: string) => (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&activityId=${activityId}`)).body.map((row: { activityType: string; canceled: boolean; endTime: string | null }) => [row.activityType, row.endTime !== null, row.canceled]);

  it('should let a non-interrupting boundary event take an escalation thrown inside its sub-process while the review goes on', async () => {
    // when
    const instanceId = await start('escalation-boundary');

    // then
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Continue', 'Task_Supervise']);
    expect(await variable(instanceId, 'escalated')).to.equal('SUPERVISOR');
    expect(await historyOf(instanceId, 'Throw_Supervisor')).to.deep.equal([['intermediateEscalationThrowEvent', true, false]]);
    expect(await historyOf(instanceId, 'Boundary_Supervisor')).to.deep.equal([['boundaryEscalation', true, false]]);
  });

  it('should interrupt a sub-process on an escalation end event caught by a boundary event for any code', async () => {
    // given
    const instanceId = await start('escalation-interrupting');

    // when tracking finds the delivery late
    await rest.post(`/task/${(await taskOf(instanceId, 'Task_Track')).id}/complete`, {});

    // then
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Apologize']);
    expect(await variable(instanceId, 'why')).to.equal('LATE');
    expect(await historyOf(instanceId, 'Task_Pack')).to.deep.equal([['userTask', true, true]]);
    expect(await historyOf(instanceId, 'Sub_Deliver')).to.deep.equal([['subProcess', true, true]]);
  });

  it('should start a non-interrupting escalation event sub-process for a task\'s escalation, and refuse one nothing catches', async () => {
    // given
    const instanceId = await start('escalation-esp');
    const prepare = await taskOf(instanceId, 'Task_Prepare');

    // when
    const escalated = await rest.post(`/task/${prepare.id}/bpmnEscalation`, { escalationCode: 'HELP', variables: { note: { value: 'stuck', type: 'String' } } });
    const refused = await rest.post(`/task/${prepare.id}/bpmnEscalation`, { escalationCode: 'NOBODY', variables: { lost: { value: true, type: 'Boolean' } } }, { undocumentedStatus: 500 });
    const missing = await rest.post(`/task/${prepare.id}/bpmnEscalation`, {});

    // then
    expect(escalated.status, escalated.text).to.equal(204);
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Help', 'Task_Prepare']);
    expect(await variable(instanceId, 'note')).to.equal('stuck');
    expect(refused.status).to.equal(500);
    expect(refused.body).to.deep.equal({ type: 'ProcessEngineException', message: "ENGINE-02043 Execution with id 'Task_Prepare' throws an escalation event with escalationCode 'NOBODY', but no escalation handler was defined. ", code: 0 });
    expect((await rest.get(`/process-instance/${instanceId}/variables`)).body).to.not.have.property('lost');
    expect(missing.status).to.equal(400);
    expect(missing.body).to.deep.equal({ type: 'RestException', message: 'escalationCode is null', code: 0 });
  });

  it('should interrupt the process with an error event sub-process when a worker reports the payer is down', async () => {
    // given a submission at its worker
    const instanceId = await start('escalation-esp');
    await rest.post(`/task/${(await taskOf(instanceId, 'Task_Prepare')).id}/complete`, {});
    const [locked] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'escalation-submit', lockDuration: 60_000 }] })).body;

    // when
    const reported = await rest.post(`/external-task/${locked.id}/bpmnError`, { workerId: 'w1', errorCode: 'PAYER_DOWN', errorMessage: 'payer portal down' });

    // then
    expect(reported.status, reported.text).to.equal(204);
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Manual']);
    expect(await variable(instanceId, 'failure')).to.equal('PAYER_DOWN');
    expect(await variable(instanceId, 'failureMessage')).to.equal('payer portal down');
    expect(await historyOf(instanceId, 'Sub_Submit')).to.deep.equal([['subProcess', true, true]]);
    expect(await historyOf(instanceId, 'Start_PayerDown')).to.deep.equal([['errorStartEvent', true, false]]);
    expect((await rest.get(`/external-task?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
  });

  it('should catch an error end event with an error event sub-process of its own sub-process, which then completes', async () => {
    // when
    const instanceId = await start('error-esp-nested');

    // then
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Appeal']);
    expect(await historyOf(instanceId, 'End_Denied')).to.deep.equal([['errorEndEvent', true, true]]);
    await rest.post(`/task/${(await taskOf(instanceId, 'Task_Appeal')).id}/complete`, {});
    expect(await taskKeys(instanceId)).to.deep.equal(['Task_Done']);
    expect(await historyOf(instanceId, 'Sub_Claim')).to.deep.equal([['subProcess', true, false]]);
  });

  it('should throw an error code written as an expression as it is written, as Camunda does: a boundary event for any code catches it', async () => {
    // when
    const started = await rest.post('/process-definition/key/error-code-expression/start', { variables: { failureCode: { value: 'DENIED', type: 'String' } } });

    // then
    expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Other']);
    expect(await variable(started.body.id, 'caughtCode')).to.equal('${failureCode}');
  });
});
