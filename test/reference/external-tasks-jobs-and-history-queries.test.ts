/** Differential: the external task, job, job definition and history queries (GET counts, POST variants), and external task locks. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const WORKER = 'differential-queries-worker';
const OTHER_WORKER = 'differential-queries-other-worker';
const SHIPPING = 'differential-queries-shipping';
const TIMERS = 'differential-queries-timers';
const REVIEW = 'differential-queries-review';
const GRADE = 'differential-queries-grade';

/** Engine-wide topic lists, cut down to the topics this suite creates. */
const ownTopics = (body: unknown) => (Array.isArray(body) ? body.filter((topic) => typeof topic === 'string' && topic.startsWith('differential-queries-')) : body);

/** Camunda's date format, in `minutes` from now. */
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().replace('Z', '+0000');

describeAgainstOperaton('external task, job and history queries', { timeoutMs: 60_000 }, (use) => {
  describe('external tasks', () => {
    before(async () => {
      await use().ensureDeployed('bpmn/differential-queries-external-task.bpmn');
      for (const [name, priority] of [['shipLow', 10], ['shipHigh', 30], ['shipMiddle', 20]] as const) {
        await use().expectSame('POST', `/process-definition/key/${SHIPPING}/start`, { businessKey: `QUERIES-${name}`, variables: { priority: { value: priority, type: 'Integer' } } }, {
          remember: { [name]: (answer) => answer.body.id },
        });
      }
      await use().expectSame('POST', '/external-task/fetchAndLock', { workerId: WORKER, maxTasks: 1, topics: [{ topicName: 'differential-queries-ship', lockDuration: 600_000, businessKey: 'QUERIES-shipLow' }] }, {
        remember: { lockedShip: (answer) => answer.body[0].id },
      });
      await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.shipMiddle}&activityId=Task_Pack`, undefined, { remember: { packMiddle: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.shipHigh}&activityId=Task_Pack`, undefined, { remember: { packHigh: (answer) => answer.body[0].id } });
    });

    it('should count external tasks by topic, lock and priority, in the query string and a POST body, as Operaton does', async () => {
      await use().expectSame('GET', '/external-task/count?topicName=differential-queries-ship');
      await use().expectSame('GET', '/external-task/count?topicName=differential-queries-ship&locked=true');
      await use().expectSame('GET', (ids) => `/external-task/count?processInstanceIdIn=${ids.shipLow},${ids.shipHigh}&notLocked=true`);
      await use().expectSame('GET', (ids) => `/external-task/count?processInstanceIdIn=${ids.shipLow},${ids.shipHigh},${ids.shipMiddle}&priorityHigherThanOrEquals=20`);
      await use().expectSame('POST', '/external-task/count', { topicName: 'differential-queries-ship', workerId: WORKER });
      await use().expectSame('POST', '/external-task/count', (ids: Ids) => ({ processInstanceIdIn: [ids.shipLow, ids.shipHigh, ids.shipMiddle], activityIdIn: ['Task_Pack'], withRetriesLeft: true }));
      await use().expectSame('POST', '/external-task/count', (ids: Ids) => ({ processInstanceIdIn: [ids.shipLow, ids.shipHigh, ids.shipMiddle], priorityLowerThanOrEquals: 10 }));
    });

    it('should list external tasks from a POST body with filters, sorting and paging as Operaton does', async () => {
      await use().expectSame('POST', '/external-task', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'taskPriority', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/external-task?firstResult=1&maxResults=1', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'taskPriority', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/external-task', (ids: Ids) => ({ processInstanceIdIn: [ids.shipLow, ids.shipHigh], activityIdIn: ['Task_Pack'] }), { unordered: true });
      await use().expectSame('POST', '/external-task', { topicName: 'differential-queries-ship', locked: true });
      await use().expectSame('POST', '/external-task', { processDefinitionKey: SHIPPING, topicName: 'differential-queries-ship', priorityHigherThanOrEquals: 15, sorting: [{ sortBy: 'taskPriority', sortOrder: 'asc' }] });
    });

    it('should filter external tasks by process definition key and name, and by process variables, as Operaton does', async () => {
      await use().expectSame('POST', '/external-task/count', { processDefinitionKey: SHIPPING });
      await use().expectSame('GET', `/external-task/count?processDefinitionKeyIn=${SHIPPING},no-such-process&activityId=Task_Ship`);
      await use().expectSame('POST', '/external-task/count', { processDefinitionName: 'Differential queries shipping' });
      await use().expectSame('POST', '/external-task/count', { processDefinitionNameLike: 'Differential queries ship%', activityIdIn: ['Task_Pack'] });
      await use().expectSame('POST', '/external-task', { processDefinitionKey: SHIPPING, activityId: 'Task_Ship', processVariables: [{ name: 'priority', operator: 'gt', value: 15 }], sorting: [{ sortBy: 'taskPriority', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/external-task/count', { processDefinitionKey: SHIPPING, processVariables: [{ name: 'PRIORITY', operator: 'lteq', value: 20 }], variableNamesIgnoreCase: true });
    });

    it('should refuse an unknown sort key of the external task query as Operaton does', async () => {
      await use().expectSame('POST', '/external-task', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/external-task', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'taskPriority', sortOrder: 'sideways' }] });
      await use().expectSame('POST', '/external-task', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'nonsense' }, { sortBy: 'taskPriority', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/external-task/count', { topicName: 'differential-queries-ship', sorting: [{ sortBy: 'taskPriority' }] });
    });

    it("should list the topics of locked, unlocked and retrying tasks as Operaton does", async () => {
      await use().expectSame('GET', '/external-task/topic-names', undefined, { adjust: ownTopics, unordered: true });
      await use().expectSame('GET', '/external-task/topic-names?withLockedTasks=true', undefined, { adjust: ownTopics, unordered: true });
      await use().expectSame('GET', '/external-task/topic-names?withUnlockedTasks=true', undefined, { adjust: ownTopics, unordered: true });
      await use().expectSame('GET', '/external-task/topic-names?withRetriesLeft=true', undefined, { adjust: ownTopics, unordered: true });
    });

    it('should lock a task for a worker, refuse another worker, extend and unlock it as Operaton does', async () => {
      // when: a worker locks an unlocked task
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/lock`, { workerId: WORKER, lockDuration: 600_000 });
      await use().expectSame('GET', (ids) => `/external-task/${ids.packMiddle}`);

      // then: another worker can neither lock nor extend it
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/lock`, { workerId: OTHER_WORKER, lockDuration: 600_000 });
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/extendLock`, { workerId: OTHER_WORKER, newDuration: 900_000 });

      // when: its own worker extends the lock and then unlocks it
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/extendLock`, { workerId: WORKER, newDuration: 900_000 });
      await use().expectSame('POST', '/external-task/count', (ids: Ids) => ({ externalTaskId: ids.packMiddle, lockExpirationAfter: inMinutes(12) }));
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/unlock`);
      await use().expectSame('GET', (ids) => `/external-task/${ids.packMiddle}`);

      // then: an unlocked task's lock cannot be extended
      await use().expectSame('POST', (ids) => `/external-task/${ids.packMiddle}/extendLock`, { workerId: WORKER, newDuration: 900_000 });
    });

    it('should refuse lock requests without a worker or for unknown tasks as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/external-task/${ids.packHigh}/lock`, { lockDuration: 600_000 });
      await use().expectSame('POST', (ids) => `/external-task/${ids.packHigh}/extendLock`, { newDuration: 600_000 });
      await use().expectSame('POST', '/external-task/no-such-task/lock', { workerId: WORKER, lockDuration: 600_000 });
      await use().expectSame('POST', '/external-task/no-such-task/extendLock', { workerId: WORKER, newDuration: 600_000 });
      await use().expectSame('POST', '/external-task/no-such-task/unlock');
    });

    it("should set a task's priority and answer for an unknown task as Operaton does", async () => {
      await use().expectSame('PUT', (ids) => `/external-task/${ids.packHigh}/priority`, { priority: 99 });
      await use().expectSame('GET', (ids) => `/external-task/${ids.packHigh}`);
      await use().expectSame('POST', '/external-task', (ids: Ids) => ({ processInstanceIdIn: [ids.shipHigh], sorting: [{ sortBy: 'taskPriority', sortOrder: 'desc' }] }));
      await use().expectSame('PUT', '/external-task/no-such-task/priority', { priority: 1 });
    });

    it("should answer a failed task's error details as text, and a task without any, as Operaton does", async () => {
      // given
      await use().expectSame('GET', (ids) => `/external-task/${ids.lockedShip}/errorDetails`);

      // when
      await use().expectSame('POST', (ids) => `/external-task/${ids.lockedShip}/failure`, { workerId: WORKER, errorMessage: 'Carrier down', errorDetails: 'carrier said 503\nretry later', retries: 2, retryTimeout: 0 });

      // then
      await use().expectSame('GET', (ids) => `/external-task/${ids.lockedShip}/errorDetails`);
      await use().expectSame('GET', '/external-task/no-such-task/errorDetails');
      await use().expectSame('POST', '/external-task', (ids: Ids) => ({ externalTaskId: ids.lockedShip }));
    });
  });

  describe('jobs and job definitions', () => {
    before(async () => {
      await use().ensureDeployed('bpmn/differential-queries-timers.bpmn');
      for (const [name, wait] of [['waitOneHour', 'PT1H'], ['waitThreeHours', 'PT3H'], ['waitTwoHours', 'PT2H']] as const) {
        await use().expectSame('POST', `/process-definition/key/${TIMERS}/start`, { businessKey: `QUERIES-${name}`, variables: { wait: { value: wait, type: 'String' } } }, {
          remember: { [name]: (answer) => answer.body.id },
        });
      }
    });

    it('should list jobs from a POST body sorted by due date, with paging, as Operaton does', async () => {
      await use().expectSame('POST', '/job', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'jobDueDate', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/job?firstResult=1&maxResults=1', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'jobDueDate', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/job', (ids: Ids) => ({ processInstanceIds: [ids.waitOneHour, ids.waitTwoHours], timers: true }), { unordered: true });
      await use().expectSame('POST', '/job', { processDefinitionKey: TIMERS, dueDates: [{ operator: 'gt', value: inMinutes(150) }] });
    });

    it('should count jobs from a POST body by due date, type and state as Operaton does', async () => {
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, timers: true, withRetriesLeft: true });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, messages: true });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, executable: true });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, dueDates: [{ operator: 'lt', value: inMinutes(90) }] });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, dueDates: [{ operator: 'gt', value: inMinutes(90) }, { operator: 'lt', value: inMinutes(150) }] });
    });

    it('should find the jobs of a suspended instance from a POST body as Operaton does', async () => {
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.waitTwoHours}/suspended`, { suspended: true });
      await use().expectSame('POST', '/job', { processDefinitionKey: TIMERS, suspended: true });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, active: true });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.waitTwoHours}/suspended`, { suspended: false });
    });

    it('should count no acquired jobs while the timers wait, and jobs of no tenant only when asked, as Operaton does', async () => {
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, acquired: true });
      await use().expectSame('GET', `/job/count?processDefinitionKey=${TIMERS}&acquired=false`);
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, tenantIdIn: ['differential-queries-tenant'] });
      await use().expectSame('POST', '/job/count', { processDefinitionKey: TIMERS, tenantIdIn: ['differential-queries-tenant'], includeJobsWithoutTenantId: true });
    });

    it('should refuse an unknown sort key of the job query as Operaton does', async () => {
      await use().expectSame('POST', '/job', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'dueDate', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/job', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'jobDueDate' }] });
    });

    it('should list and count job definitions from a POST body as Operaton does', async () => {
      await use().expectSame('POST', '/job-definition', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'activityId', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/job-definition?firstResult=0&maxResults=1', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'jobType', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/job-definition', { processDefinitionKey: TIMERS, activityIdIn: ['Timer_Wait'] });
      await use().expectSame('POST', '/job-definition/count', { processDefinitionKey: TIMERS });
      await use().expectSame('POST', '/job-definition/count', { processDefinitionKey: TIMERS, jobType: 'async-continuation' });
      await use().expectSame('POST', '/job-definition/count', { processDefinitionKey: TIMERS, suspended: true });
      await use().expectSame('POST', '/job-definition/count', { processDefinitionKey: TIMERS, withOverridingJobPriority: true });
      await use().expectSame('POST', '/job-definition', { processDefinitionKey: TIMERS, sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] });
    });
  });

  describe('history', () => {
    before(async () => {
      await use().ensureDeployed('bpmn/differential-queries-review.bpmn', `dmn/${GRADE}.dmn`);
      const reviews = [['reviewDone', 'queries-anna', 60], ['reviewHalf', 'queries-ben', 40], ['reviewOpen', 'queries-anna', 80]] as const;
      for (const [name, reviewer, urgency] of reviews) {
        await use().expectSame('POST', `/process-definition/key/${REVIEW}/start`, {
          businessKey: `QUERIES-${name}`,
          variables: { reviewer: { value: reviewer, type: 'String' }, urgency: { value: urgency, type: 'Integer' } },
        }, { remember: { [name]: (answer) => answer.body.id } });
      }
      for (const name of ['reviewDone', 'reviewHalf']) {
        await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids[name]}`, undefined, { remember: { [`${name}Task`]: (answer) => answer.body[0].id } });
        await use().expectSame('POST', (ids) => `/task/${ids[`${name}Task`]}/complete`, { variables: { verdict: { value: `ok-${name}`, type: 'String' } } });
      }
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.reviewDone}`, undefined, { remember: { archiveTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/task/${ids.archiveTask}/complete`, {});
      for (const score of [70, 20]) {
        await use().expectSame('POST', `/decision-definition/key/${GRADE}/evaluate`, { variables: { score: { value: score, type: 'Integer' } } });
      }
    });

    it('should list and count historic process instances from a POST body as Operaton does', async () => {
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/history/process-instance?firstResult=1&maxResults=1', { processDefinitionKey: REVIEW, sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, finished: true });
      await use().expectSame('POST', '/history/process-instance', { processInstanceBusinessKeyLike: 'QUERIES-review%', unfinished: true, sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKeyIn: [REVIEW, TIMERS], active: true });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, active: true, completed: true });
      await use().expectSame('POST', '/history/process-instance/count', (ids: Ids) => ({ processInstanceIds: [ids.reviewDone, ids.reviewOpen], completed: true }));
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] });
    });

    it('should filter historic process instances by business keys, definitions and activities as Operaton does', async () => {
      await use().expectSame('POST', '/history/process-instance', { processInstanceBusinessKeyIn: ['QUERIES-reviewDone', 'QUERIES-reviewOpen'], sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionNameLike: 'Differential queries rev%' });
      // nobody is authenticated here, so no instance has a start user
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, startedBy: 'demo' });
      await use().expectSame('GET', `/history/process-instance/count?processDefinitionKey=${REVIEW}&startedBy=demo`);
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKeyIn: [REVIEW, TIMERS], processDefinitionKeyNotIn: [TIMERS] });
      await use().expectSame('POST', '/history/process-instance/count', (ids: Ids) => ({ processDefinitionKey: REVIEW, processInstanceIdNotIn: [ids.reviewDone] }));
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, activeActivityIdIn: ['Task_Archive'] });
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, executedActivityIdIn: ['Task_Archive'] });
      await use().expectSame('GET', `/history/process-instance/count?processDefinitionKey=${REVIEW}&executedActivityIdIn=Task_Review,Task_Archive`);
    });

    it('should filter historic process instances by variables and or-queries as Operaton does', async () => {
      await use().expectSame('POST', '/history/process-instance', { processDefinitionKey: REVIEW, variables: [{ name: 'urgency', operator: 'gteq', value: 60 }], sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, variables: [{ name: 'reviewer', operator: 'eq', value: 'QUERIES-ANNA' }], variableValuesIgnoreCase: true });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, variables: [{ name: 'reviewer', operator: 'like', value: 'queries-%' }, { name: 'urgency', operator: 'lt', value: 70 }] });
      await use().expectSame('POST', '/history/process-instance', {
        processDefinitionKey: REVIEW,
        orQueries: [{ processInstanceBusinessKey: 'QUERIES-reviewDone', processInstanceBusinessKeyLike: '%Open' }],
        sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }],
      });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, orQueries: [{ finished: true, variables: [{ name: 'urgency', operator: 'eq', value: 80 }] }] });
    });

    it('should filter historic process instances by root and sub instance, incidents, activity times and cases as Operaton does', async () => {
      await use().expectSame('POST', '/history/process-instance', (ids: Ids) => ({ processDefinitionKey: REVIEW, rootProcessInstanceId: ids.reviewDone }));
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, subProcessInstanceId: 'no-such-instance' });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, withIncidents: true });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, withRootIncidents: true });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, incidentStatus: 'open' });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, incidentStatus: 'bogus' });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, executedActivityAfter: '2000-01-01T00:00:00.000+0000' });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, executedActivityAfter: '2000-01-01T00:00:00.000+0000', executedActivityBefore: '2000-01-02T00:00:00.000+0000' });
      await use().expectSame('POST', '/history/process-instance/count', { processDefinitionKey: REVIEW, caseInstanceId: 'no-such-case' });
    });

    it('should list and count historic activity instances from a POST body as Operaton does', async () => {
      await use().expectSame('POST', '/history/activity-instance', (ids: Ids) => ({ processInstanceId: ids.reviewDone, sorting: [{ sortBy: 'occurrence', sortOrder: 'asc' }] }));
      await use().expectSame('POST', '/history/activity-instance?firstResult=1&maxResults=2', (ids: Ids) => ({ processInstanceId: ids.reviewDone, sorting: [{ sortBy: 'activityId', sortOrder: 'desc' }] }));
      await use().expectSame('POST', '/history/activity-instance', (ids: Ids) => ({ processInstanceId: ids.reviewHalf, activityType: 'userTask', unfinished: true }));
      await use().expectSame('POST', '/history/activity-instance/count', (ids: Ids) => ({ processInstanceId: ids.reviewHalf, finished: true }));
      await use().expectSame('POST', '/history/activity-instance/count', (ids: Ids) => ({ processInstanceId: ids.reviewOpen, taskAssignee: 'queries-anna' }));
      await use().expectSame('POST', '/history/activity-instance/count', (ids: Ids) => ({ processDefinitionId: 'no-such-definition', executionId: ids.reviewOpen }));
      await use().expectSame('GET', (ids) => `/history/activity-instance/count?executionId=${ids.reviewOpen}&activityType=userTask`);
      await use().expectSame('POST', '/history/activity-instance', (ids: Ids) => ({ processInstanceId: ids.reviewDone, sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] }));
    });

    it('should list and count historic tasks in the query string and a POST body as Operaton does', async () => {
      await use().expectSame('GET', `/history/task/count?processDefinitionKey=${REVIEW}`);
      await use().expectSame('GET', `/history/task/count?processDefinitionKey=${REVIEW}&taskAssignee=queries-anna&finished=true`);
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, taskDefinitionKey: 'Task_Review', sorting: [{ sortBy: 'priority', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/history/task?firstResult=2&maxResults=5', { processDefinitionKey: REVIEW, taskDefinitionKey: 'Task_Review', sorting: [{ sortBy: 'priority', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, taskDefinitionKeyIn: ['Task_Archive'], finished: true });
      await use().expectSame('POST', '/history/task', { processInstanceBusinessKeyLike: 'QUERIES-review%', unfinished: true, sorting: [{ sortBy: 'taskName', sortOrder: 'asc' }, { sortBy: 'priority', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskAssignee: 'queries-anna' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, unassigned: true, processUnfinished: true });
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] });
    });

    it('should filter historic tasks by business keys, definition, owner, process variables and or-queries as Operaton does', async () => {
      await use().expectSame('POST', '/history/task/count', { processInstanceBusinessKeyIn: ['QUERIES-reviewDone', 'QUERIES-reviewOpen'] });
      await use().expectSame('POST', '/history/task/count', { processDefinitionName: 'Differential queries review' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskAssigneeLike: 'queries-%', taskOwnerLike: '%' });
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, taskDefinitionKey: 'Task_Review', processVariables: [{ name: 'urgency', operator: 'lt', value: 70 }], sorting: [{ sortBy: 'priority', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, orQueries: [{ taskAssignee: 'queries-ben', taskName: 'Archive order' }], sorting: [{ sortBy: 'taskName', sortOrder: 'asc' }, { sortBy: 'priority', sortOrder: 'asc' }] }, { unordered: true });
      await use().expectSame('GET', `/history/task/count?processDefinitionKey=${REVIEW}&processVariables=reviewer_eq_queries-anna`);
    });

    it('should filter historic tasks by instance, execution, description, delete reason, dates and cases as Operaton does', async () => {
      await use().expectSame('POST', '/history/task', (ids: Ids) => ({ processDefinitionKey: REVIEW, rootProcessInstanceId: ids.reviewHalf, sorting: [{ sortBy: 'taskDefinitionKey', sortOrder: 'asc' }] }));
      await use().expectSame('POST', '/history/task/count', (ids: Ids) => ({ processDefinitionKey: REVIEW, executionId: ids.reviewHalf }));
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskParentTaskId: 'no-such-task' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskDescriptionLike: '%' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskDeleteReasonLike: 'compl%' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, withoutTaskDueDate: true });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskDueDateBefore: '2000-01-01T00:00:00.000+0000' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskFollowUpDateAfter: '2000-01-01T00:00:00.000+0000' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, caseDefinitionKey: 'no-such-case' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, withoutTaskDueDate: true, taskDueDateAfter: '2000-01-01T00:00:00.000+0000' });
    });

    it('should filter historic tasks by their local variables as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.reviewOpen}`, undefined, { remember: { openTask: (answer) => answer.body[0].id } });
      await use().expectSame('PUT', (ids) => `/task/${ids.openTask}/localVariables/note`, { value: 'Urgent', type: 'String' });
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, taskVariables: [{ name: 'note', operator: 'eq', value: 'urgent' }], variableValuesIgnoreCase: true });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskVariables: [{ name: 'urgency', operator: 'eq', value: 80 }] });
      await use().expectSame('GET', `/history/task/count?processDefinitionKey=${REVIEW}&taskVariables=note_like_Urg%25`);
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, processVariables: [{ name: 'urgency', operator: 'near', value: 80 }] });
    });

    it('should filter historic tasks by the users and groups of their identity links as Operaton does', async () => {
      await use().expectSame('POST', '/history/task', { processDefinitionKey: REVIEW, taskInvolvedUser: 'queries-anna', sorting: [{ sortBy: 'priority', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskInvolvedGroup: 'queries-clerks' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskHadCandidateUser: 'queries-carl' });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, taskHadCandidateGroup: 'queries-clerks', finished: true });
      await use().expectSame('POST', '/history/task/count', { processDefinitionKey: REVIEW, withCandidateGroups: true });
      await use().expectSame('GET', `/history/task/count?processDefinitionKey=${REVIEW}&withoutCandidateGroups=true`);
    });

    it('should list and count historic variables from a POST body as Operaton does', async () => {
      await use().expectSame('POST', '/history/variable-instance', (ids: Ids) => ({ processInstanceId: ids.reviewDone, sorting: [{ sortBy: 'variableName', sortOrder: 'asc' }] }));
      await use().expectSame('POST', '/history/variable-instance?firstResult=1&maxResults=1', (ids: Ids) => ({ processInstanceId: ids.reviewDone, sorting: [{ sortBy: 'variableName', sortOrder: 'desc' }] }));
      await use().expectSame('POST', '/history/variable-instance', (ids: Ids) => ({ processInstanceIdIn: [ids.reviewDone, ids.reviewOpen], variableName: 'reviewer' }), { unordered: true });
      await use().expectSame('POST', '/history/variable-instance', { processDefinitionKey: REVIEW, variableNameLike: 'verd%' }, { unordered: true });
      await use().expectSame('POST', '/history/variable-instance?deserializeValues=false', (ids: Ids) => ({ processInstanceId: ids.reviewOpen, variableTypeIn: ['integer'] }));
      await use().expectSame('POST', '/history/variable-instance/count', { processDefinitionKey: REVIEW });
      await use().expectSame('POST', '/history/variable-instance/count', { processDefinitionKey: REVIEW, variableName: 'urgency' });
      await use().expectSame('POST', '/history/variable-instance', { processDefinitionKey: REVIEW, sorting: [{ sortBy: 'nonsense', sortOrder: 'asc' }] });
    });

    it('should filter historic variables by names and by a value as Operaton does', async () => {
      await use().expectSame('POST', '/history/variable-instance/count', { processDefinitionKey: REVIEW, variableNameIn: ['reviewer', 'verdict'] });
      await use().expectSame('POST', '/history/variable-instance', { processDefinitionKey: REVIEW, variableName: 'reviewer', variableValue: 'queries-anna' }, { unordered: true });
      await use().expectSame('POST', '/history/variable-instance/count', { processDefinitionKey: REVIEW, variableName: 'urgency', variableValue: 40 });
      await use().expectSame('POST', '/history/variable-instance/count', (ids: Ids) => ({ processDefinitionKey: REVIEW, executionIdIn: [ids.reviewHalf, 'no-such-execution'] }));
      await use().expectSame('GET', `/history/variable-instance/count?processDefinitionKey=${REVIEW}&variableName=reviewer&variableValue=QUERIES-BEN&variableValuesIgnoreCase=true`);
    });

    it('should count historic decision instances by decision and evaluation as Operaton does', async () => {
      await use().expectSame('GET', `/history/decision-instance/count?decisionDefinitionKey=${GRADE}`);
      await use().expectSame('GET', `/history/decision-instance/count?decisionDefinitionKeyIn=${GRADE},no-such-decision&rootDecisionInstancesOnly=true`);
      await use().expectSame('GET', `/history/decision-instance/count?decisionDefinitionKey=${GRADE}&evaluatedAfter=${encodeURIComponent(inMinutes(10))}`);
      await use().expectSame('GET', '/history/decision-instance/count?decisionDefinitionKey=no-such-decision');
    });
  });
});


