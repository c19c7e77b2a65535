/** Specification of custom incidents: raised on an execution, annotated, resolved by hand; and message subscriptions triggered on an execution. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('incident operations', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-runtime-operations.bpmn');
  });

  it('should raise a custom incident on the execution at an activity, annotate it and resolve it', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/runtime-timer/start', {})).body.id;
    const [execution] = (await rest.get(`/execution?processInstanceId=${instanceId}&activityId=Task_Wait`)).body;

    // when
    const incident = (await rest.post(`/execution/${execution.id}/create-incident`, { incidentType: 'custom', configuration: 'c', message: 'look' })).body;
    await rest.put(`/incident/${incident.id}/annotation`, { annotation: 'seen' });

    // then
    expect(incident).to.deep.include({ incidentType: 'custom', activityId: 'Task_Wait', configuration: 'c', incidentMessage: 'look', executionId: execution.id });
    expect((await rest.get(`/incident/${incident.id}`)).body.annotation).to.equal('seen');
    expect((await rest.get(`/history/incident?incidentId=${incident.id}`)).body[0].annotation).to.equal('seen');

    // when resolved
    await rest.delete(`/incident/${incident.id}`);

    // then
    expect((await rest.get(`/incident/count?processInstanceId=${instanceId}`)).body.count).to.equal(0);
    expect((await rest.get(`/history/incident?incidentId=${incident.id}`)).body[0]).to.deep.include({ open: false, resolved: true, annotation: 'seen' });
  });

  it('should refuse an incident without a type, and answer 404 for an unknown incident', async () => {
    const untyped = await rest.post('/execution/anything/create-incident', {});
    const unknown = await rest.delete('/incident/nope');
    expect(untyped.body).to.deep.include({ type: 'InvalidRequestException', message: 'incidentType is null' });
    expect(unknown.status).to.equal(404);
  });

  it('should trigger an execution\'s message subscription with variables, and refuse it once consumed', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/runtime-message/start', {})).body.id;
    const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${instanceId}`)).body;

    // when
    const shown = (await rest.get(`/execution/${subscription.executionId}/messageSubscriptions/runtime-go`)).body;
    await rest.post(`/execution/${subscription.executionId}/messageSubscriptions/runtime-go/trigger`, { variables: { go: { value: 1, type: 'Integer' } } });
    const again = await rest.post(`/execution/${subscription.executionId}/messageSubscriptions/runtime-go/trigger`, {}, { undocumentedStatus: 500 });

    // then
    expect(shown).to.deep.equal(subscription);
    expect((await rest.get(`/process-instance/${instanceId}/variables/go`)).body.value).to.equal(1);
    expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['Task_After']);
    expect(again.status).to.equal(500);
  });
});
