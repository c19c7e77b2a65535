/**
 * Scenario: task listeners use Camunda's `task` object: variables through the task (local, up the execution's scope
 * chain), its execution, its candidates and its event, as Camunda's examples write them.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: task listener variables', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('task-listener-variables.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  async function start() {
    const started = await rest.post('/process-definition/key/task-listener-variables/start', {
      businessKey: 'claim-7',
      variables: { amount: { value: 21, type: 'Integer' }, team: { value: 'claims', type: 'String' } },
    });
    expect(started.status).to.equal(200);
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    return { id: started.body.id as string, task };
  }

  async function processVariables(id: string) {
    return (await rest.get(`/process-instance/${id}/variables`)).body;
  }

  it('should keep what task.setVariableLocal sets on the task, and let expressions of the task see it', async () => {
    // when
    const { id, task } = await start();

    // then the task has its local variable, which the instance does not
    const locals = (await rest.get(`/task/${task.id}/localVariables`)).body;
    expect(locals.draftAmount).to.deep.equal({ type: 'Integer', value: 42, valueInfo: {} });
    const vars = await processVariables(id);
    expect(vars).to.not.have.property('draftAmount');
    // and the listener that followed saw it through task.getVariable, task.getVariableLocal and by name
    expect(vars.localSeen.value).to.equal(true);
  });

  it('should set task.setVariable where Camunda does: in the nearest scope holding the variable, else the instance', async () => {
    // when
    const { id, task } = await start();

    // then 'stage', an input parameter of the task's activity, changed there, not on the instance
    const taskVariables = (await rest.get(`/task/${task.id}/variables`)).body;
    expect(taskVariables.stage.value).to.equal('in review');
    const vars = await processVariables(id);
    expect(vars).to.not.have.property('stage');
    // and new variables went to the instance
    expect(vars.candidateCount.value).to.equal(1);
  });

  it("should give task.getExecution() as Camunda's execution, with the task's ids and key", async () => {
    // when
    const { id } = await start();

    // then
    const vars = await processVariables(id);
    expect(vars.openedFor.value).to.equal('claim-7');
    expect(vars.sameInstance.value).to.equal(true);
  });

  it('should add a candidate group through the task, so the task list finds the task by it', async () => {
    // when
    const { task } = await start();

    // then
    const byGroup = (await rest.get('/task?candidateGroup=claims')).body.map((found: { id: string }) => found.id);
    expect(byGroup).to.include(task.id);
  });

  /** Starts an instance and completes its first task: 'Archive', whose listeners change its attributes, is open. */
  async function startArchive() {
    const { id, task } = await start();
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    const [archive] = (await rest.get(`/task?processInstanceId=${id}`)).body;
    expect(archive.taskDefinitionKey).to.equal('Archive');
    return { id, archiveId: archive.id as string };
  }

  async function historicTask(taskId: string) {
    const [historic] = (await rest.get(`/history/task?taskId=${taskId}`)).body;
    return historic;
  }

  it('should record in /history/task what create listeners set on the task', async () => {
    // when
    const { archiveId } = await startArchive();

    // then
    expect((await rest.get(`/task/${archiveId}`)).body.priority).to.equal(70);
    expect(await historicTask(archiveId)).to.include({ name: 'Archive claim', priority: 70, assignee: null });
  });

  it('should keep /history/task and the activity instance equal to /task when assignment listeners change assignee, name and priority', async () => {
    // given
    const { id, archiveId } = await startArchive();

    // when
    expect((await rest.post(`/task/${archiveId}/assignee`, { userId: 'clerk' })).status).to.equal(204);

    // then the listeners handed the task on, renamed it and raised its priority
    const task = (await rest.get(`/task/${archiveId}`)).body;
    expect(task).to.include({ assignee: 'archivist', name: 'Archive assigned claim', priority: 90 });
    // and history says the same
    expect(await historicTask(archiveId)).to.include({ assignee: 'archivist', name: 'Archive assigned claim', priority: 90 });
    const [activity] = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=Archive`)).body;
    expect(activity.assignee).to.equal('archivist');
  });

  it('should end the task in /history/task as its complete listeners left it', async () => {
    // given
    const { archiveId } = await startArchive();

    // when
    expect((await rest.post(`/task/${archiveId}/complete`, {})).status).to.equal(204);

    // then
    expect(await historicTask(archiveId)).to.include({ name: 'Archived claim', deleteReason: 'completed' });
  });

  it('should run complete listeners with the task locals and the event name, before the instance moves on', async () => {
    // given
    const { id, task } = await start();

    // when
    const completed = await rest.post(`/task/${task.id}/complete`, {});

    // then
    expect(completed.status).to.equal(204);
    const vars = await processVariables(id);
    expect(vars.approvedAmount).to.deep.equal({ type: 'Integer', value: 42, valueInfo: {} });
    expect(vars.lastEvent.value).to.equal('complete');
    const [next] = (await rest.get(`/task?processInstanceId=${id}`)).body;
    expect(next.taskDefinitionKey).to.equal('Archive');
  });
});
