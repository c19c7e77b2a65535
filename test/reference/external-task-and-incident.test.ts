/** Differential: a worker's fetchAndLock, complete and failure, and how retries raise and resolve the task's incident. */
import { describeAgainstOperaton } from './engine-pair.js';

const WORKER = 'differential-worker';

function fetchFor(businessKey: string) {
  return { workerId: WORKER, maxTasks: 1, topics: [{ topicName: 'differential-charge', lockDuration: 60000, businessKey }] };
}

describeAgainstOperaton('external task and incident', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-external-task.bpmn');
  });

  it('should lock and complete an external task as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'PAY-1', variables: { amount: { value: 30, type: 'Integer' } } }, { remember: { paidInstance: (answer) => answer.body.id } });

    // when
    await use().expectSame('POST', '/external-task/fetchAndLock', fetchFor('PAY-1'), { remember: { paidTask: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids.paidTask}/complete`, { workerId: WORKER, variables: { receipt: { value: 'R-1', type: 'String' } } });

    // then
    await use().expectSame('GET', (ids) => `/external-task/${ids.paidTask}`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.paidInstance}`);
  });

  it('should raise an incident when a worker reports a failure with no retries left, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'PAY-2', variables: { amount: { value: 99, type: 'Integer' } } }, { remember: { failedInstance: (answer) => answer.body.id } });
    await use().expectSame('POST', '/external-task/fetchAndLock', fetchFor('PAY-2'), { remember: { failedTask: (answer) => answer.body[0].id } });

    // when
    await use().expectSame('POST', (ids) => `/external-task/${ids.failedTask}/failure`, { workerId: WORKER, errorMessage: 'Card declined', errorDetails: 'gateway said no', retries: 0, retryTimeout: 0 });

    // then
    await use().expectSame('GET', (ids) => `/external-task/${ids.failedTask}`);
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.failedInstance}`, undefined, { remember: { incident: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/incident/${ids.incident}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.failedInstance}`);
  });

  it('should keep the one open incident when retries are set to 0 again, by a failure or PUT /retries, as Operaton does', async () => {
    // given: a task that ran out of retries, with its incident
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'PAY-3', variables: { amount: { value: 5, type: 'Integer' } } }, { remember: { stuckInstance: (answer) => answer.body.id } });
    await use().expectSame('POST', '/external-task/fetchAndLock', fetchFor('PAY-3'), { remember: { stuckTask: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids.stuckTask}/failure`, { workerId: WORKER, errorMessage: 'Card declined', retries: 0, retryTimeout: 0 });
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.stuckInstance}`, undefined, { remember: { stuckIncident: (answer) => answer.body[0].id } });

    // when: the worker, still on the task, fails it again without retries
    await use().expectSame('POST', (ids) => `/external-task/${ids.stuckTask}/failure`, { workerId: WORKER, errorMessage: 'Card declined again', retries: 0, retryTimeout: 0 });

    // then: the task has the new message; the incident is the same one, with its first message
    await use().expectSame('GET', (ids) => `/external-task/${ids.stuckTask}`);
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.stuckInstance}`);
    await use().expectSame('GET', (ids) => `/incident/${ids.stuckIncident}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.stuckInstance}`);

    // when: an operator sets retries to 0 once more
    await use().expectSame('PUT', (ids) => `/external-task/${ids.stuckTask}/retries`, { retries: 0 });

    // then: still that one open incident, and no other in history
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.stuckInstance}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.stuckInstance}`);

    // when: retries are given back
    await use().expectSame('PUT', (ids) => `/external-task/${ids.stuckTask}/retries`, { retries: 1 });

    // then: the incident is resolved
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.stuckInstance}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.stuckInstance}`);
    await use().expectSame('GET', (ids) => `/external-task/${ids.stuckTask}`);
  });

  it('should resolve the incident when the worker reports a failure with retries left, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'PAY-4', variables: { amount: { value: 7, type: 'Integer' } } }, { remember: { retriedInstance: (answer) => answer.body.id } });
    await use().expectSame('POST', '/external-task/fetchAndLock', fetchFor('PAY-4'), { remember: { retriedTask: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids.retriedTask}/failure`, { workerId: WORKER, errorMessage: 'Card declined', retries: 0, retryTimeout: 0 });
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.retriedInstance}`, undefined, { remember: { retriedIncident: (answer) => answer.body[0].id } });

    // when: the worker, still on the task, reports a failure with retries left
    await use().expectSame('POST', (ids) => `/external-task/${ids.retriedTask}/failure`, { workerId: WORKER, errorMessage: 'Gateway timeout', retries: 2, retryTimeout: 0 });

    // then
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.retriedInstance}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.retriedInstance}`);
    await use().expectSame('GET', (ids) => `/external-task/${ids.retriedTask}`);

    // when: an operator takes the retries away
    await use().expectSame('PUT', (ids) => `/external-task/${ids.retriedTask}/retries`, { retries: 0 });

    // then: a new incident, with the task's last error message
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.retriedInstance}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.retriedInstance}&sortBy=createTime&sortOrder=asc`);
  });
});
