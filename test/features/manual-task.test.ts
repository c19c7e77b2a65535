/** Scenario: a manual task passes through, as in Camunda 7: the token moves on to the user task after it. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: manual task', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('manual-task.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should pass through the manual task to the user task, with the manual task completed in history', async () => {
    // when
    const started = await rest.post('/process-definition/key/manual-task/start', {});
    const id = started.body.id;

    // then the user task after the manual task waits, and nothing else does
    expect(started.status).to.equal(200);
    const tasks = (await rest.get(`/task?processInstanceId=${id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['ConfirmShipment']);
    const tree = (await rest.get(`/process-instance/${id}/activity-instances`)).body;
    expect(tree.childActivityInstances.map((child: { activityId: string }) => child.activityId)).to.deep.equal(['ConfirmShipment']);

    // and history shows the manual task started and ended
    const [manual] = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=PackParcel`)).body;
    expect(manual).to.include({ activityType: 'manualTask', activityName: 'Pack parcel', canceled: false });
    expect(manual.endTime).to.be.a('string');

    // and completing the user task ends the instance
    await rest.post(`/task/${tasks[0].id}/complete`, {});
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
  });
});
