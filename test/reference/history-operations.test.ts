/** Differential: historic details, single historic reads, history deletion, external task and job logs, reports. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const BY_OCCURRENCE = 'sortBy=occurrence&sortOrder=asc';
/** An hour before the run, in Camunda's date format, so the reports see only this run's history. */
const LAST_HOUR = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString().replace('Z', '+0000'));

/** Camunda's date format, URL-encoded. */
const camundaDate = (date: Date) => encodeURIComponent(date.toISOString().replace('Z', '+0000'));

/** The processes this suite starts: engine-wide reports are compared for these. */
const OWN_PROCESS_KEYS = new Set(['differential-async', 'differential-external-task', 'differential-failing', 'differential-user-task', 'differential-timer']);

describeAgainstOperaton('history operations', { timeoutMs: 60_000 }, (use) => {
  /** When this suite began: the count report sees only the tasks it completed, not every earlier suite's. */
  let suiteStart: string;

  before(async () => {
    suiteStart = camundaDate(new Date(Date.now() - 1_000));
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
  });

  describe('historic details', () => {
    before(async () => {
      await use().expectSame('POST', '/process-definition/key/differential-user-task/start', {
        businessKey: 'DETAIL-1',
        variables: { amount: { value: 10, type: 'Integer' }, note: { value: 'first', type: 'String' } },
      }, { remember: { detailInstance: (answer) => answer.body.id } });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.detailInstance}/variables/amount`, { value: 20, type: 'Integer' });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.detailInstance}/variables/amount`, { value: 30, type: 'Long' });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.detailInstance}`, undefined, { remember: { detailTask: (answer) => answer.body[0].id } });
      await use().expectSame('PUT', (ids) => `/task/${ids.detailTask}/localVariables/comment`, { value: 'looks fine', type: 'String' });
      await use().expectSame('GET', (ids) => `/history/variable-instance?processInstanceId=${ids.detailInstance}&variableName=amount`, undefined, { remember: { amountVariable: (answer) => answer.body[0].id } });
    });

    it('should list each variable update with its revision and the initial ones flagged, as Operaton does', async () => {
      // Operaton's occurrence counts per variable, so equal counts of different variables come in no defined order.
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&${BY_OCCURRENCE}`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&variableNameLike=note`, undefined, {
        remember: { firstDetail: (answer) => answer.body[0].id },
      });
      await use().expectSame('GET', (ids) => `/history/detail/count?processInstanceId=${ids.detailInstance}`);
      await use().expectSame('GET', (ids) => `/history/detail/${ids.firstDetail}`);
    });

    it('should filter details by variable, type, initial and task as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/detail?variableInstanceId=${ids.amountVariable}&sortBy=variableRevision&sortOrder=desc`);
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&initial=true&sortBy=variableName&sortOrder=asc`);
      await use().expectSame('POST', '/history/detail', (ids: Ids) => ({ processInstanceId: ids.detailInstance, excludeTaskDetails: true, sorting: [{ sortBy: 'variableName', sortOrder: 'asc' }, { sortBy: 'variableRevision', sortOrder: 'asc' }] }));
      await use().expectSame('GET', (ids) => `/history/detail?taskId=${ids.detailTask}`);
      await use().expectSame('GET', (ids) => `/history/detail/count?processInstanceId=${ids.detailInstance}&variableTypeIn=long,string`);
      await use().expectSame('GET', (ids) => `/history/detail/count?processInstanceId=${ids.detailInstance}&formFields=true`);
      await use().expectSame('POST', '/history/detail?firstResult=1&maxResults=2', (ids: Ids) => ({ processInstanceId: ids.detailInstance, variableUpdates: true, sorting: [{ sortBy: 'variableName', sortOrder: 'asc' }, { sortBy: 'variableRevision', sortOrder: 'desc' }] }));
    });

    it('should answer an unknown detail and a non-binary one\'s data as Operaton does', async () => {
      await use().expectSame('GET', '/history/detail/no-such-detail');
      await use().expectSame('GET', (ids) => `/history/detail/${ids.firstDetail}/data`);
      await use().expectSame('GET', '/history/detail?sortBy=nonsense&sortOrder=asc');
    });

    it("should record a submitted task form's String values as form fields besides the variable updates, as Operaton does", async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.detailTask}/submit-form`, { variables: { decision: { value: 'approve', type: 'String' }, score: { value: 7, type: 'Integer' } } });
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&formFields=true`);
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&variableNameLike=dec%25`);
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.detailInstance}&variableNameLike=score`);
    });
  });

  describe('single historic reads and history deletion', () => {
    before(async () => {
      await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { businessKey: 'DEL-1', variables: { amount: { value: 1, type: 'Integer' } } }, {
        remember: { runningInstance: (answer) => answer.body.id },
      });
      await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { businessKey: 'DEL-2', variables: { amount: { value: 2, type: 'Integer' } } }, {
        remember: { endedInstance: (answer) => answer.body.id },
      });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.endedInstance}`, undefined, { remember: { endedTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/task/${ids.endedTask}/complete`, {});
    });

    it('should read one historic activity instance and variable instance by id as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.endedInstance}&activityId=Task_Approve`, undefined, {
        remember: { endedActivity: (answer) => answer.body[0].id },
      });
      await use().expectSame('GET', (ids) => `/history/activity-instance/${ids.endedActivity}`);
      await use().expectSame('GET', '/history/activity-instance/no-such-activity');
      await use().expectSame('GET', (ids) => `/history/variable-instance?processInstanceId=${ids.endedInstance}`, undefined, { remember: { endedVariable: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/history/variable-instance/${ids.endedVariable}`);
      await use().expectSame('GET', (ids) => `/history/variable-instance/${ids.endedVariable}/data`);
      await use().expectSame('GET', '/history/variable-instance/no-such-variable');
      await use().expectSame('GET', '/history/decision-instance/no-such-decision');
    });

    it('should refuse to delete the history of a running instance, and delete a finished one\'s, as Operaton does', async () => {
      await use().expectSame('DELETE', (ids) => `/history/process-instance/${ids.runningInstance}`);
      await use().expectSame('DELETE', '/history/process-instance/no-such-instance');
      await use().expectSame('DELETE', '/history/process-instance/no-such-instance?failIfNotExists=false');
      await use().expectSame('DELETE', (ids) => `/history/process-instance/${ids.endedInstance}`);
      await use().expectSame('GET', (ids) => `/history/process-instance/${ids.endedInstance}`);
      await use().expectSame('GET', (ids) => `/history/activity-instance/count?processInstanceId=${ids.endedInstance}`);
      await use().expectSame('GET', (ids) => `/history/variable-instance/count?processInstanceId=${ids.endedInstance}`);
      await use().expectSame('GET', (ids) => `/history/detail/count?processInstanceId=${ids.endedInstance}`);
    });

    it('should delete the variable history of an instance and one historic variable as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/variable-instance?processInstanceId=${ids.runningInstance}`, undefined, { remember: { runningVariable: (answer) => answer.body[0].id } });
      await use().expectSame('DELETE', (ids) => `/history/variable-instance/${ids.runningVariable}`);
      await use().expectSame('DELETE', (ids) => `/history/variable-instance/${ids.runningVariable}`);
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.runningInstance}/variables/other`, { value: 'x', type: 'String' });
      await use().expectSame('DELETE', (ids) => `/history/process-instance/${ids.runningInstance}/variable-instances`);
      await use().expectSame('GET', (ids) => `/history/variable-instance/count?processInstanceId=${ids.runningInstance}`);
      await use().expectSame('GET', (ids) => `/history/detail/count?processInstanceId=${ids.runningInstance}`);
      await use().expectSame('DELETE', '/history/process-instance/no-such-instance/variable-instances');
    });

    it('should answer the asynchronous deletion with a batch, refusing an empty choice, as Operaton does', async () => {
      await use().expectSame('POST', '/history/process-instance/delete', {});
      await use().expectSame('POST', '/history/process-instance/delete', { historicProcessInstanceIds: ['no-such-instance'] });
      await use().expectSame('POST', '/history/process-instance/delete', { historicProcessInstanceQuery: { processInstanceBusinessKey: 'DEL-1' }, deleteReason: 'cleanup' });
    });
  });

  describe('external task log', () => {
    const fetch = (businessKey: string) => ({ workerId: 'log-worker', maxTasks: 1, topics: [{ topicName: 'differential-charge', lockDuration: 60000, businessKey }] });

    before(async () => {
      await use().ensureDeployed('bpmn/differential-external-task.bpmn');
      await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'LOG-1', variables: { amount: { value: 30, type: 'Integer' } } }, {
        remember: { loggedInstance: (answer) => answer.body.id },
      });
      await use().expectSame('POST', '/external-task/fetchAndLock', fetch('LOG-1'), { remember: { loggedTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/external-task/${ids.loggedTask}/failure`, { workerId: 'log-worker', errorMessage: 'Card declined', errorDetails: 'gateway said no', retries: 1, retryTimeout: 0 });
      await use().expectSame('POST', '/external-task/fetchAndLock', fetch('LOG-1'));
      await use().expectSame('POST', (ids) => `/external-task/${ids.loggedTask}/complete`, { workerId: 'log-worker' });
      await use().expectSame('POST', '/process-definition/key/differential-external-task/start', { businessKey: 'LOG-2', variables: { amount: { value: 5, type: 'Integer' } } }, {
        remember: { deletedInstance: (answer) => answer.body.id },
      });
      await use().expectSame('DELETE', (ids) => `/process-instance/${ids.deletedInstance}`);
    });

    it('should log the creation, failure and success of an external task as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/external-task-log?processInstanceId=${ids.loggedInstance}&sortBy=timestamp&sortOrder=asc`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/external-task-log?processInstanceId=${ids.loggedInstance}&failureLog=true`, undefined, { remember: { failureLog: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/history/external-task-log/${ids.failureLog}`);
      await use().expectSame('GET', (ids) => `/history/external-task-log/${ids.failureLog}/error-details`);
      await use().expectSame('GET', (ids) => `/history/external-task-log/count?externalTaskId=${ids.loggedTask}&successLog=true`);
      await use().expectSame('POST', '/history/external-task-log/count', (ids: Ids) => ({ processInstanceId: ids.loggedInstance, creationLog: true }));
      await use().expectSame('POST', '/history/external-task-log', (ids: Ids) => ({ processInstanceId: ids.loggedInstance, workerId: 'log-worker', sorting: [{ sortBy: 'timestamp', sortOrder: 'desc' }] }), { unordered: true });
    });

    it('should log the deletion of an instance\'s external task as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/external-task-log?processInstanceId=${ids.deletedInstance}`, undefined, { unordered: true });
      await use().expectSame('GET', '/history/external-task-log/no-such-log');
      await use().expectSame('GET', '/history/external-task-log/no-such-log/error-details');
    });
  });

  describe('job log', () => {
    before(async () => {
      await use().ensureDeployed('bpmn/differential-timer.bpmn');
      await use().expectSame('POST', '/process-definition/key/differential-async/start', { variables: { amount: { value: 30, type: 'Integer' } } }, {
        remember: { asyncInstance: (answer) => answer.body.id },
      });
      await use().expectSame('POST', '/process-definition/key/differential-failing/start', {}, { remember: { failingInstance: (answer) => answer.body.id } });
      await use().eventually((ids) => `/task?processInstanceId=${ids.asyncInstance}`, (tasks) => tasks.length === 1);
      await use().eventually((ids) => `/job?processInstanceId=${ids.failingInstance}`, (body) => body[0]?.retries === 0);
    });

    it('should log the creation and success of an async continuation\'s job as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/job-log?processInstanceId=${ids.asyncInstance}`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/job-log/count?processInstanceId=${ids.asyncInstance}&successLog=true`);
      await use().expectSame('GET', (ids) => `/history/job-log?processInstanceId=${ids.asyncInstance}&creationLog=true`, undefined, { remember: { creationLog: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/history/job-log/${ids.creationLog}/stacktrace`);
    });

    it('should log each failure of a failing job with its exception as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/job-log?processInstanceId=${ids.failingInstance}&sortBy=jobRetries&sortOrder=desc`, undefined, { unordered: true });
      await use().expectSame('POST', '/history/job-log', (ids: Ids) => ({ processInstanceId: ids.failingInstance, failureLog: true, sorting: [{ sortBy: 'jobRetries', sortOrder: 'asc' }] }), {
        remember: { lastFailure: (answer) => answer.body[0].id },
      });
      await use().expectSame('GET', (ids) => `/history/job-log/${ids.lastFailure}`);
      await use().expectSame('POST', '/history/job-log/count', (ids: Ids) => ({ processInstanceId: ids.failingInstance, failedActivityIdIn: ['Task_Fail'] }));
      await use().expectSame('GET', '/history/job-log/no-such-log');
      await use().expectSame('GET', '/history/job-log/no-such-log/stacktrace');
    });
  });

  describe('historic activity statistics', () => {
    before(async () => {
      await use().expectSame('POST', '/process-definition/key/differential-user-task/start', {}, { remember: { statisticsRunning: (answer) => answer.body.id } });
      await use().expectSame('GET', '/process-definition/key/differential-user-task', undefined, { remember: { userTaskDefinition: (answer) => answer.body.id } });
    });

    it('should count running, finished, canceled and complete-scope activity instances as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/process-definition/${ids.userTaskDefinition}/statistics`);
      await use().expectSame('GET', (ids) => `/history/process-definition/${ids.userTaskDefinition}/statistics?finished=true&canceled=true&completeScope=true&incidents=true&sortBy=activityId&sortOrder=desc`);
      await use().expectSame('GET', (ids) => `/history/process-definition/${ids.userTaskDefinition}/statistics?finished=true&processInstanceIdIn=${ids.statisticsRunning}`);
      await use().expectSame('GET', '/history/process-definition/no-such-definition/statistics');
    });
  });

  describe('cleanable history reports', () => {
    it('should report finished and cleanable instances per process definition as Operaton does', async () => {
      await use().expectSame('GET', '/history/process-definition/cleanable-process-instance-report?processDefinitionKeyIn=differential-user-task');
      await use().expectSame('GET', '/history/process-definition/cleanable-process-instance-report/count?processDefinitionKeyIn=differential-user-task,differential-external-task&compact=true');
      await use().expectSame('GET', '/history/process-definition/cleanable-process-instance-report?processDefinitionKeyIn=differential-external-task&sortBy=finished&sortOrder=desc');
    });

    it('should report the evaluations per decision definition as Operaton does', async () => {
      await use().ensureDeployed('dmn/differential-dish.dmn');
      await use().expectSame('POST', '/decision-definition/key/differential-dish/evaluate', { variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' } } });
      await use().expectSame('GET', '/history/decision-definition/cleanable-decision-instance-report?decisionDefinitionKeyIn=differential-dish');
      await use().expectSame('GET', '/history/decision-definition/cleanable-decision-instance-report/count?decisionDefinitionKeyIn=differential-dish&compact=true');
    });

    it('should count the evaluations of a decision requirements definition\'s decisions as Operaton does', async () => {
      await use().ensureDeployed('dmn/business-rule-task-drg.dmn');
      await use().expectSame('GET', '/decision-requirements-definition?key=dinnerDecisions', undefined, { remember: { dishDrd: (answer) => answer.body[0].id } });
      await use().expectSame('POST', '/decision-definition/key/beverages/evaluate', { variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' }, guestsWithChildren: { value: false, type: 'Boolean' } } });
      await use().expectSame('GET', (ids) => `/history/decision-requirements-definition/${ids.dishDrd}/statistics`, undefined, { unordered: true });
      await use().expectSame('GET', '/history/decision-requirements-definition/no-such-drd/statistics');
    });
  });

  describe('task report', () => {
    it('should count completed tasks by name and by process definition as Operaton does', async () => {
      // Other suites' instances may complete tasks after this suite started, each engine on its own schedule: the
      // comparison keeps this suite's processes.
      const ownProcesses = { unordered: true, adjust: (rows: Array<{ processDefinitionKey: string }>) => rows.filter((row) => OWN_PROCESS_KEYS.has(row.processDefinitionKey)) };
      await use().expectSame('GET', `/history/task/report?reportType=count&groupBy=taskName&completedAfter=${suiteStart}`, undefined, ownProcesses);
      await use().expectSame('GET', `/history/task/report?reportType=count&groupBy=processDefinition&completedAfter=${suiteStart}`, undefined, ownProcesses);
      await use().expectSame('GET', '/history/task/report?reportType=count');
      await use().expectSame('GET', '/history/task/report');
    });

    it('should report completed tasks\' durations per month and quarter, and refuse a missing or unknown period unit, as Operaton does', async () => {
      await use().expectSame('GET', `/history/task/report?reportType=duration&periodUnit=month&completedAfter=${LAST_HOUR}`);
      await use().expectSame('GET', `/history/task/report?reportType=duration&periodUnit=QUARTER&completedAfter=${LAST_HOUR}`);
      await use().expectSame('GET', `/history/task/report?reportType=duration&periodUnit=month&completedBefore=${LAST_HOUR}&completedAfter=${LAST_HOUR}`);
      await use().expectSame('GET', '/history/task/report?reportType=duration');
      await use().expectSame('GET', '/history/task/report?reportType=duration&periodUnit=week');
      await use().expectSame('GET', '/history/task/report?reportType=average&periodUnit=month');
    });
  });

  describe('process instance report', () => {
    it('should report finished instances\' durations per period of their start, filtered by definition, as Operaton does', async () => {
      await use().expectSame('GET', '/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionKeyIn=differential-user-task');
      await use().expectSame('GET', `/history/process-instance/report?reportType=duration&periodUnit=quarter&processDefinitionKeyIn=differential-user-task,differential-external-task&startedAfter=${LAST_HOUR}`);
      await use().expectSame('GET', '/process-definition/key/differential-user-task', undefined, { remember: { reportDefinition: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionIdIn=${ids.reportDefinition}&startedBefore=${LAST_HOUR}`);
    });

    it('should refuse a report without its type, another type or no period unit as Operaton does', async () => {
      await use().expectSame('GET', '/history/process-instance/report?periodUnit=month');
      await use().expectSame('GET', '/history/process-instance/report?reportType=count&periodUnit=month');
      await use().expectSame('GET', '/history/process-instance/report?reportType=nonsense&periodUnit=month');
      await use().expectSame('GET', '/history/process-instance/report?reportType=duration');
      await use().expectSame('GET', '/history/process-instance/report?reportType=duration&periodUnit=year');
    });

    it('should answer the report as CSV, or refuse a media type it cannot write, as Operaton does', async () => {
      // An empty report, since the figures of a CSV line are timings no normalizer can reach.
      const empty = '/history/process-instance/report?reportType=duration&periodUnit=month&processDefinitionKeyIn=no-such-process';
      await use().expectSame('GET', empty, undefined, { accept: 'text/csv' });
      await use().expectSame('GET', empty, undefined, { accept: 'application/csv' });
      await use().expectSame('GET', empty, undefined, { accept: 'text/plain' });
      await use().expectSame('GET', '/history/process-instance/report?periodUnit=month', undefined, { accept: 'text/csv' });
    });
  });
});
