/** Scenario: message throw and end events without an implementation run as none events, as in Camunda. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: message throw events without an implementation', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('message-throw-events.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should pass the throw event without sending anything, so the catch event waits for a real message', async () => {
    // when
    const started = await rest.post('/process-definition/key/message-throw-events/start', {});

    // then the throw sent nothing: the instance waits for the message
    const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body;
    expect(subscription).to.include({ eventType: 'message', eventName: 'referral-sent', activityId: 'Catch_Referral' });

    // and when the message arrives, the end event ends the instance without sending one
    expect((await rest.post('/message', { messageName: 'referral-sent', processInstanceId: started.body.id })).status).to.equal(204);
    expect((await rest.get(`/history/process-instance/${started.body.id}`)).body.state).to.equal('COMPLETED');
    const types = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&sortBy=occurrence&sortOrder=asc`)).body.map((row: { activityType: string }) => row.activityType);
    // named as the none events Camunda runs them as
    expect(types).to.deep.equal(['startEvent', 'intermediateNoneThrowEvent', 'intermediateMessageCatch', 'endEvent']);
  });
});
