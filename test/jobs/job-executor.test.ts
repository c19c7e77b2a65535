/** Specification of the job executor: acquisition with lock expiry, two executors on one database, failures, retries and incidents. */
import { expect } from 'chai';
import { JobExecutor } from '../../src/jobs/job-executor.js';
import { acquireJobs } from '../../src/services/job-service.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { TestClock } from '../support/test-clock.js';
import { RestClient } from '../support/rest-client.js';

const LOCK_MS = 300_000;

describeOnDatabases('job executor', (use) => {
  let clock: TestClock;
  let engine: TestEngine;
  let rest: RestClient;

  beforeEach(async () => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    // Each test starts without jobs left by another.
    await use().knex('job').delete();
  });

  function executorOn(node: TestEngine, lockOwner: string): JobExecutor {
    return new JobExecutor(node.ctx, { lockOwner, lockDurationMs: LOCK_MS, pollIntervalMs: 1_000, batchSize: 7 });
  }

  async function startWaiting(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await rest.post('/process-definition/key/timer-catch/start', {})).body.id);
    return ids;
  }

  it('should fire each of 60 due timers exactly once when two executors on two nodes run at the same time', async () => {
    // given: two nodes (own caches) on one database, 60 timers due in the same second
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    const instanceIds = await startWaiting(60);
    const other = createTestEngine(use(), { clock });
    clock.advance({ hours: 1 });

    // when
    const [firedByA, firedByB] = await Promise.all([executorOn(engine, 'node-a').runDueJobs(), executorOn(other, 'node-b').runDueJobs()]);

    // then
    expect(firedByA + firedByB).to.equal(60);
    const tasks = (await rest.get('/task?taskDefinitionKey=Task_FollowUp')).body as Array<{ processInstanceId: string }>;
    expect(tasks.map((task) => task.processInstanceId).sort()).to.deep.equal([...instanceIds].sort());
    expect((await rest.get('/job/count')).body.count).to.equal(0);
    expect(engine.warnings.concat(other.warnings).filter((warning) => warning.includes('failed'))).to.deep.equal([]);
  });

  it('should leave a job acquired by a node that died alone until its lock expires, then run it once elsewhere', async () => {
    // given: node A acquires the due job and dies before running it
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    const [instanceId] = await startWaiting(1);
    clock.advance({ hours: 1 });
    const acquired = await acquireJobs(engine.ctx, 'node-a', LOCK_MS, 10);
    expect(acquired.map((job) => job.process_instance_id)).to.deep.equal([instanceId]);
    const survivor = executorOn(createTestEngine(use(), { clock }), 'node-b');

    // when: node B looks before and after the lock expires
    const beforeExpiry = await survivor.runDueJobs();
    clock.advance({ minutes: 5, seconds: 1 });
    const afterExpiry = await survivor.runDueJobs();

    // then
    expect(beforeExpiry).to.equal(0);
    expect(afterExpiry).to.equal(1);
    expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((task: { name: string }) => task.name)).to.deep.equal(['Follow up']);
  });

  it('should hand the jobs it acquired but did not run back when it stops, so another node runs them at once', async () => {
    // given: node A acquired the due job, then stops before running it
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    const [instanceId] = await startWaiting(1);
    clock.advance({ hours: 1 });
    expect(await acquireJobs(engine.ctx, 'node-a', LOCK_MS, 10)).to.have.length(1);

    // when
    await executorOn(engine, 'node-a').stop();
    const ranByB = await executorOn(createTestEngine(use(), { clock }), 'node-b').runDueJobs();

    // then: no waiting for the five-minute lock
    expect(ranByB).to.equal(1);
    expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((task: { name: string }) => task.name)).to.deep.equal(['Follow up']);
  });

  it('should not run a job whose lock another node took over after this node\'s lock expired', async () => {
    // given: A's lock expired and B acquired the job
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    await startWaiting(1);
    clock.advance({ hours: 1 });
    const [job] = await acquireJobs(engine.ctx, 'node-a', LOCK_MS, 10);
    clock.advance({ minutes: 6 });
    expect(await acquireJobs(engine.ctx, 'node-b', LOCK_MS, 10)).to.have.length(1);

    // when: A, waking late, tries to run what it acquired
    const { executeJob } = await import('../../src/services/job-service.js');
    const outcome = await executeJob(engine.ctx, job!, 'node-a');

    // then
    expect(outcome).to.equal('skipped');
    expect((await rest.get(`/job/${job!.id}`)).body.retries).to.equal(3);
  });

  describe('a job that fails', () => {
    async function failingJob(): Promise<{ instanceId: string; jobId: string }> {
      await rest.deployFixture('job-executor-failing-timer.bpmn');
      const instanceId = (await rest.post('/process-definition/key/failing-timer/start', {})).body.id;
      const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;
      clock.advance({ minutes: 5 });
      return { instanceId, jobId: job.id };
    }

    it('should lose one retry per run, keep its exception, and raise a failedJob incident after the third', async () => {
      // given
      const { instanceId, jobId } = await failingJob();
      const executor = executorOn(engine, 'node-a');

      // when: three runs fail
      const retries: number[] = [];
      for (let run = 0; run < 3; run++) {
        await executor.runDueJobs();
        retries.push((await rest.get(`/job/${jobId}`)).body.retries);
      }

      // then
      expect(retries).to.deep.equal([2, 1, 0]);
      const job = (await rest.get(`/job/${jobId}`)).body;
      expect(job.exceptionMessage).to.contain('tariff');
      expect(job.failedActivityId).to.equal('Timer_Wait');
      const stacktrace = await rest.download(`/job/${jobId}/stacktrace`);
      expect(stacktrace.status).to.equal(200);
      expect(stacktrace.bytes.toString()).to.contain('tariff');
      const [incident] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
      expect(incident).to.include({ incidentType: 'failedJob', configuration: jobId, activityId: 'Timer_Wait' });
      expect((await rest.get('/job/count?noRetriesLeft=true')).body.count).to.equal(1);
      // nothing of the failed runs was committed: the instance still waits at the timer
      expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    });

    it('should resolve the incident when retries are set, and complete once the cause is gone', async () => {
      // given: a job out of retries
      const { instanceId, jobId } = await failingJob();
      const executor = executorOn(engine, 'node-a');
      for (let run = 0; run < 3; run++) await executor.runDueJobs();

      // when: the variable the expression needs is set, and the job gets a retry
      expect((await rest.put(`/process-instance/${instanceId}/variables/tariff`, { value: '{"price":12}', type: 'Json' })).status).to.equal(204);
      expect((await rest.put(`/job/${jobId}/retries`, { retries: 1 })).status).to.equal(204);
      const incidentsAfterRetry = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
      await executor.runDueJobs();

      // then
      expect(incidentsAfterRetry).to.deep.equal([]);
      expect((await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body[0]).to.include({ resolved: true });
      expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((task: { name: string }) => task.name)).to.deep.equal(['Done']);
      expect((await rest.get(`/job/${jobId}`)).status).to.equal(404);
    });

    it('should answer 500 with the cause when executed over REST, and lose a retry', async () => {
      // given
      const { jobId } = await failingJob();

      // when
      const res = await rest.post(`/job/${jobId}/execute`, {}, { undocumentedStatus: 500 });

      // then
      expect(res.status).to.equal(500);
      expect(res.body.message).to.contain('tariff');
      expect((await rest.get(`/job/${jobId}`)).body.retries).to.equal(2);
    });
  });

  it('should move a job to a new due date, and run it at once with execute', async () => {
    // given
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    const [instanceId] = await startWaiting(1);
    const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;

    // when
    expect((await rest.put(`/job/${job.id}/duedate`, { duedate: '2026-03-02T09:30:00.000+0000' })).status).to.equal(204);
    const moved = (await rest.get(`/job/${job.id}`)).body;
    expect((await rest.post(`/job/${job.id}/execute`, {})).status).to.equal(204);

    // then
    expect(moved.dueDate).to.equal('2026-03-02T09:30:00.000+0000');
    expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((task: { name: string }) => task.name)).to.deep.equal(['Follow up']);
  });

  it('should answer 404 in Camunda\'s format for a job that does not exist', async () => {
    const res = await rest.get('/job/nope', { undocumentedStatus: 404 });
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Job with id nope does not exist', code: 0 });
  });
});
