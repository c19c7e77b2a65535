/** Scenario: BPMN errors from error end events and from user tasks, caught by error boundary events or ending their execution. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: BPMN errors', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('errors.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey);
  const historyOf = async (processInstanceId: string, activityId: string) => (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&activityId=${activityId}`)).body[0];

  it('should catch a BPMN error reported for a user task on its boundary event, setting the code and message variables', async () => {
    // given
    const started = await rest.post('/process-definition/key/errors-task/start', {});
    const [review] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

    // when
    const thrown = await rest.post(`/task/${review.id}/bpmnError`, { errorCode: 'REJECTED', errorMessage: 'missing referral' });

    // then
    expect(thrown.status).to.equal(204);
    expect(await taskKeys(started.body.id)).to.deep.equal(['Task_HandleRejection']);
    const variables = (await rest.get(`/process-instance/${started.body.id}/variables`)).body;
    expect(variables.rejectCode.value).to.equal('REJECTED');
    expect(variables.rejectMessage.value).to.equal('missing referral');
    expect(await historyOf(started.body.id, 'Task_Review')).to.include({ canceled: true });
    const [task] = (await rest.get(`/history/task?processInstanceId=${started.body.id}&taskDefinitionKey=Task_Review`)).body;
    expect(task.deleteReason).to.equal('deleted');
  });

  it('should end the task\'s execution when no boundary event catches the code, and refuse a missing code or task', async () => {
    // given
    const started = await rest.post('/process-definition/key/errors-task/start', {});
    const [review] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    const missingCode = await rest.post(`/task/${review.id}/bpmnError`, {});
    expect(missingCode.status).to.equal(400);
    expect(missingCode.body).to.include({ type: 'RestException', message: 'errorCode is null' });
    expect((await rest.post('/task/no-such-task/bpmnError', { errorCode: 'REJECTED' })).status).to.equal(404);

    // when
    await rest.post(`/task/${review.id}/bpmnError`, { errorCode: 'UNKNOWN_CODE' });

    // then
    const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
    expect(instance.state).to.equal('COMPLETED');
    expect(await historyOf(started.body.id, 'Task_Review')).to.include({ canceled: false, completeScope: true });
    expect(engine.warnings.some((warning) => warning.includes("BPMN error 'UNKNOWN_CODE'"))).to.equal(true);
  });

  it('should catch the error end event of a sub-process on the sub-process\'s boundary event', async () => {
    // when
    const notCovered = await rest.post('/process-definition/key/errors-subprocess/start', { variables: { covered: { value: false, type: 'Boolean' } } });
    const covered = await rest.post('/process-definition/key/errors-subprocess/start', { variables: { covered: { value: true, type: 'Boolean' } } });

    // then
    expect(await taskKeys(notCovered.body.id)).to.deep.equal(['Task_Appeal']);
    expect((await rest.get(`/process-instance/${notCovered.body.id}/variables/reason`)).body.value).to.equal('NOT_COVERED');
    expect(await historyOf(notCovered.body.id, 'Sub_Check')).to.include({ canceled: true });
    expect(await historyOf(notCovered.body.id, 'End_NotCovered')).to.include({ activityType: 'errorEndEvent', canceled: true });
    expect(await historyOf(notCovered.body.id, 'Boundary_NotCovered')).to.include({ activityType: 'boundaryError' });
    expect(await taskKeys(covered.body.id)).to.deep.equal(['Task_Proceed']);
  });

  it('should catch at the call activity an error end event the called process does not catch, terminating the called instance', async () => {
    // given
    const asking = await rest.post('/process-definition/key/errors-caller/start', {});
    const [child] = (await rest.get(`/process-instance?superProcessInstance=${asking.body.id}`)).body;
    const [decide] = (await rest.get(`/task?processInstanceId=${child.id}`)).body;

    // when
    await rest.post(`/task/${decide.id}/complete`, { variables: { covered: { value: false, type: 'Boolean' } } });

    // then
    expect(await taskKeys(asking.body.id)).to.deep.equal(['Task_SelfPay']);
    expect((await rest.get(`/process-instance/${asking.body.id}/variables/payerAnswer`)).body.value).to.equal('NOT_COVERED');
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${child.id}`)).body;
    expect(history.state).to.equal('INTERNALLY_TERMINATED');
    expect(await historyOf(asking.body.id, 'Call_Payer')).to.include({ canceled: true });
  });

  it('should let the called process end normally when its decision covers the request', async () => {
    const asking = await rest.post('/process-definition/key/errors-caller/start', {});
    const [child] = (await rest.get(`/process-instance?superProcessInstance=${asking.body.id}`)).body;
    const [decide] = (await rest.get(`/task?processInstanceId=${child.id}`)).body;

    await rest.post(`/task/${decide.id}/complete`, { variables: { covered: { value: true, type: 'Boolean' } } });

    expect(await taskKeys(asking.body.id)).to.deep.equal(['Task_Schedule']);
  });

  it('should end a sub-process like a none end event when nothing catches its error end event', async () => {
    const started = await rest.post('/process-definition/key/errors-uncaught/start', {});

    expect(await taskKeys(started.body.id)).to.deep.equal(['Task_After']);
    expect(await historyOf(started.body.id, 'End_Fails')).to.include({ activityType: 'errorEndEvent', canceled: false, completeScope: true });
  });
});

describeOnDatabases('feature: BPMN errors with UNHANDLED_BPMN_ERROR=incident', (use) => {
  it('should refuse an uncaught BPMN error for a user task and leave the task waiting', async () => {
    // given
    const engine = createTestEngine(use(), { unhandledBpmnError: 'incident' });
    const rest = new RestClient(engine.app);
    try {
      await rest.deployFixture('errors.bpmn');
      const started = await rest.post('/process-definition/key/errors-task/start', {});
      const [review] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

      // when
      const thrown = await rest.post(`/task/${review.id}/bpmnError`, { errorCode: 'UNKNOWN_CODE' }, { undocumentedStatus: 500 });

      // then
      expect(thrown.status).to.equal(500);
      expect(thrown.body.message).to.contain('UNHANDLED_BPMN_ERROR=incident leaves the task waiting');
      expect((await rest.get(`/task?processInstanceId=${started.body.id}`)).body.map((task: { id: string }) => task.id)).to.deep.equal([review.id]);
    } finally {
      engine.fetchAndLockWaiter.close();
    }
  });
});
