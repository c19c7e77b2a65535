/** Scenario: a terminate end event on one parallel branch ends the instance and cancels the other branch's task. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: terminate on escalation', (use) => {
  let rest: RestClient;

  before(async () => {
    rest = new RestClient(createTestEngine(use()).app);
    await rest.deployFixture('terminate-on-escalation.bpmn');
  });

  it('should wait in both branches after the parallel split', async () => {
    const started = await rest.post('/process-definition/key/terminate-on-escalation/start', {});
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}&sortBy=name&sortOrder=asc`);
    expect(tasks.body.map((t: { taskDefinitionKey: string }) => t.taskDefinitionKey)).to.deep.equal(['Escalate', 'Review']);
    const tree = await rest.get(`/process-instance/${started.body.id}/activity-instances`);
    expect(tree.body.activityType).to.equal('processDefinition');
    expect(tree.body.childActivityInstances.map((c: { activityId: string }) => c.activityId).sort()).to.deep.equal(['Escalate', 'Review']);
  });

  it('should end the instance at the terminate end event and cancel the other task', async () => {
    // given
    const started = await rest.post('/process-definition/key/terminate-on-escalation/start', {});
    const [escalate] = (await rest.get(`/task?processInstanceId=${started.body.id}&taskDefinitionKey=Escalate`)).body;

    // when
    expect((await rest.post(`/task/${escalate.id}/complete`, {})).status).to.equal(204);

    // then
    expect((await rest.get(`/task/count?processInstanceId=${started.body.id}`)).body.count).to.equal(0);
    expect((await rest.get(`/process-instance/${started.body.id}`)).status).to.equal(404);
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
    expect(history.state).to.equal('COMPLETED');
    const [review] = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&activityId=Review`)).body;
    expect(review).to.include({ canceled: true });
    expect(review.endTime).to.be.a('string');
    const [terminate] = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&activityId=Terminate`)).body;
    expect(terminate).to.include({ activityType: 'terminateEndEvent', canceled: false, completeScope: true });
  });
});
