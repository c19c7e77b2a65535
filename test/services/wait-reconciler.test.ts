/** Specification of the wait reconciler's consistency rule: a wait without its activity instance fails the command. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

describeOnDatabases('wait reconciler', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('parallel-join.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should refuse a command, changing nothing, when a waiting task lost its activity instance, instead of attaching the task to the process instance', async () => {
    // given: three parallel tasks, and Task_B's task row and activity instance lost (a damaged database)
    const started = await rest.post('/process-definition/key/parallel-join/start', {});
    expect(started.status, started.text).to.equal(200);
    const instanceId = started.body.id as string;
    const tasks = (await rest.get(`/task?processInstanceId=${instanceId}`)).body as Array<{ id: string; taskDefinitionKey: string }>;
    const byKey = new Map(tasks.map((task) => [task.taskDefinitionKey, task.id]));
    await use().knex('task').where({ id: byKey.get('Task_B') }).delete();
    await use().knex('hist_activity_instance').where({ process_instance_id: instanceId, activity_id: 'Task_B' }).delete();
    const before = await checksumTables(use().knex);

    // when a command re-announces Task_B's wait
    const res = await rest.post(`/task/${byKey.get('Task_A')}/complete`, {});

    // then
    expect(res.status, res.text).to.equal(500);
    expect(res.body.type).to.equal('ProcessEngineException');
    expect(res.body.message).to.match(new RegExp(`^Process instance ${instanceId} waits at 'Task_B' \\(execution [^)]+\\), which has no activity instance$`));
    expect(await checksumTables(use().knex)).to.equal(before);
  });
});
