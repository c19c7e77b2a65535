/** Differential: escalations and errors caught by boundary events and event sub-processes, innermost first. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('escalations and error event sub-processes', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/escalations.bpmn');
  });

  it('should catch an escalation thrown in a sub-process on a non-interrupting boundary event, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/escalation-boundary/start', {}, { remember: { reviewing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.reviewing}&sortBy=name&sortOrder=asc`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.reviewing}/variables`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.reviewing}/activity-instances`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.reviewing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should interrupt a sub-process on an escalation end event caught by a boundary event for any code, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/escalation-interrupting/start', {}, { remember: { late: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.late}&taskDefinitionKey=Task_Track`, undefined, { remember: { track: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.track}/complete`, {});
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.late}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.late}/variables`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.late}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should start an escalation event sub-process for a task\'s escalation and refuse one nothing catches, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/escalation-esp/start', {}, { remember: { helping: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.helping}`, undefined, { remember: { prepare: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.prepare}/bpmnEscalation`, { escalationCode: 'HELP', variables: { note: { value: 'stuck', type: 'String' } } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.helping}&sortBy=name&sortOrder=asc`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.helping}/variables`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.helping}/activity-instances`, undefined, { unordered: true });
    await use().expectSame('POST', (ids) => `/task/${ids.prepare}/bpmnEscalation`, { escalationCode: 'NOBODY' });
    await use().expectSame('POST', (ids) => `/task/${ids.prepare}/bpmnEscalation`, {});
    await use().expectSame('POST', '/task/no-such-task/bpmnEscalation', { escalationCode: 'HELP' });
  });

  it('should interrupt the process with an error event sub-process when a worker reports an error, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/escalation-esp/start', {}, { remember: { failing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.failing}`, undefined, { remember: { prepareFirst: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.prepareFirst}/complete`, {});
    await use().expectSame('POST', '/external-task/fetchAndLock', { workerId: 'diff-worker', maxTasks: 1, topics: [{ topicName: 'escalation-submit', lockDuration: 60_000 }] }, { remember: { submit: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids.submit}/bpmnError`, { workerId: 'diff-worker', errorCode: 'PAYER_DOWN', errorMessage: 'payer portal down' });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.failing}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.failing}/variables`);
    await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.failing}`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.failing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should catch an error end event with an error event sub-process of its own sub-process, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/error-esp-nested/start', {}, { remember: { denied: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.denied}`, undefined, { remember: { appeal: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.denied}/variables`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.denied}/activity-instances`, undefined, { unordered: true });
    await use().expectSame('POST', (ids) => `/task/${ids.appeal}/complete`, {});
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.denied}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.denied}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should throw an error code written as an expression as it is written, as Operaton does', async () => {
    for (const failureCode of ['DENIED', 'TIMEOUT']) {
      await use().expectSame('POST', '/process-definition/key/error-code-expression/start', { variables: { failureCode: { value: failureCode, type: 'String' } } }, { remember: { [failureCode]: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids[failureCode]}`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids[failureCode]}/variables`);
      await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids[failureCode]}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
    }
  });
});
