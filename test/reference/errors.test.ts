/** Differential: the error bodies of an unknown id and of a bad request. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('errors', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
  });

  it('should answer an unknown task, process instance and definition key with Operaton\'s 404 bodies', async () => {
    await use().expectSame('GET', '/task/no-such-task');
    await use().expectSame('GET', '/process-instance/no-such-instance');
    await use().expectSame('GET', '/process-definition/key/no-such-process');
    await use().expectSame('GET', '/decision-definition/key/no-such-decision');
    await use().expectSame('GET', '/external-task/no-such-task');
  });

  it('should answer a command on an unknown task with Operaton\'s error body', async () => {
    await use().expectSame('POST', '/task/no-such-task/complete', {});
    await use().expectSame('POST', '/external-task/no-such-task/complete', { workerId: 'differential-worker' });
  });

  it('should answer a variable that does not fit its type with Operaton\'s 400 body', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { variables: { amount: { value: 'abc', type: 'Integer' } } });
  });

  it('should answer an unknown sort key with Operaton\'s 400 body', async () => {
    await use().expectSame('GET', '/task?sortBy=bogus&sortOrder=asc');
  });
});
