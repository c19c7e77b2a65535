/** Differential: BPMN errors thrown by error end events and reported for user tasks, and their boundary events. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('BPMN errors', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/errors.bpmn');
  });

  it('should catch a BPMN error reported for a user task on its boundary event with the code and message variables, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/errors-task/start', {}, { remember: { reviewing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.reviewing}`, undefined, { remember: { review: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.review}/bpmnError`, { errorCode: 'REJECTED', errorMessage: 'missing referral', variables: { note: { value: 'incomplete', type: 'String' } } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.reviewing}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.reviewing}/variables`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.reviewing}&activityId=Task_Review`);
    await use().expectSame('GET', (ids) => `/history/task?processInstanceId=${ids.reviewing}&taskDefinitionKey=Task_Review`);
  });

  it('should refuse a BPMN error without a code or for an unknown task, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/errors-task/start', {}, { remember: { refusing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.refusing}`, undefined, { remember: { refused: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.refused}/bpmnError`, {});
    await use().expectSame('POST', '/task/no-such-task/bpmnError', { errorCode: 'REJECTED' });
  });

  it('should end the task\'s execution when no boundary event catches the code, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/errors-task/start', {}, { remember: { ending: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.ending}`, undefined, { remember: { ended: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.ended}/bpmnError`, { errorCode: 'SOMETHING_ELSE' });
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.ending}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.ending}&activityId=Task_Review`);
  });

  it('should catch an error end event of a sub-process on the sub-process\'s boundary event, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/errors-subprocess/start', { variables: { covered: { value: false, type: 'Boolean' } } }, { remember: { checking: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.checking}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.checking}/variables`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.checking}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
    await use().expectSame('POST', '/process-definition/key/errors-subprocess/start', { variables: { covered: { value: true, type: 'Boolean' } } }, { remember: { passing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.passing}`);
  });

  it('should throw an error end event a called process does not catch at its call activity, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/errors-caller/start', {}, { remember: { asking: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance?superProcessInstance=${ids.asking}`, undefined, { remember: { checkingPayer: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.checkingPayer}`, undefined, { remember: { decide: (answer) => answer.body[0].id } });

    // when
    await use().expectSame('POST', (ids) => `/task/${ids.decide}/complete`, { variables: { covered: { value: false, type: 'Boolean' } } });

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.asking}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.asking}/variables`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.checkingPayer}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.asking}&activityId=Call_Payer`);
    // Not compared: the child's history of the command that threw (README, "Where we differ").
  });

  it('should end a sub-process like a none end event when nothing catches its error end event, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/errors-uncaught/start', {}, { remember: { uncaught: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.uncaught}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.uncaught}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });
});
