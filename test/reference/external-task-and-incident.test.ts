/** Differential: a worker's fetchAndLock, complete and failure without retries, and the incident that follows. */
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
});
