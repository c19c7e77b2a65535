/** Scenario: call activities start a separate child instance, hand variables in and out, and continue the caller when it ends. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: call activities', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('call-activities.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  async function childOf(callerId: string) {
    const children = (await rest.get(`/process-instance?superProcessInstance=${callerId}`)).body;
    expect(children).to.have.length(1);
    return children[0];
  }

  it('should start the callee of the same file as a separate instance with the mapped variables and business key', async () => {
    // when
    const started = await rest.post('/process-definition/key/call-activities-caller/start', { businessKey: 'claim-7', variables: { amount: { value: 250, type: 'Integer' } } });

    // then the caller waits at the call activity and the child at its user task
    expect(started.status).to.equal(200);
    const child = await childOf(started.body.id);
    expect(child).to.include({ businessKey: 'claim-7' });
    expect(child.definitionId).to.match(/^call-activities-callee:/);
    const tasks = (await rest.get(`/task?processInstanceId=${child.id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['Decide']);
    expect((await rest.get(`/task?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
    const variables = (await rest.get(`/process-instance/${child.id}/variables`)).body;
    expect(variables).to.deep.equal({ claimAmount: { type: 'Integer', value: 250, valueInfo: {} }, claimKey: { type: 'String', value: 'claim-7', valueInfo: {} } });

    // and history links the child to its caller and their root
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${child.id}`)).body;
    expect(history).to.include({ superProcessInstanceId: started.body.id, rootProcessInstanceId: started.body.id });
    const caller = (await rest.get(`/process-instance?subProcessInstance=${child.id}`)).body;
    expect(caller.map((instance: { id: string }) => instance.id)).to.deep.equal([started.body.id]);
  });

  it('should continue the caller with camunda:out variables when the child ends, in the same command', async () => {
    // given
    const started = await rest.post('/process-definition/key/call-activities-caller/start', { variables: { amount: { value: 10, type: 'Integer' } } });
    const child = await childOf(started.body.id);
    const [decide] = (await rest.get(`/task?processInstanceId=${child.id}`)).body;

    // when
    const completed = await rest.post(`/task/${decide.id}/complete`, { variables: { decision: { value: 'approve', type: 'String' } } });

    // then the child is gone and the caller waits at the task after the call activity
    expect(completed.status).to.equal(204);
    expect((await rest.get(`/process-instance/${child.id}`)).status).to.equal(404);
    const tasks = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['Notify']);
    const variables = (await rest.get(`/process-instance/${started.body.id}/variables`)).body;
    expect(variables.reviewDecision).to.deep.equal({ type: 'String', value: 'approve', valueInfo: {} });
    expect(variables.notSetInChild).to.deep.include({ value: null });
    const [childHistory] = (await rest.get(`/history/process-instance?processInstanceId=${child.id}`)).body;
    expect(childHistory.state).to.equal('COMPLETED');
  });

  it('should resolve calledElement from an expression and continue at once when the child ends at its start', async () => {
    // when
    const started = await rest.post('/process-definition/key/call-activities-instant/start', {
      variables: { calleeKey: { value: 'call-activities-passthrough', type: 'String' }, amount: { value: 3, type: 'Integer' } },
    });

    // then the child ran to its end and variables="all" brought its result back
    expect(started.status).to.equal(200);
    const tasks = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['AfterCheck']);
    const variables = (await rest.get(`/process-instance/${started.body.id}/variables`)).body;
    expect(variables.stamp).to.deep.equal({ type: 'String', value: 'checked 3', valueInfo: {} });
    const children = (await rest.get(`/history/process-instance?superProcessInstanceId=${started.body.id}`)).body;
    expect(children.map((child: { state: string }) => child.state)).to.deep.equal(['COMPLETED']);
  });

  it('should delete the child with its caller', async () => {
    // given
    const started = await rest.post('/process-definition/key/call-activities-caller/start', { variables: { amount: { value: 1, type: 'Integer' } } });
    const child = await childOf(started.body.id);

    // when
    expect((await rest.delete(`/process-instance/${started.body.id}`)).status).to.equal(204);

    // then
    expect((await rest.get(`/process-instance/${child.id}`)).status).to.equal(404);
    expect((await rest.get(`/task?processInstanceId=${child.id}`)).body).to.deep.equal([]);
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${child.id}`)).body;
    expect(history.state).to.equal('EXTERNALLY_TERMINATED');
  });

  it('should refuse a start whose call activity names no deployed process, and commit nothing', async () => {
    // given
    const before = (await rest.get('/history/process-instance/count')).body.count;

    // when
    const started = await rest.post('/process-definition/key/call-activities-missing/start', {});

    // then
    expect(started.status).to.equal(500);
    expect(started.body.type).to.equal('RestException');
    expect(started.body.message).to.match(/^Cannot instantiate process definition call-activities-missing:1:.*: no processes deployed with key 'no-such-process' and tenant-id 'null': processDefinition is null$/);
    expect((await rest.get('/history/process-instance/count')).body.count).to.equal(before);
  });

  it('should catch a BPMN error the child does not catch on the call activity, ending the child', async () => {
    // given
    const started = await rest.post('/process-definition/key/call-activities-eligibility/start', {});
    const child = await childOf(started.body.id);
    const [locked] = (await rest.post('/external-task/fetchAndLock', { workerId: 'payer-worker', maxTasks: 1, topics: [{ topicName: 'payer-check', lockDuration: 60_000 }] })).body;
    expect(locked.processInstanceId).to.equal(child.id);

    // when
    const thrown = await rest.post(`/external-task/${locked.id}/bpmnError`, { workerId: 'payer-worker', errorCode: 'NOT_ELIGIBLE', errorMessage: 'plan ended' });

    // then the caller took the error boundary path, with the code in its variable, and the child is gone
    expect(thrown.status).to.equal(204);
    const tasks = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['ExplainDenial']);
    expect((await rest.get(`/process-instance/${started.body.id}/variables/reason`)).body.value).to.equal('NOT_ELIGIBLE');
    expect((await rest.get(`/process-instance/${child.id}`)).status).to.equal(404);
    expect((await rest.get(`/external-task?processInstanceId=${child.id}`)).body).to.deep.equal([]);
  });
});
