/** Differential: the activity and task history of a parallel fork and join. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('history of a parallel fork and join', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-parallel.bpmn');
    await use().expectSame('POST', '/process-definition/key/differential-parallel/start', { businessKey: 'SHIP-1' }, { remember: { parallelInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.parallelInstance}&sortBy=name&sortOrder=asc`, undefined, {
      remember: { packTask: (answer) => answer.body[0].id, invoiceTask: (answer) => answer.body[1].id },
    });
    await use().expectSame('POST', (ids) => `/task/${ids.packTask}/complete`, {});
    await use().expectSame('POST', (ids) => `/task/${ids.invoiceTask}/complete`, {});
  });

  it('should record every activity, the join once per arriving token, as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/history/activity-instance/count?processInstanceId=${ids.parallelInstance}&activityId=Gateway_Join`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.parallelInstance}`, undefined, { unordered: true });
  });

  it('should record both branches\' tasks as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/history/task?processInstanceId=${ids.parallelInstance}`, undefined, { unordered: true });
  });
});
