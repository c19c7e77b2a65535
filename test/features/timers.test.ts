/** Timers: intermediate catch, interrupting and non-interrupting boundary, and start events, fired by the job executor on a moved clock. */
import { expect } from 'chai';
import { JobExecutor } from '../../src/jobs/job-executor.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { TestClock } from '../support/test-clock.js';
import { fixture, RestClient } from '../support/rest-client.js';
import { parseCamundaDate } from '../../src/core/camunda-date.js';

/** A date as the REST API writes it (in the server's zone), as a UTC instant. */
function instant(camundaDate: string): string {
  return parseCamundaDate(camundaDate).toISOString();
}

describeOnDatabases('timers', (use) => {
  let clock: TestClock;
  let engine: TestEngine;
  let rest: RestClient;
  let executor: JobExecutor;

  beforeEach(() => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    engine = createTestEngine(use(), { clock, timeZone: 'Europe/Berlin' });
    rest = new RestClient(engine.app);
    executor = new JobExecutor(engine.ctx, { lockOwner: 'test-node', lockDurationMs: 300_000, pollIntervalMs: 1_000 });
  });

  async function start(key: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, { variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  async function jobsOf(query: string): Promise<any[]> {
    const res = await rest.get(`/job?${query}`);
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  async function taskNames(instanceId: string): Promise<string[]> {
    const res = await rest.get(`/task?processInstanceId=${instanceId}`);
    return res.body.map((task: { name: string }) => task.name).sort();
  }

  async function activityTypes(instanceId: string): Promise<string[]> {
    const res = await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=startTime&sortOrder=asc`);
    return res.body.map((row: { activityId: string; activityType: string }) => `${row.activityId}:${row.activityType}`);
  }

  describe('intermediate timer catch event', () => {
    it('should wait for its duration, then fire once the clock has passed it', async () => {
      // given
      await rest.deployFixture('timers-intermediate-catch.bpmn');
      const instanceId = await start('timer-catch');
      const [job] = await jobsOf(`processInstanceId=${instanceId}`);
      expect(job).to.include({ processInstanceId: instanceId, retries: 3, exceptionMessage: null, suspended: false });
      expect(instant(job.dueDate)).to.equal('2026-03-02T10:00:00.000Z');

      // when: 59 minutes pass, then one more
      clock.advance({ minutes: 59 });
      await executor.runDueJobs();
      expect(await taskNames(instanceId)).to.deep.equal([]);
      clock.advance({ minutes: 1 });
      await executor.runDueJobs();

      // then
      expect(await taskNames(instanceId)).to.deep.equal(['Follow up']);
      expect(await jobsOf(`processInstanceId=${instanceId}`)).to.deep.equal([]);
      expect(await activityTypes(instanceId)).to.include('Timer_Wait:intermediateTimer');
    });

    it('should give up the timer when the instance is deleted while it waits', async () => {
      // given
      await rest.deployFixture('timers-intermediate-catch.bpmn');
      const instanceId = await start('timer-catch');

      // when
      expect((await rest.delete(`/process-instance/${instanceId}`)).status).to.equal(204);

      // then
      expect(await jobsOf(`processInstanceId=${instanceId}`)).to.deep.equal([]);
      clock.advance({ hours: 2 });
      await executor.runDueJobs();
      expect(await taskNames(instanceId)).to.deep.equal([]);
      expect((await rest.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('EXTERNALLY_TERMINATED');
    });
  });

  describe('suspension', () => {
    it('should not fire the timer of a suspended instance, and fire it once the instance is activated', async () => {
      // given
      await rest.deployFixture('timers-intermediate-catch.bpmn');
      const instanceId = await start('timer-catch');
      expect((await rest.put(`/process-instance/${instanceId}/suspended`, { suspended: true })).status).to.equal(204);

      // when: the timer comes due while the instance is suspended
      clock.advance({ hours: 2 });
      await executor.runDueJobs();
      const whileSuspended = await taskNames(instanceId);
      const [job] = await jobsOf(`processInstanceId=${instanceId}`);
      expect((await rest.put(`/process-instance/${instanceId}/suspended`, { suspended: false })).status).to.equal(204);
      await executor.runDueJobs();

      // then
      expect(whileSuspended).to.deep.equal([]);
      expect(job.suspended).to.equal(true);
      expect(await taskNames(instanceId)).to.deep.equal(['Follow up']);
    });
  });

  describe('suspended definitions', () => {
    it('should fire no timer start event of a suspended definition, and fire it again once activated', async () => {
      // given
      const { definition } = await rest.deployFixture('timers-start-event.bpmn');
      expect((await rest.put('/process-definition/key/timer-start/suspended', { suspended: true })).status).to.equal(204);

      // when: the first hour passes while suspended, then the definition is activated
      clock.advance({ hours: 1 });
      await executor.runDueJobs();
      const whileSuspended = (await rest.get(`/history/process-instance/count?processDefinitionId=${definition.id}`)).body.count;
      const [job] = await jobsOf(`processDefinitionId=${definition.id}`);
      expect((await rest.put(`/process-definition/${definition.id}/suspended`, { suspended: false })).status).to.equal(204);
      await executor.runDueJobs();

      // then
      expect(whileSuspended).to.equal(0);
      expect(job.suspended).to.equal(true);
      expect((await rest.get(`/history/process-instance/count?processDefinitionId=${definition.id}`)).body.count).to.equal(1);
    });

    it('should suspend the running instances and their timers with includeProcessInstances', async () => {
      // given
      await rest.deployFixture('timers-intermediate-catch.bpmn');
      const instanceId = await start('timer-catch');

      // when
      expect((await rest.put('/process-definition/key/timer-catch/suspended', { suspended: true, includeProcessInstances: true })).status).to.equal(204);
      clock.advance({ hours: 2 });
      await executor.runDueJobs();

      // then
      expect((await rest.get(`/process-instance/${instanceId}`)).body.suspended).to.equal(true);
      expect(await taskNames(instanceId)).to.deep.equal([]);
      const refused = await rest.post('/process-definition/key/timer-catch/start', {}, { undocumentedStatus: 500 });
      expect(refused.body.message).to.contain('is suspended');
    });
  });

  describe('boundary timers', () => {
    it('should interrupt the task when an interrupting timer fires, and take the timer path', async () => {
      // given
      await rest.deployFixture('timers-boundary.bpmn');
      const instanceId = await start('timer-deadline');
      expect(await taskNames(instanceId)).to.deep.equal(['Review']);
      const [job] = await jobsOf(`processInstanceId=${instanceId}`);
      expect(instant(job.dueDate)).to.equal('2026-03-04T09:00:00.000Z');

      // when
      clock.advance({ days: 2 });
      await executor.runDueJobs();

      // then
      expect(await taskNames(instanceId)).to.deep.equal(['Escalate']);
      const review = (await rest.get(`/history/task?processInstanceId=${instanceId}&taskDefinitionKey=Task_Review`)).body[0];
      expect(review.deleteReason).to.equal('deleted');
      expect(await activityTypes(instanceId)).to.include('Timer_Deadline:boundaryTimer');
    });

    it('should remove the timer when the task is completed first', async () => {
      // given
      await rest.deployFixture('timers-boundary.bpmn');
      const instanceId = await start('timer-deadline');
      const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;

      // when
      expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);

      // then
      expect(await jobsOf(`processInstanceId=${instanceId}`)).to.deep.equal([]);
      expect((await rest.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
    });

    it('should fire a non-interrupting cycle three times beside the waiting task, then stop', async () => {
      // given
      await rest.deployFixture('timers-boundary.bpmn');
      const instanceId = await start('timer-reminder');

      // when: 40 minutes pass, ten at a time, and a worker sends each reminder
      const dueDates: string[] = [];
      let sent = 0;
      for (let round = 0; round < 4; round++) {
        const jobs = await jobsOf(`processInstanceId=${instanceId}`);
        dueDates.push(...jobs.map((job) => instant(job.dueDate)));
        clock.advance({ minutes: 10 });
        await executor.runDueJobs();
        const locked = await rest.post('/external-task/fetchAndLock', { workerId: 'mailer', maxTasks: 5, topics: [{ topicName: 'reminders', lockDuration: 60_000 }] });
        for (const task of locked.body) {
          expect((await rest.post(`/external-task/${task.id}/complete`, { workerId: 'mailer' })).status).to.equal(204);
          sent++;
        }
      }

      // then: three reminders went out, and the task still waits
      expect(dueDates).to.deep.equal(['2026-03-02T09:10:00.000Z', '2026-03-02T09:20:00.000Z', '2026-03-02T09:30:00.000Z']);
      expect(sent).to.equal(3);
      expect(await taskNames(instanceId)).to.deep.equal(['Answer']);
      expect(await jobsOf(`processInstanceId=${instanceId}`)).to.deep.equal([]);
      const reminders = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=Timer_Remind`)).body;
      expect(reminders.map((row: { activityType: string }) => row.activityType)).to.deep.equal(['boundaryTimer', 'boundaryTimer', 'boundaryTimer']);
    });
  });

  describe('timer start events', () => {
    it('should schedule a cycle at deployment and start an instance at each fire, twice', async () => {
      // given
      const { definition } = await rest.deployFixture('timers-start-event.bpmn');
      const [job] = await jobsOf(`processDefinitionId=${definition.id}`);
      expect(job).to.include({ processInstanceId: null, processDefinitionKey: 'timer-start' });
      expect(instant(job.dueDate)).to.equal('2026-03-02T10:00:00.000Z');

      // when: three hours pass, one at a time
      for (let hour = 0; hour < 3; hour++) {
        clock.advance({ hours: 1 });
        await executor.runDueJobs();
      }

      // then
      const started = (await rest.get(`/history/process-instance?processDefinitionId=${definition.id}`)).body;
      expect(started).to.have.length(2);
      expect(started.map((row: { startActivityId: string }) => row.startActivityId)).to.deep.equal(['StartEvent_Hourly', 'StartEvent_Hourly']);
      expect(await jobsOf(`processDefinitionId=${definition.id}`)).to.deep.equal([]);
    });

    it('should start at the none start event over REST and at the timer start event from its cron job', async () => {
      // given: the cron start event fires every day at 9 in Berlin
      await rest.deployFixture('timers-start-event.bpmn');
      const [job] = await jobsOf('processDefinitionKey=timer-cron');
      expect(instant(job.dueDate)).to.equal('2026-03-03T08:00:00.000Z');

      // when
      const byHand = await start('timer-cron');
      clock.set('2026-03-03T08:00:00.000Z');
      await executor.runDueJobs();

      // then
      expect(await taskNames(byHand)).to.deep.equal(['Started by hand']);
      const cron = (await rest.get('/process-definition/key/timer-cron')).body;
      const byTimer = (await rest.get(`/process-instance?processDefinitionId=${cron.id}`)).body.map((row: { id: string }) => row.id).filter((id: string) => id !== byHand);
      expect(byTimer).to.have.length(1);
      expect(await taskNames(byTimer[0])).to.deep.equal(['Morning round']);
      const [next] = await jobsOf('processDefinitionKey=timer-cron');
      expect(instant(next.dueDate)).to.equal('2026-03-04T08:00:00.000Z');
    });

    it('should replace the timer start jobs of the previous version when a new version is deployed', async () => {
      // given
      await rest.deployFixture('timers-start-event.bpmn');
      const changed = fixture('bpmn/timers-start-event.bpmn').toString().replace('0 0 9 * * ?', '0 30 7 * * ?');

      // when
      const res = await rest.deploy([{ name: 'timers-start-event.bpmn', content: changed }], { 'deployment-name': 'v2' });

      // then
      expect(res.status, res.text).to.equal(200);
      const jobs = await jobsOf('processDefinitionKey=timer-cron');
      expect(jobs).to.have.length(1);
      expect(jobs[0].processDefinitionId).to.equal(Object.values(res.body.deployedProcessDefinitions as Record<string, { id: string; key: string }>).find((d) => d.key === 'timer-cron')!.id);
      expect(instant(jobs[0].dueDate)).to.equal('2026-03-03T06:30:00.000Z');
    });
  });

  describe('long timers', () => {
    it('should fire a one-year timer a year later, not a day sooner', async () => {
      // given
      await rest.deployFixture('timers-long.bpmn');
      const instanceId = await start('timer-year');

      // when
      clock.advance({ days: 364 });
      await executor.runDueJobs();
      const afterDays364 = await taskNames(instanceId);
      clock.advance({ days: 1 });
      await executor.runDueJobs();

      // then
      expect(afterDays364).to.deep.equal([]);
      expect(await taskNames(instanceId)).to.deep.equal(['Renew']);
    });

    it('should fire a monthly cycle 24 times, each on the same day and hour of its month in the time zone, then stop', async () => {
      // given: 2 March 2026, 10:00 in Berlin
      await rest.deployFixture('timers-long.bpmn');
      const instanceId = await start('timer-monthly');

      // when: each time the next job is due, the clock moves there
      const dueDates: string[] = [];
      for (let month = 0; month < 25; month++) {
        const jobs = await jobsOf(`processInstanceId=${instanceId}`);
        if (jobs.length === 0) break;
        dueDates.push(instant(jobs[0].dueDate));
        clock.set(instant(jobs[0].dueDate));
        await executor.runDueJobs();
      }

      // then: 24 fires, on the 2nd at 10:00 local time (09:00 UTC in winter, 08:00 in summer), and the task still waits
      expect(dueDates).to.have.length(24);
      expect(dueDates[0]).to.equal('2026-04-02T08:00:00.000Z');
      expect(dueDates[9]).to.equal('2027-01-02T09:00:00.000Z');
      expect(dueDates[23]).to.equal('2028-03-02T09:00:00.000Z');
      expect(dueDates.every((due) => due.slice(8, 10) === '02')).to.equal(true);
      const fired = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=Timer_Monthly`)).body;
      expect(fired).to.have.length(24);
      expect(await taskNames(instanceId)).to.deep.equal(['Care plan']);
    });
  });

  describe('timer definitions', () => {
    it('should resolve expressions when the timer is reached, counting a month as a calendar month', async () => {
      // given
      await rest.deployFixture('timers-expression.bpmn');
      const instanceId = await start('timer-expression', {
        reviewDeadline: { value: '2026-03-05T12:00:00', type: 'String' },
        followUpAfter: { value: 'P1M', type: 'String' },
      });
      const [deadline] = await jobsOf(`processInstanceId=${instanceId}`);
      expect(instant(deadline.dueDate)).to.equal('2026-03-05T11:00:00.000Z');

      // when
      clock.set('2026-03-05T11:00:00.000Z');
      await executor.runDueJobs();

      // then: a month after 5 March 12:00 in Berlin is 5 April 12:00, summer time
      const [month] = await jobsOf(`processInstanceId=${instanceId}`);
      expect(instant(month.dueDate)).to.equal('2026-04-05T10:00:00.000Z');
    });

    it('should refuse a deployment whose timer is no ISO 8601 duration, naming the element and its line', async () => {
      // given
      const xml = fixture('bpmn/timers-intermediate-catch.bpmn').toString().replace('>PT1H<', '>one hour<');

      // when
      const res = await rest.deploy([{ name: 'broken-timer.bpmn', content: xml }], { 'deployment-name': 'broken' });

      // then
      expect(res.status).to.equal(400);
      const [problem] = res.body.details['broken-timer.bpmn'].errors;
      expect(problem).to.include({ mainElementId: 'Timer_Wait' });
      expect(problem.message).to.contain("'one hour' is no ISO 8601 duration");
      expect(problem.line).to.equal(xml.split('\n').findIndex((line) => line.includes('id="Timer_Wait"')) + 1);
    });
  });
});
