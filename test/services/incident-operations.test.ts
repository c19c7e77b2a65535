/** Specification of custom incidents: raised on an execution, annotated, resolved by hand; and message subscriptions triggered on an execution. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('incident operations', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    // An authenticated operator, so the user operation log records what was done.
    engine = createTestEngine(use(), { basicAuthUsers: new Map([['olivia', 'secret']]) });
    rest = new RestClient(engine.app, '/engine-rest', { Authorization: `Basic ${Buffer.from('olivia:secret').toString('base64')}` });
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
    const operations = (await rest.get(`/history/user-operation?processInstanceId=${instanceId}&sortBy=timestamp&sortOrder=asc`)).body;
    expect(operations.map((entry: Record<string, unknown>) => `${entry.operationType} ${entry.property}=${entry.newValue}`)).to.include.members(['CreateIncident incidentType=custom', 'CreateIncident configuration=c', `Resolve incidentId=${incident.id}`]);
    expect((await rest.get(`/history/user-operation?entityType=Incident&operationType=SetAnnotation`)).body.map((entry: Record<string, unknown>) => entry.newValue)).to.include(incident.id);
  });

  it('should delete a custom incident with the execution it was raised on', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/runtime-timer/start', {})).body.id;
    const [execution] = (await rest.get(`/execution?processInstanceId=${instanceId}&activityId=Task_Wait`)).body;
    const incident = (await rest.post(`/execution/${execution.id}/create-incident`, { incidentType: 'custom' })).body;
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;

    // when: the task is done, its scope execution ends
    await rest.post(`/task/${task.id}/complete`, {});

    // then
    expect((await rest.get(`/incident/count?incidentId=${incident.id}`)).body.count).to.equal(0);
    expect((await rest.get(`/history/incident?incidentId=${incident.id}`)).body[0]).to.deep.include({ open: false, deleted: true, resolved: false });
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
