/** Differential: compensation of sagas: handlers newest first, a throw waiting for them, activityRef, nothing to undo. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

describeAgainstOperaton('compensation', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/compensation.bpmn');
  });

  /** Locks the one task of `topic` for the instance named `instance`, remembered as `name`, and answers it. */
  async function work(instance: string, topicName: string, name: string, answer: Record<string, unknown> | null = null): Promise<void> {
    await use().expectSame('POST', '/external-task/fetchAndLock', (ids: Ids) => ({ workerId: 'diff-saga', maxTasks: 1, topics: [{ topicName, lockDuration: 60_000, processInstanceId: ids[instance] }] }), { remember: { [name]: (locked) => locked.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids[name]}/${answer ? 'bpmnError' : 'complete'}`, { workerId: 'diff-saga', ...answer });
  }

  it('should undo a three-step saga when its confirmation fails and end when the handlers are done, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/saga-booking/start', {}, { remember: { booking: (answer) => answer.body.id } });
    await work('booking', 'saga-submit', 'submit');
    await work('booking', 'saga-schedule', 'schedule');
    await work('booking', 'saga-notify', 'notify');
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.booking}`, undefined, { unordered: true });

    // when
    await work('booking', 'saga-confirm', 'confirm', { errorCode: 'BOOKING_FAILED' });

    // then
    await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.booking}`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.booking}`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.booking}`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.booking}/activity-instances`, undefined, { unordered: true });
    await work('booking', 'saga-withdraw', 'withdraw');
    await work('booking', 'saga-retract', 'retract');
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.booking}`);
    await work('booking', 'saga-cancel', 'cancel');
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.booking}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.booking}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should compensate a sub-process from its error event sub-process, and one activity by activityRef, as Operaton does', async () => {
    for (const [name, decision] of [['rejected', 'reject'], ['refiled', 'refile']] as const) {
      await use().expectSame('POST', '/process-definition/key/saga-claim/start', {}, { remember: { [name]: (answer) => answer.body.id } });
      for (const key of ['Task_Reserve', 'Task_File', 'Task_Review']) {
        await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids[name]}&taskDefinitionKey=${key}`, undefined, { remember: { [`${name}${key}`]: (answer) => answer.body[0].id } });
        await use().expectSame('POST', (ids) => `/task/${ids[`${name}${key}`]}/complete`, key === 'Task_Review' ? { variables: { decision: { value: decision, type: 'String' } } } : {});
      }
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids[name]}&sortBy=name&sortOrder=asc`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids[name]}/activity-instances`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids[name]}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
    }
  });

  it('should pass a compensation throw with nothing to compensate, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/saga-nothing/start', {}, { remember: { nothing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.nothing}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.nothing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });
});
