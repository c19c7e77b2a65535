/** Differential: message throw and end events without an implementation, which Camunda runs as none events. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

describeAgainstOperaton('message throw events without an implementation', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/message-throw-events.bpmn');
  });

  it('should pass the throw event and end at the end event without sending anything, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/message-throw-events/start', {}, { remember: { referring: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.referring}`);
    await use().expectSame('POST', '/message', (ids: Ids) => ({ messageName: 'referral-sent', processInstanceId: ids.referring }));
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.referring}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.referring}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });
});
