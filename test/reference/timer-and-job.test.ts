/** Differential: timer and async continuation jobs as /job shows them, and what happens when they run. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('timers and jobs', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-timer.bpmn');
  });

  it('should show a waiting timer as the same job, fire it when due and arm the boundary timer, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-timer/start', {}, { remember: { timerInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.timerInstance}`, undefined, { remember: { shortTimer: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/job/${ids.shortTimer}`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.timerInstance}&timers=true`);

    // when: both job executors fire it
    await use().eventually((ids) => `/task?processInstanceId=${ids.timerInstance}`, (tasks) => tasks.length === 1);

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.timerInstance}`);
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.timerInstance}`, undefined, { remember: { deadline: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.timerInstance}&activityId=Timer_Short`);
  });

  it('should run an asyncBefore task in a job after the start answered, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-async/start', { variables: { amount: { value: 21, type: 'Integer' } } }, { remember: { asyncInstance: (answer) => answer.body.id } });

    // when
    await use().eventually((ids) => `/task?processInstanceId=${ids.asyncInstance}`, (tasks) => tasks.length === 1);

    // then
    await use().expectSame('GET', (ids) => `/process-instance/${ids.asyncInstance}/variables/charged`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.asyncInstance}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.asyncInstance}&sortBy=activityId&sortOrder=asc`);
  });

  it('should define a job for each timer event and async continuation at deployment, as Operaton does', async () => {
    await use().expectSame('GET', '/job-definition?processDefinitionKey=differential-timer&sortBy=activityId&sortOrder=asc', undefined, { remember: { shortDefinition: (answer) => answer.body.find((row: { activityId: string }) => row.activityId === 'Timer_Short').id } });
    await use().expectSame('GET', '/job-definition?processDefinitionKey=differential-async');
    await use().expectSame('GET', (ids) => `/job-definition/${ids.shortDefinition}`);
    await use().expectSame('GET', '/job-definition/count?jobType=timer-transition&processDefinitionKey=differential-timer');
  });

  it('should suspend a definition with its instances and their jobs, refuse starts, and activate it again, as Operaton does', async () => {
    // given: an instance waiting at the one-day boundary timer
    await use().expectSame('POST', '/process-definition/key/differential-timer/start', {}, { remember: { suspendedInstance: (answer) => answer.body.id } });
    await use().eventually((ids) => `/task?processInstanceId=${ids.suspendedInstance}`, (tasks) => tasks.length === 1);

    // when
    await use().expectSame('PUT', '/process-definition/key/differential-timer/suspended', { suspended: true, includeProcessInstances: true });

    // then
    await use().expectSame('GET', '/process-definition/key/differential-timer');
    await use().expectSame('GET', (ids) => `/process-instance/${ids.suspendedInstance}`);
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.suspendedInstance}`);
    await use().expectSame('GET', '/job-definition?processDefinitionKey=differential-timer&sortBy=activityId&sortOrder=asc');
    await use().expectSame('POST', '/process-definition/key/differential-timer/start', {});

    // when activated
    await use().expectSame('PUT', '/process-definition/key/differential-timer/suspended', { suspended: false, includeProcessInstances: true });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.suspendedInstance}`);
    await use().expectSame('GET', '/job-definition/count?processDefinitionKey=differential-timer&suspended=true');
  });

  it('should answer for definitions to suspend that do not exist as Operaton does', async () => {
    await use().expectSame('PUT', '/process-definition/key/no-such-key/suspended', { suspended: true });
    await use().expectSame('PUT', '/process-definition/no-such-definition/suspended', { suspended: true });
  });

  it('should answer for jobs and job definitions that do not exist as Operaton does', async () => {
    await use().expectSame('GET', '/job/no-such-job');
    await use().expectSame('PUT', '/job/no-such-job/retries', { retries: 1 });
    await use().expectSame('PUT', '/job/no-such-job/duedate', { duedate: '2030-01-01T00:00:00.000+0000' });
    await use().expectSame('POST', '/job/no-such-job/execute', {});
    await use().expectSame('GET', '/job/no-such-job/stacktrace');
    await use().expectSame('GET', '/job-definition/no-such-definition');
  });
});
