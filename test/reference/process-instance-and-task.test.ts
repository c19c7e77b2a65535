/** Differential: starting an instance with variables, then its user task through query, claim and complete, and its history. */
import { describeAgainstOperaton } from './engine-pair.js';

const ORDER = { value: '{"item":"book","quantity":2}', type: 'Object', valueInfo: { objectTypeName: 'java.util.LinkedHashMap', serializationDataFormat: 'application/json' } };

describeAgainstOperaton('process instance and user task', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
  });

  it('should start an instance with variables, an Object among them, and return them (withVariablesInReturn) as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', {
      businessKey: 'ORDER-1',
      withVariablesInReturn: true,
      variables: { amount: { value: 42, type: 'Integer' }, customer: { value: 'Ada', type: 'String' }, express: { value: true, type: 'Boolean' }, order: ORDER },
    }, { remember: { instance: (answer) => answer.body.id } });
  });

  it('should answer the instance\'s variables, the Object one serialized, as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables?deserializeValues=false`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables/order?deserializeValue=false`);
  });

  it('should answer a task query by process instance as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.instance}`, undefined, { remember: { task: (answer) => answer.body[0].id } });
  });

  it('should show a claimed task with its assignee and taskState Updated, as Operaton does', async () => {
    await use().expectSame('POST', (ids) => `/task/${ids.task}/claim`, { userId: 'demo' });
    await use().expectSame('GET', (ids) => `/task/${ids.task}`);
  });

  it('should list the claimed task\'s identity links as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/task/${ids.task}/identity-links`, undefined, { unordered: true });
  });

  it('should complete the task and end the instance as Operaton does', async () => {
    await use().expectSame('POST', (ids) => `/task/${ids.task}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}`);
  });

  it('should answer the finished instance\'s history as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.instance}`);
    await use().expectSame('GET', (ids) => `/history/task?processInstanceId=${ids.instance}`);
  });
});
