/** Specification of the meter log reporter: this node's committed counts reach the meter log, periodically and on stop. */
import { expect } from 'chai';
import { deploy } from '../../src/services/deployment-service.js';
import { MeterLogReporter } from '../../src/services/meter-log-reporter.js';
import { startProcessInstance } from '../../src/services/runtime-service.js';
import { createServiceContext, type ServiceContext } from '../../src/services/service-context.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { fixture } from '../support/rest-client.js';
import { TestClock } from '../support/test-clock.js';

describeOnDatabases('meter log reporter', (use) => {
  let clock: TestClock;

  function context(intervalMs: number): ServiceContext {
    return createServiceContext(use(), { clock, options: { selfCheck: true }, meterReporting: { reporter: 'node-a', intervalMs } });
  }

  async function meterLog(): Promise<Array<{ name: string; reporter: string; value: number; timestamp: string }>> {
    const rows = await use().knex('meter_log').select('name', 'reporter', 'value', 'timestamp').orderBy(['timestamp', 'name']);
    await use().knex('meter_log').delete();
    return rows.map((row) => ({ name: row.name, reporter: row.reporter, value: Number(row.value), timestamp: new Date(row.timestamp).toISOString() }));
  }

  before(async () => {
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    await deploy(context(0), { name: 'meter-log-reporter', source: null, tenantId: null, enableDuplicateFiltering: false, deployChangedOnly: false, resources: [{ name: 'single-user-task.bpmn', content: fixture('bpmn/single-user-task.bpmn') }] });
  });

  it('should write one row per metric that moved, at the time of the report, and nothing when nothing moved', async () => {
    // given
    const ctx = context(0);
    const reporter = new MeterLogReporter(ctx);
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});

    // when
    await reporter.flush();
    const first = await meterLog();
    await reporter.flush();

    // then
    expect(first).to.deep.equal([
      { name: 'activity-instance-end', reporter: 'node-a', value: 1, timestamp: '2026-03-02T09:00:00.000Z' },
      { name: 'activity-instance-start', reporter: 'node-a', value: 2, timestamp: '2026-03-02T09:00:00.000Z' },
      { name: 'root-process-instance-start', reporter: 'node-a', value: 1, timestamp: '2026-03-02T09:00:00.000Z' },
    ]);
    expect(await meterLog()).to.deep.equal([]);
  });

  it('should report every interval once started, and what is left when stopped', async () => {
    // given a reporter writing every 50 ms
    const ctx = context(50);
    const reporter = new MeterLogReporter(ctx);
    reporter.start();
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});

    // when the interval passes
    let reported: Awaited<ReturnType<typeof meterLog>> = [];
    for (let i = 0; i < 100 && reported.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reported = await meterLog();
    }
    expect(reported.map((row) => row.name)).to.include('root-process-instance-start');

    // and when stopped with counts not reported yet
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});
    await reporter.stop();

    // then they are written, and no later report follows
    expect((await meterLog()).find((row) => row.name === 'root-process-instance-start')?.value).to.equal(1);
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await meterLog()).to.deep.equal([]);
  });

  it('should keep the counts of a report that failed for the next one', async () => {
    // given counts, and a meter log that cannot be written
    const ctx = context(0);
    const reporter = new MeterLogReporter(ctx);
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});
    await use().knex.schema.renameTable('meter_log', 'meter_log_away');

    // when
    let failed = false;
    try {
      await reporter.flush();
    } catch {
      failed = true;
    } finally {
      await use().knex.schema.renameTable('meter_log_away', 'meter_log');
    }
    await startProcessInstance(ctx, { key: 'single-user-task' }, {});
    await reporter.flush();

    // then
    expect(failed).to.equal(true);
    expect((await meterLog()).find((row) => row.name === 'root-process-instance-start')?.value).to.equal(2);
  });
});
