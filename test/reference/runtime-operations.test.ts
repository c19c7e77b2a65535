/** Differential: operator actions on jobs, job definitions, incidents, message subscriptions, external tasks and instances in bulk. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const WORKER = 'runtime-operations-worker';

function startExternalTask(businessKey: string) {
  return { businessKey, variables: { amount: { value: 3, type: 'Integer' } } };
}

describeAgainstOperaton('runtime operations', { timeoutMs: 60_000 }, (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-runtime-operations.bpmn', 'bpmn/differential-external-task.bpmn');
  });

  it('should suspend and activate jobs by instance, job definition and process definition key, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { jobsInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.jobsInstance}`, undefined, { remember: { dayJob: (answer) => answer.body[0].id, dayJobDefinition: (answer) => answer.body[0].jobDefinitionId } });

    // when / then
    await use().expectSame('PUT', '/job/suspended', (ids: Ids) => ({ suspended: true, processInstanceId: ids.jobsInstance }));
    await use().expectSame('GET', (ids) => `/job/${ids.dayJob}`);
    await use().expectSame('PUT', '/job/suspended', (ids: Ids) => ({ suspended: false, jobDefinitionId: ids.dayJobDefinition }));
    await use().expectSame('GET', (ids) => `/job/${ids.dayJob}`);
    await use().expectSame('PUT', '/job/suspended', { suspended: true, processDefinitionKey: 'runtime-timer' });
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.jobsInstance}&suspended=true`);
    await use().expectSame('PUT', '/job/suspended', { suspended: false, processDefinitionKey: 'runtime-timer' });
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.jobsInstance}&active=true`);
  });

  it('should refuse a job suspension without or with more than one selector, and change nothing for unknown ones, as Operaton does', async () => {
    await use().expectSame('PUT', '/job/suspended', { suspended: true });
    await use().expectSame('PUT', '/job/suspended', { suspended: true, processDefinitionId: 'no-such-definition', processDefinitionKey: 'runtime-timer' });
    await use().expectSame('PUT', '/job/suspended', { suspended: true, processInstanceId: 'no-such-instance' });
    await use().expectSame('PUT', '/job/suspended', { suspended: true, processDefinitionKey: 'no-such-key' });
  });

  it('should set a job\'s priority and recalculate its due date, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { priorityInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.priorityInstance}`, undefined, { remember: { priorityJob: (answer) => answer.body[0].id } });

    // when / then
    await use().expectSame('PUT', (ids) => `/job/${ids.priorityJob}/priority`, { priority: 42 });
    await use().expectSame('GET', (ids) => `/job/${ids.priorityJob}`);
    await use().expectSame('PUT', (ids) => `/job/${ids.priorityJob}/priority`, {});
    await use().expectSame('POST', (ids) => `/job/${ids.priorityJob}/duedate/recalculate`);
    await use().expectSame('POST', (ids) => `/job/${ids.priorityJob}/duedate/recalculate?creationDateBased=true`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.priorityInstance}&dueDates=gt_2000-01-01T00:00:00.000%2B0000`);
  });

  it('should answer for jobs that do not exist as Operaton does', async () => {
    await use().expectSame('DELETE', '/job/no-such-job');
    await use().expectSame('PUT', '/job/no-such-job/priority', { priority: 5 });
    await use().expectSame('POST', '/job/no-such-job/duedate/recalculate');
  });

  it('should suspend job definitions by process definition key with their jobs, and activate them, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { definitionsInstance: (answer) => answer.body.id } });

    // when / then
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: true, processDefinitionKey: 'runtime-timer', includeJobs: true });
    await use().expectSame('GET', '/job-definition?processDefinitionKey=runtime-timer');
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.definitionsInstance}`);
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: false, processDefinitionKey: 'runtime-timer' });
    await use().expectSame('GET', '/job-definition?processDefinitionKey=runtime-timer');
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.definitionsInstance}`);
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: false, processDefinitionKey: 'runtime-timer', includeJobs: true });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.definitionsInstance}`);
  });

  it('should refuse a job definition suspension without or with two selectors, as Operaton does', async () => {
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: true });
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: true, processDefinitionId: 'no-such-definition', processDefinitionKey: 'runtime-timer' });
    await use().expectSame('PUT', '/job-definition/suspended', { suspended: true, processDefinitionKey: 'no-such-key' });
  });

  it('should override the priority of a job definition\'s jobs, for new jobs and with includeJobs for existing ones, and clear it, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { overriddenInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', '/job-definition?processDefinitionKey=runtime-timer', undefined, { remember: { timerDefinition: (answer) => answer.body[0].id } });

    // when / then
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.timerDefinition}/jobPriority`, { priority: 7, includeJobs: true });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.overriddenInstance}`);
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.timerDefinition}/jobPriority`, { priority: 9 });
    await use().expectSame('GET', (ids) => `/job-definition/${ids.timerDefinition}`);
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { laterInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/job?processInstanceId=${ids.laterInstance}`);
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.timerDefinition}/jobPriority`, { priority: null, includeJobs: true });
    await use().expectSame('PUT', (ids) => `/job-definition/${ids.timerDefinition}/jobPriority`, { priority: null });
    await use().expectSame('GET', (ids) => `/job-definition/${ids.timerDefinition}`);
    await use().expectSame('GET', '/job-definition/count?processDefinitionKey=runtime-timer&withOverridingJobPriority=true');
    await use().expectSame('PUT', '/job-definition/no-such-definition/jobPriority', { priority: 1 });
  });

  it('should create a custom incident on an execution, annotate it and resolve it, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { incidentInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.incidentInstance}&activityId=Task_Wait`, undefined, { remember: { waitExecution: (answer) => answer.body[0].id } });

    // when
    await use().expectSame('POST', (ids) => `/execution/${ids.waitExecution}/create-incident`, { incidentType: 'custom', configuration: 'checked-by-hand', message: 'Look at this' }, { remember: { customIncident: (answer) => answer.body.id } });

    // then
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.incidentInstance}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.incidentInstance}/activity-instances`, undefined, { unordered: true });

    // when annotated
    await use().expectSame('PUT', (ids) => `/incident/${ids.customIncident}/annotation`, { annotation: 'Waiting for the customer' });
    await use().expectSame('GET', (ids) => `/incident/${ids.customIncident}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.incidentInstance}`);
    await use().expectSame('DELETE', (ids) => `/incident/${ids.customIncident}/annotation`);
    await use().expectSame('GET', (ids) => `/incident/${ids.customIncident}`);

    // when resolved
    await use().expectSame('DELETE', (ids) => `/incident/${ids.customIncident}`);
    await use().expectSame('GET', (ids) => `/incident/count?processInstanceId=${ids.incidentInstance}`);
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.incidentInstance}`);

    // when another one is raised and the task's execution ends
    await use().expectSame('POST', (ids) => `/execution/${ids.waitExecution}/create-incident`, { incidentType: 'custom' });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.incidentInstance}`, undefined, { remember: { waitTask: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/task/${ids.waitTask}/complete`, {});

    // then it was deleted with it
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.incidentInstance}&sortBy=createTime&sortOrder=asc`);
  });

  it('should refuse incidents without type or execution, and answer for unknown incidents, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/runtime-timer/start', {}, { remember: { refusedInstance: (answer) => answer.body.id } });
    await use().expectSame('POST', (ids) => `/execution/${ids.refusedInstance}/create-incident`, {});
    await use().expectSame('POST', '/execution/no-such-execution/create-incident', { incidentType: 'custom' });
    await use().expectSame('DELETE', '/incident/no-such-incident');
    await use().expectSame('PUT', '/incident/no-such-incident/annotation', { annotation: 'x' });
    await use().expectSame('DELETE', '/incident/no-such-incident/annotation');
  });

  it('should refuse to resolve a failed external task\'s incident by hand, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', startExternalTask('RUNTIME-INCIDENT'), { remember: { failedInstance: (answer) => answer.body.id } });
    await use().expectSame('POST', '/external-task/fetchAndLock', { workerId: WORKER, maxTasks: 1, topics: [{ topicName: 'differential-charge', lockDuration: 60000, businessKey: 'RUNTIME-INCIDENT' }] }, { remember: { failedTask: (answer) => answer.body[0].id } });
    await use().expectSame('POST', (ids) => `/external-task/${ids.failedTask}/failure`, { workerId: WORKER, errorMessage: 'Declined', retries: 0, retryTimeout: 0 });
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.failedInstance}`, undefined, { remember: { failedIncident: (answer) => answer.body[0].id } });

    // when / then
    await use().expectSame('DELETE', (ids) => `/incident/${ids.failedIncident}`);
    await use().expectSame('GET', (ids) => `/incident/count?processInstanceId=${ids.failedInstance}`);
  });

  it('should show and trigger an execution\'s message subscription, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-message/start', {}, { remember: { messageInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.messageInstance}`, undefined, { remember: { catchExecution: (answer) => answer.body[0].executionId } });

    // when / then
    await use().expectSame('GET', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/runtime-go`);
    await use().expectSame('GET', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/other-message`);
    await use().expectSame('POST', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/other-message/trigger`, {});
    await use().expectSame('POST', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/runtime-go/trigger`, { variables: { go: { value: 'soon', type: 'Integer' } } });
    await use().expectSame('POST', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/runtime-go/trigger`, { variables: { go: { value: 5, type: 'Integer' } } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.messageInstance}/variables`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.messageInstance}`);
    await use().expectSame('POST', (ids) => `/execution/${ids.catchExecution}/messageSubscriptions/runtime-go/trigger`, {});
    await use().expectSame('GET', '/execution/no-such-execution/messageSubscriptions/runtime-go');
  });

  it('should set the retries of many external tasks at once, by ids and queries, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', startExternalTask('RETRIES-1'), { remember: { retriesOne: (answer) => answer.body.id } });
    await use().expectSame('POST', '/process-definition/key/differential-external-task/start', startExternalTask('RETRIES-2'), { remember: { retriesTwo: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.retriesOne}`, undefined, { remember: { taskOne: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.retriesTwo}`, undefined, { remember: { taskTwo: (answer) => answer.body[0].id } });
    const both = (ids: Ids) => `/external-task?processInstanceIdIn=${ids.retriesOne},${ids.retriesTwo}&sortBy=processInstanceId&sortOrder=asc`;

    // when refused
    await use().expectSame('PUT', '/external-task/retries', { retries: 2 });
    await use().expectSame('PUT', '/external-task/retries', (ids: Ids) => ({ externalTaskIds: [ids.taskOne] }));
    await use().expectSame('PUT', '/external-task/retries', (ids: Ids) => ({ externalTaskIds: [ids.taskOne], retries: -1 }));
    await use().expectSame('PUT', '/external-task/retries', (ids: Ids) => ({ externalTaskIds: [ids.taskOne, 'no-such-task'], retries: 2 }));
    await use().expectSame('PUT', '/external-task/retries', { externalTaskQuery: { processInstanceId: 'no-such-instance' }, retries: 2 });

    // then nothing changed
    await use().expectSame('GET', both, undefined, { unordered: true });

    // when: by ids and instances, to 0
    await use().expectSame('PUT', '/external-task/retries', (ids: Ids) => ({ externalTaskIds: [ids.taskOne], processInstanceIds: [ids.retriesTwo], retries: 0 }));
    await use().expectSame('GET', both, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/incident?processInstanceId=${ids.retriesOne}`);

    // when: by query objects
    await use().expectSame('PUT', '/external-task/retries', (ids: Ids) => ({ externalTaskQuery: { processInstanceId: ids.retriesOne }, retries: 4 }));
    await use().expectSame('PUT', '/external-task/retries', { processInstanceQuery: { businessKey: 'RETRIES-2' }, retries: 5 });
    await use().expectSame('GET', both, undefined, { unordered: true });
    await use().expectSame('PUT', '/external-task/retries', { historicProcessInstanceQuery: { processInstanceBusinessKey: 'RETRIES-1' }, retries: 6 });
    await use().expectSame('GET', both, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/history/incident?processInstanceId=${ids.retriesOne}`);
  });

  it('should suspend and activate process instances by ids, queries and process definition, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/runtime-message/start', { businessKey: 'SUSPEND-1' }, { remember: { suspendOne: (answer) => answer.body.id } });
    await use().expectSame('POST', '/process-definition/key/runtime-message/start', { businessKey: 'SUSPEND-2' }, { remember: { suspendTwo: (answer) => answer.body.id } });

    // when / then
    await use().expectSame('PUT', '/process-instance/suspended', (ids: Ids) => ({ suspended: true, processInstanceIds: [ids.suspendOne, 'no-such-instance'] }));
    await use().expectSame('GET', (ids) => `/process-instance/${ids.suspendOne}`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.suspendOne}`);
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processInstanceQuery: { businessKey: 'SUSPEND-2' } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.suspendTwo}`);
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: false, historicProcessInstanceQuery: { processInstanceBusinessKey: 'SUSPEND-1' } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.suspendOne}`);
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processDefinitionKey: 'runtime-message' });
    await use().expectSame('GET', '/process-instance/count?processDefinitionKey=runtime-message&active=true');
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: false, processDefinitionKey: 'runtime-message' });
    await use().expectSame('GET', '/process-instance/count?processDefinitionKey=runtime-message&suspended=true');
  });

  it('should refuse process instance suspensions that name nothing or too much, as Operaton does', async () => {
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true });
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processInstanceIds: [] });
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processDefinitionId: 'no-such-definition', processDefinitionKey: 'runtime-message' });
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processDefinitionKey: 'runtime-message', processInstanceIds: ['no-such-instance'] });
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processInstanceQuery: { businessKey: 'NO-SUCH-KEY' } });
    await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processDefinitionKey: 'no-such-key' });
  });

  it('should delete process instances by ids and queries with a batch answer, as Operaton does', async () => {
    // given
    for (const key of ['DELETE-1', 'DELETE-2', 'DELETE-3']) {
      await use().expectSame('POST', '/process-definition/key/runtime-message/start', { businessKey: key }, { remember: { [key]: (answer) => answer.body.id } });
    }

    // when
    await use().expectSame('POST', '/process-instance/delete', (ids: Ids) => ({ processInstanceIds: [ids['DELETE-1']], deleteReason: 'no longer needed' }));
    await use().expectSame('POST', '/process-instance/delete', { processInstanceQuery: { businessKey: 'DELETE-2' } });
    await use().expectSame('POST', '/process-instance/delete-historic-query-based', { historicProcessInstanceQuery: { processInstanceBusinessKey: 'DELETE-3' } });

    // then: once Operaton's batch jobs ran
    await use().eventually('/process-instance/count?businessKeyLike=DELETE-%25', (answer) => answer.count === 0);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids['DELETE-1']}`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids['DELETE-2']}`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids['DELETE-3']}`);
  });

  it('should refuse a deletion that names no instances, as Operaton does', async () => {
    await use().expectSame('POST', '/process-instance/delete', {});
    await use().expectSame('POST', '/process-instance/delete', { processInstanceIds: [] });
    await use().expectSame('POST', '/process-instance/delete', { processInstanceQuery: { businessKey: 'NO-SUCH-KEY' } });
    await use().expectSame('POST', '/process-instance/delete-historic-query-based', {});
    await use().expectSame('POST', '/process-instance/delete-historic-query-based', { historicProcessInstanceQuery: { processInstanceBusinessKey: 'NO-SUCH-KEY' } });
  });
});
