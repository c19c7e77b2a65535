/** Async continuations: asyncBefore and asyncAfter as transaction boundaries continued by jobs, with Camunda's retry cycle. */
import { expect } from 'chai';
import { JobExecutor } from '../../src/jobs/job-executor.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { TestClock } from '../support/test-clock.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('async continuations', (use) => {
  let clock: TestClock;
  let engine: TestEngine;
  let rest: RestClient;
  let executor: JobExecutor;

  before(async () => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    executor = new JobExecutor(engine.ctx, { lockOwner: 'test-node', lockDurationMs: 300_000, pollIntervalMs: 1_000 });
    await rest.deployFixture('async-continuations.bpmn');
  });

  async function start(variables: Record<string, unknown>): Promise<string> {
    const res = await rest.post('/process-definition/key/async-charge/start', { variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  const tariff = { tariff: { value: '{"price":21}', type: 'Json' } };

  it('should answer the start before the asyncBefore task runs, and run it in a job', async () => {
    // given
    const instanceId = await start(tariff);
    const variablesBefore = (await rest.get(`/process-instance/${instanceId}/variables`)).body;
    const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;

    // when
    await executor.runDueJobs();

    // then
    expect(variablesBefore).to.not.have.property('price');
    expect(job).to.include({ retries: 3, exceptionMessage: null });
    expect((await rest.get(`/job/count?processInstanceId=${instanceId}&messages=true`)).body.count).to.equal(0);
    expect((await rest.get(`/process-instance/${instanceId}/variables/price`)).body.value).to.equal(42);
    const tasks = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
    expect(tasks.map((task: { name: string }) => task.name)).to.deep.equal(['Review the charge']);
  });

  it('should list a continuation as a message job of its activity, due at once', async () => {
    const instanceId = await start(tariff);
    const jobs = (await rest.get(`/job?processInstanceId=${instanceId}&messages=true`)).body;
    expect(jobs).to.have.length(1);
    expect(jobs[0].dueDate).to.equal('2026-03-02T09:00:00.000+0000');
    expect((await rest.get(`/job?processInstanceId=${instanceId}&timers=true`)).body).to.deep.equal([]);
    await executor.runDueJobs();
  });

  it('should commit the completion of an asyncAfter task and end the instance in the job after it', async () => {
    // given
    const instanceId = await start(tariff);
    await executor.runDueJobs();
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;

    // when
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    const stateAfterComplete = (await rest.get(`/history/process-instance/${instanceId}`)).body.state;
    await executor.runDueJobs();

    // then
    expect(stateAfterComplete).to.equal('ACTIVE');
    expect((await rest.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
    const activities = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=startTime&sortOrder=asc`)).body.map((row: { activityId: string }) => row.activityId);
    expect(activities).to.have.members(['StartEvent_1', 'Task_Charge', 'Task_Review', 'EndEvent_1']);
  });

  it('should retry a failing continuation as camunda:failedJobRetryTimeCycle says, then raise an incident', async () => {
    // given: no tariff, so the charge fails
    const instanceId = await start({});
    const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;

    // when: it fails, is not retried before five minutes, then fails again
    await executor.runDueJobs();
    const afterFirst = (await rest.get(`/job/${job.id}`)).body;
    await executor.runDueJobs();
    const unchanged = (await rest.get(`/job/${job.id}`)).body;
    clock.advance({ minutes: 5 });
    await executor.runDueJobs();
    const afterSecond = (await rest.get(`/job/${job.id}`)).body;

    // then: R2 allows two runs in all, five minutes apart
    expect(afterFirst).to.include({ retries: 1, dueDate: '2026-03-02T09:05:00.000+0000', failedActivityId: 'Task_Charge' });
    expect(unchanged.retries).to.equal(1);
    expect(afterSecond.retries).to.equal(0);
    const [incident] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
    expect(incident).to.include({ incidentType: 'failedJob', activityId: 'Task_Charge', configuration: job.id });
    expect((await rest.get(`/process-instance/${instanceId}/variables`)).body).to.not.have.property('price');
  });
});
