/** Differential: a link throw event continues at the link catch event of its name. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('link events', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/link-events.bpmn');
  });

  it('should continue at the link catch event of the same name, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/link-events/start', {}, { remember: { linked: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.linked}`, undefined, { remember: { intake: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.intake}/complete`, {});
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.linked}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.linked}/activity-instances`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.linked}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });
});
