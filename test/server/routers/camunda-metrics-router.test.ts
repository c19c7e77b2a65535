/** Specification of `/engine-rest/metrics`: Camunda's meter log, written by the reporter, as sums and interval lists. */
import { hostname } from 'node:os';
import { expect } from 'chai';
import { JobExecutor } from '../../../src/jobs/job-executor.js';
import { MeterLogReporter } from '../../../src/services/meter-log-reporter.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';
import { TestClock } from '../../support/test-clock.js';

describeOnDatabases('camunda metrics router', (use) => {
  const reporter = hostname();
  let engine: TestEngine;
  let rest: RestClient;
  let clock: TestClock;
  let meterLog: MeterLogReporter;

  async function start(times: number): Promise<void> {
    for (let i = 0; i < times; i++) expect((await rest.post('/process-definition/key/single-user-task/start', {})).status).to.equal(200);
  }

  async function sum(name: string, query = ''): Promise<number> {
    const res = await rest.get(`/metrics/${name}/sum${query}`);
    expect(res.status).to.equal(200);
    return res.body.result;
  }

  before(async () => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    meterLog = new MeterLogReporter(engine.ctx);
    await rest.deployFixture('single-user-task.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should sum what this node counted before it reported, and list nothing yet', async () => {
    // when two instances start (each: a start event that ended, a user task that waits)
    await start(2);

    // then
    expect(await sum('process-instances')).to.equal(2);
    expect(await sum('root-process-instance-start')).to.equal(2);
    expect(await sum('flow-node-instances')).to.equal(4);
    expect(await sum('activity-instance-end')).to.equal(2);
    expect(await sum('job-successful')).to.equal(0);
    expect((await rest.get('/metrics')).body).to.deep.equal([]);
  });

  it('should list a report by interval, latest first, under the name asked for or the internal one', async () => {
    // given the first report at 09:00, and one more instance reported at 09:20
    await meterLog.flush();
    clock.advance({ minutes: 20 });
    await start(1);
    await meterLog.flush();

    // when / then
    expect((await rest.get('/metrics?name=process-instances')).body).to.deep.equal([
      { timestamp: '2026-03-02T09:15:00.000+0000', name: 'process-instances', reporter, value: 1 },
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'process-instances', reporter, value: 2 },
    ]);
    expect((await rest.get('/metrics?name=process-instances&interval=3600')).body).to.deep.equal([
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'process-instances', reporter, value: 3 },
    ]);
    expect((await rest.get('/metrics?interval=3600')).body).to.deep.equal([
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'activity-instance-end', reporter, value: 3 },
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'activity-instance-start', reporter, value: 6 },
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'root-process-instance-start', reporter, value: 3 },
    ]);
    expect(await sum('process-instances'), 'nothing left unreported').to.equal(3);
  });

  it('should filter by start date (inclusive) and end date (exclusive), and page', async () => {
    expect(await sum('process-instances', '?startDate=2026-03-02T09:20:00.000%2B0000')).to.equal(1);
    expect(await sum('process-instances', '?endDate=2026-03-02T09:20:00.000%2B0000')).to.equal(2);
    expect(await sum('process-instances', '?startDate=2026-03-02T09:00:00.001%2B0000&endDate=2026-03-02T09:20:00.000%2B0000')).to.equal(0);
    expect((await rest.get('/metrics?startDate=2026-03-02T09:10:00.000%2B0000')).body.map((row: { name: string }) => row.name)).to.deep.equal(['activity-instance-end', 'activity-instance-start', 'root-process-instance-start']);
    expect((await rest.get('/metrics?name=process-instances&firstResult=1&maxResults=1')).body).to.deep.equal([
      { timestamp: '2026-03-02T09:00:00.000+0000', name: 'process-instances', reporter, value: 2 },
    ]);
  });

  it('should add counts not reported yet to this reporter\'s latest interval', async () => {
    // when one more instance starts, unreported
    await start(1);

    // then
    expect((await rest.get('/metrics?name=process-instances&maxResults=1')).body).to.deep.equal([
      { timestamp: '2026-03-02T09:15:00.000+0000', name: 'process-instances', reporter, value: 2 },
    ]);
    expect(await sum('process-instances')).to.equal(4);
    // a range that ends before the last report window holds reported counts only
    expect(await sum('process-instances', '?endDate=2026-03-02T09:01:00.000%2B0000')).to.equal(2);
    await meterLog.flush();
  });

  it('should list each reporter, or aggregate them whatever aggregateByReporter says', async () => {
    // given another node's report in the same interval
    await use().knex('meter_log').insert({ name: 'root-process-instance-start', reporter: 'other-node', value: 5, timestamp: new Date('2026-03-02T09:21:00.000Z'), milliseconds: Date.parse('2026-03-02T09:21:00.000Z') });

    // when / then
    expect((await rest.get('/metrics?name=process-instances&startDate=2026-03-02T09:15:00.000%2B0000')).body).to.have.deep.members([
      { timestamp: '2026-03-02T09:15:00.000+0000', name: 'process-instances', reporter, value: 2 },
      { timestamp: '2026-03-02T09:15:00.000+0000', name: 'process-instances', reporter: 'other-node', value: 5 },
    ]);
    expect((await rest.get('/metrics?name=process-instances&startDate=2026-03-02T09:15:00.000%2B0000&reporter=other-node')).body).to.have.length(1);
    // as Camunda's REST layer: the parameter's presence aggregates, even "false"
    for (const value of ['true', 'false']) {
      expect((await rest.get(`/metrics?name=process-instances&startDate=2026-03-02T09:15:00.000%2B0000&aggregateByReporter=${value}`)).body).to.deep.equal([
        { timestamp: '2026-03-02T09:15:00.000+0000', name: 'process-instances', reporter: null, value: 7 },
      ]);
    }
    expect(await sum('process-instances')).to.equal(9);
  });

  it('should count job acquisition attempts and acquired jobs', async () => {
    // when an executor looks for due jobs and finds none
    const executor = new JobExecutor(engine.ctx, { lockOwner: 'camunda-metrics-test', lockDurationMs: 60_000, pollIntervalMs: 1_000 });
    expect(await executor.runDueJobs()).to.equal(0);

    // then
    expect(await sum('job-acquisition-attempt')).to.equal(1);
    expect(await sum('job-acquired-success')).to.equal(0);
  });

  it('should answer a metric the engine does not count with 0', async () => {
    expect(await sum('task-users')).to.equal(0);
  });

  it('should count a decision table\'s (inputs + outputs) × rules as executed decision elements, summed over a DRG, as Operaton does', async () => {
    // given a table of 2 inputs, 1 output and 3 rules, and a DRG whose two tables count 12 and 6 (Operaton: 9 and 18)
    for (const name of ['differential-dish.dmn', 'business-rule-task-drg.dmn']) {
      expect((await rest.deploy([{ name, content: fixture(`dmn/${name}`) }], { 'deployment-name': name })).status).to.equal(200);
    }
    const before = await sum('executed-decision-elements');

    // when each is evaluated once
    const dish = await rest.post('/decision-definition/key/differential-dish/evaluate', { variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' } } });
    expect(dish.status).to.equal(200);
    expect(await sum('executed-decision-elements')).to.equal(before + 9);
    const beverages = await rest.post('/decision-definition/key/beverages/evaluate', {
      variables: { season: { value: 'Winter', type: 'String' }, guestsWithChildren: { value: true, type: 'Boolean' }, guestCount: { value: 4, type: 'Integer' } },
    });
    expect(beverages.status).to.equal(200);

    // then
    expect(await sum('executed-decision-elements')).to.equal(before + 9 + 18);
  });

  it('should refuse invalid parameters in Camunda\'s error format', async () => {
    const badDate = await rest.get('/metrics/process-instances/sum?startDate=yesterday', { undocumentedStatus: 400 });
    expect(badDate.status).to.equal(400);
    expect(badDate.body).to.include({ type: 'InvalidRequestException', message: 'Cannot convert value "yesterday" to java type java.util.Date' });
    const badEndDate = await rest.get('/metrics?endDate=tomorrow', { undocumentedStatus: 400 });
    expect(badEndDate.status).to.equal(400);
    expect(badEndDate.body).to.include({ type: 'InvalidRequestException', message: 'Cannot convert value "tomorrow" to java type java.util.Date' });

    const tooMany = await rest.get('/metrics?maxResults=201', { undocumentedStatus: 500 });
    expect(tooMany.status).to.equal(500);
    expect(tooMany.body).to.include({ type: 'ProcessEngineException', message: "Metrics interval query row limit can't be set larger than 200." });

    const badInterval = await rest.get('/metrics?interval=0');
    expect(badInterval.status).to.equal(400);
    expect(badInterval.body).to.include({ type: 'InvalidRequestException' });
    const often = await rest.get('/metrics?interval=often');
    expect(often.status).to.equal(400);
    expect(often.body).to.include({ type: 'InvalidRequestException', message: 'Cannot convert value often to java type java.lang.Long' });
    const manyPages = await rest.get('/metrics?maxResults=2147483648');
    expect(manyPages.status).to.equal(400);
    expect(manyPages.body).to.include({ type: 'InvalidRequestException', message: 'Cannot convert value 2147483648 to java type java.lang.Integer' });
    expect((await rest.get('/metrics?firstResult=-1')).status).to.equal(400);
  });
});
