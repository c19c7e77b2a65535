/** Specification of `DELETE /metrics/task-worker`: Camunda's deleteTaskMetrics over the meter log's task-worker rows. */
import { expect } from 'chai';
import { insertMeterLog } from '../../../src/persistence/meter-log-repository.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('camunda metrics router: task-worker metrics', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  async function taskUsers(): Promise<number> {
    return (await rest.get('/metrics/task-users/sum')).body.result;
  }

  it('should delete the task-worker counts reported before a date, then all of them, and keep the other metrics', async () => {
    // given task-worker counts from January and March, and a process-instance count
    await insertMeterLog(engine.ctx.database.knex, [
      { name: 'unique-task-workers', reporter: 'node-a', value: 3, timestamp: new Date('2026-01-10T00:00:00Z') },
      { name: 'unique-task-workers', reporter: 'node-a', value: 4, timestamp: new Date('2026-03-10T00:00:00Z') },
      { name: 'root-process-instance-start', reporter: 'node-a', value: 5, timestamp: new Date('2026-01-10T00:00:00Z') },
    ]);
    expect(await taskUsers()).to.equal(7);

    // when the counts before February go, then March's stay
    expect((await rest.delete('/metrics/task-worker?date=2026-02-01T00:00:00.000%2B0000')).status).to.equal(204);
    expect(await taskUsers()).to.equal(4);

    // and without a date all go, the other metrics untouched
    expect((await rest.delete('/metrics/task-worker')).status).to.equal(204);
    expect(await taskUsers()).to.equal(0);
    expect((await rest.get('/metrics/process-instances/sum')).body.result).to.equal(5);
  });

  it('should refuse a date it cannot read with Camunda\'s message', async () => {
    const answer = await rest.delete('/metrics/task-worker?date=yesterday', { undocumentedStatus: 400 });
    expect([answer.status, answer.body.message]).to.deep.equal([400, 'Cannot convert value "yesterday" to java type java.util.Date']);
  });
});
