/** Differential: timer and async continuation jobs as /job shows them, and what happens when they run. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

// Both job executors work on their own schedules: a scenario waits up to 30 s for them.
describeAgainstOperaton('timers and jobs', { timeoutMs: 60_000 }, (use) => {
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

  it('should interrupt a task when its boundary timer fires, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-deadline/start', {}, { remember: { deadlineInstance: (answer) => answer.body.id } });

    // when
    await use().eventually((ids) => `/task?processInstanceId=${ids.deadlineInstance}&taskDefinitionKey=Task_Escalate`, (tasks) => tasks.length === 1);

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.deadlineInstance}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.deadlineInstance}&sortBy=activityId&sortOrder=asc`);
    await use().expectSame('GET', (ids) => `/history/task?processInstanceId=${ids.deadlineInstance}&sortBy=taskDefinitionKey&sortOrder=asc`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.deadlineInstance}`);
  });

  it('should start instances from a timer start event cycle twice and then stop, as Operaton does', async () => {
    await use().expectSame('GET', '/job-definition?processDefinitionKey=differential-timer-start');
    await use().eventually('/history/process-instance/count?processDefinitionKey=differential-timer-start', (answer) => answer.count === 2);
    // A third fire would come two seconds after the second.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await use().expectSame('GET', '/history/process-instance?processDefinitionKey=differential-timer-start&sortBy=startTime&sortOrder=asc');
    await use().expectSame('GET', '/job/count?processDefinitionKey=differential-timer-start');
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

  it('should suspend and activate one job and a job definition with its jobs, as Operaton does', async () => {
    // given: an instance waiting a day at the boundary timer
    await use().expectSame('POST', '/process-definition/key/differential-timer/start', {}, { remember: { jobInstance: (answer) => answer.body.id } });
    await use().eventually((ids) => `/task?processInstanceId=${ids.jobInstance}`, (tasks) => tasks.length === 1);
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.jobInstance}`, undefined, { remember: { dayTimer: (answer) => answer.body[0].id, dayDefinition: (answer) => answer.body[0].jobDefinitionId } });

    // when / then
    await use().expectSame('PUT', (ids) => `/job/${ids.dayTimer}/suspended`, { suspended: true });
    await use().expectSame('GET', (ids) => `/job/${ids.dayTimer}`);
    await use().expectSame('PUT', (ids) => `/job/${ids.dayTimer}/suspended`, { suspended: false });
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.dayDefinition}/suspended`, { suspended: true, includeJobs: true });
    await use().expectSame('GET', (ids) => `/job-definition/${ids.dayDefinition}`);
    await use().expectSame('GET', (ids) => `/job/${ids.dayTimer}`);
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.dayDefinition}/suspended`, { suspended: false, includeJobs: true });
    await use().expectSame('GET', (ids) => `/job/${ids.dayTimer}`);
    await use().expectSame('PUT', '/job/no-such-job/suspended', { suspended: true });
  });

  it('should raise a failedJob incident after three failed runs and resolve it with job definition retries, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-failing/start', {}, { remember: { failingInstance: (answer) => answer.body.id } });

    // when: both job executors run it until it has no retries left
    await use().eventually((ids) => `/incident?processInstanceId=${ids.failingInstance}`, (incidents) => incidents.length === 1);

    // then
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.failingInstance}&noRetriesLeft=true&withException=true`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.failingInstance}&failedActivityId=Task_Fail`);
    await use().expectSame('POST', '/job/count', (ids: Ids) => ({ processInstanceId: ids.failingInstance, failedActivityId: 'StartEvent_3' }));
    // The exception messages differ (each engine words its expression errors), so the jobs are compared by count.
    await use().expectSame('GET', '/job-definition?processDefinitionKey=differential-failing', undefined, { remember: { failedDefinition: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/incident/count?processInstanceId=${ids.failingInstance}&incidentType=failedJob`);

    // when: the job definition's failed jobs get a retry
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.failedDefinition}/retries`, { retries: 1 });
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.failingInstance}`);
    await use().eventually((ids) => `/job/count?processInstanceId=${ids.failingInstance}&noRetriesLeft=true`, (answer) => answer.count === 1);
    await use().expectSame('GET', (ids) => `/history/incident/count?processInstanceId=${ids.failingInstance}`);
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
