/** Specification of `GET /metrics`: the Prometheus text a scraper reads after a scenario of committed and rolled-back work. */
import { expect } from 'chai';
import request from 'supertest';
import { JobExecutor } from '../../../src/jobs/job-executor.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { parsePrometheusText, type Exposition } from '../../support/prometheus-text.js';
import { RestClient } from '../../support/rest-client.js';
import { TestClock } from '../../support/test-clock.js';

describeOnDatabases('metrics router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let clock: TestClock;

  async function scrape(): Promise<Exposition> {
    const res = await request(engine.app).get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/plain; version=0.0.4; charset=utf-8');
    return parsePrometheusText(res.text);
  }

  async function start(key: string): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, {});
    expect(res.status).to.equal(200);
    return res.body.id;
  }

  before(async () => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
    await rest.deployFixture('timers-intermediate-catch.bpmn');
    await rest.deployFixture('metrics-router-missing-callee.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should declare every engine metric with its type, before any work', async () => {
    const metrics = await scrape();

    expect(Object.fromEntries([...metrics.types].filter(([name]) => name.startsWith('engine_')))).to.deep.equal({
      engine_commands_total: 'counter',
      engine_transactions_committed_total: 'counter',
      engine_command_duration_seconds: 'histogram',
      engine_process_instances_started_total: 'counter',
      engine_process_instances_completed_total: 'counter',
      engine_process_instances_terminated_total: 'counter',
      engine_user_tasks_created_total: 'counter',
      engine_user_tasks_completed_total: 'counter',
      engine_external_tasks_created_total: 'counter',
      engine_external_tasks_locked_total: 'counter',
      engine_external_tasks_completed_total: 'counter',
      engine_external_tasks_failed_total: 'counter',
      engine_jobs_executed_total: 'counter',
      engine_fetch_and_lock_parked: 'gauge',
      engine_process_instances_active: 'gauge',
      engine_incidents_open: 'gauge',
      engine_jobs_due: 'gauge',
      engine_jobs_overdue: 'gauge',
      engine_job_executor_lag_seconds: 'gauge',
      engine_database_pool_connections: 'gauge',
      engine_live_engine_lookups_total: 'counter',
      engine_live_engines: 'gauge',
    });
    // Node's process metrics come along on the same registry.
    expect(metrics.types.get('process_cpu_user_seconds_total')).to.equal('counter');
    expect(metrics.types.get('nodejs_eventloop_lag_seconds')).to.equal('gauge');
  });

  it('should count committed instances, tasks and external tasks by definition key and topic', async () => {
    // given two instances of each of two definitions
    const [userA, userB] = [await start('single-user-task'), await start('single-user-task')];
    await start('single-external-task');
    await start('single-external-task');

    // when one user task is completed, one instance deleted, and both external tasks fetched: one completed, one failed
    const [task] = (await rest.get(`/task?processInstanceId=${userA}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    expect((await rest.delete(`/process-instance/${userB}`)).status).to.equal(204);
    const locked = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'work', lockDuration: 60_000 }] })).body;
    expect(locked).to.have.length(2);
    expect((await rest.post(`/external-task/${locked[0].id}/complete`, { workerId: 'w1' })).status).to.equal(204);
    expect((await rest.post(`/external-task/${locked[1].id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 })).status).to.equal(204);

    // then
    const metrics = await scrape();
    expect(metrics.value('engine_process_instances_started_total', { process_definition_key: 'single-user-task' })).to.equal(2);
    expect(metrics.value('engine_process_instances_started_total', { process_definition_key: 'single-external-task' })).to.equal(2);
    expect(metrics.value('engine_process_instances_completed_total', { process_definition_key: 'single-user-task' })).to.equal(1);
    expect(metrics.value('engine_process_instances_completed_total', { process_definition_key: 'single-external-task' })).to.equal(1);
    expect(metrics.value('engine_process_instances_terminated_total', { process_definition_key: 'single-user-task' })).to.equal(1);
    expect(metrics.value('engine_user_tasks_created_total')).to.equal(2);
    expect(metrics.value('engine_user_tasks_completed_total'), 'the deleted instance\'s task was cancelled, not completed').to.equal(1);
    expect(metrics.value('engine_external_tasks_created_total', { topic: 'work' })).to.equal(2);
    expect(metrics.value('engine_external_tasks_locked_total', { topic: 'work' })).to.equal(2);
    expect(metrics.value('engine_external_tasks_completed_total', { topic: 'work' })).to.equal(1);
    expect(metrics.value('engine_external_tasks_failed_total', { topic: 'work' })).to.equal(1);
    // cluster gauges: the failed task's instance still runs, with its incident
    expect(metrics.value('engine_process_instances_active', { process_definition_key: 'single-external-task' })).to.equal(1);
    expect(metrics.value('engine_process_instances_active', { process_definition_key: 'single-user-task' })).to.equal(undefined);
    expect(metrics.value('engine_incidents_open', { incident_type: 'failedExternalTask' })).to.equal(1);
    expect(metrics.value('engine_command_duration_seconds_count', { command: 'complete task', outcome: 'committed' })).to.equal(1);
    expect(metrics.value('engine_command_duration_seconds_count', { command: 'fetch and lock', outcome: 'committed' })).to.equal(1);
  });

  it('should count nothing of a command that rolled back', async () => {
    // given
    const before = await scrape();
    const commits = before.value('engine_transactions_committed_total')!;

    // when a start writes the instance, then fails to start the process it calls, and rolls back
    const res = await rest.post('/process-definition/key/metrics-router-missing-callee/start', {}, { undocumentedStatus: 500 });
    expect(res.status).to.be.within(400, 599);

    // then the command ran and rolled back, and counted no started instance
    const after = await scrape();
    expect(after.value('engine_process_instances_started_total', { process_definition_key: 'metrics-router-missing-callee' })).to.equal(undefined);
    expect(after.value('engine_transactions_committed_total')).to.equal(commits);
    expect(after.value('engine_command_duration_seconds_count', { command: 'start process instance', outcome: 'rolled_back' })).to.equal(1);
    expect(after.value('engine_commands_total')).to.equal(before.value('engine_commands_total')! + 1);
  });

  it('should show a due timer job as due, then overdue with the executor lag, until an executor runs it', async () => {
    // given an instance waiting an hour on its timer
    await start('timer-catch');
    expect((await scrape()).value('engine_jobs_due')).to.equal(0);

    // when the hour and 30 s more pass, then 2 minutes more
    clock.advance({ hours: 1, seconds: 30 });
    const due = await scrape();
    clock.advance({ minutes: 2 });
    const overdue = await scrape();

    // then
    expect(due.value('engine_jobs_due')).to.equal(1);
    expect(due.value('engine_jobs_overdue')).to.equal(0);
    expect(due.value('engine_job_executor_lag_seconds')).to.equal(30);
    expect(overdue.value('engine_jobs_overdue')).to.equal(1);
    expect(overdue.value('engine_job_executor_lag_seconds')).to.equal(150);

    // and when a job executor runs it
    const executor = new JobExecutor(engine.ctx, { lockOwner: 'metrics-test', lockDurationMs: 60_000, pollIntervalMs: 1_000 });
    expect(await executor.runDueJobs()).to.equal(1);
    const ran = await scrape();
    expect(ran.value('engine_jobs_due')).to.equal(0);
    expect(ran.value('engine_job_executor_lag_seconds')).to.equal(0);
    expect(ran.value('engine_jobs_executed_total', { outcome: 'successful' })).to.equal(1);
    expect(ran.value('engine_user_tasks_created_total'), 'the follow-up task after the timer').to.equal(3);
  });

  it('should show parked long polls of this node, and the database pool', async () => {
    // given a long poll waiting for a topic nobody serves
    const parked = rest.post('/external-task/fetchAndLock', { workerId: 'w2', maxTasks: 1, asyncResponseTimeout: 10_000, topics: [{ topicName: 'metrics-idle', lockDuration: 1_000 }] });
    for (let i = 0; i < 100 && engine.fetchAndLockWaiter.pending === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));

    // when
    const metrics = await scrape();

    // then
    expect(metrics.value('engine_fetch_and_lock_parked')).to.equal(1);
    const max = metrics.value('engine_database_pool_connections', { state: 'max' });
    expect(max).to.equal(use().kind === 'pglite' ? 1 : 10);
    const used = metrics.value('engine_database_pool_connections', { state: 'used' })!;
    const free = metrics.value('engine_database_pool_connections', { state: 'free' })!;
    expect(used + free).to.be.within(0, max!);
    expect(metrics.value('engine_database_pool_connections', { state: 'pending' })).to.equal(0);

    await engine.fetchAndLockWaiter.close();
    expect((await parked).body).to.deep.equal([]);
    expect((await scrape()).value('engine_fetch_and_lock_parked')).to.equal(0);
  });
});
