/**
 * Specification of engines kept between commands (DESIGN §4): a node continues an instance on the engine of its last
 * command only while the row still holds the version that engine wrote; otherwise, and after a failed command, it
 * recovers the engine from the stored state, and the instance runs on either way.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

describeOnDatabases('services/live engines', (use) => {
  let nodeA: TestEngine;
  let nodeB: TestEngine;
  let restA: RestClient;
  let restB: RestClient;

  before(async () => {
    nodeA = createTestEngine(use());
    nodeB = createTestEngine(use());
    restA = new RestClient(nodeA.app);
    restB = new RestClient(nodeB.app);
    await restA.deployFixture('live-engines.bpmn');
  });

  const openTask = async (rest: RestClient, instanceId: string, key: string) => {
    const tasks = (await rest.get(`/task?processInstanceId=${instanceId}&taskDefinitionKey=${key}`)).body as Array<{ id: string }>;
    expect(tasks, `open ${key} tasks`).to.have.length(1);
    return tasks[0].id;
  };

  it('should continue an instance on the kept engine, recover it after another node moved it on, and end it as recovered', async () => {
    // given: node A started the instance and completed Check on the engine it kept from the start
    const instanceId = (await restA.post('/process-definition/key/live-engines/start', {})).body.id as string;
    const hitsBefore = nodeA.ctx.liveEngines.lookups.hits;
    await restA.post(`/task/${await openTask(restA, instanceId, 'Check')}/complete`, {});
    expect(nodeA.ctx.liveEngines.lookups.hits).to.equal(hitsBefore + 1);

    // when: node B rejects the review, and node A completes the rework
    await restB.post(`/task/${await openTask(restB, instanceId, 'Review')}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    const missesBefore = nodeA.ctx.liveEngines.lookups.misses;
    await restA.post(`/task/${await openTask(restA, instanceId, 'Rework')}/complete`, {});

    // then: node A recovered (B had written a newer version) and the instance ended after the rework
    expect(nodeA.ctx.liveEngines.lookups.misses).to.equal(missesBefore + 1);
    const history = (await restA.get(`/history/activity-instance?processInstanceId=${instanceId}`)).body as Array<{ activityId: string; endTime: string | null; canceled: boolean }>;
    expect(history.map((row) => row.activityId).sort()).to.deep.equal(['Check', 'Decide', 'Fork', 'Join', 'Join', 'Review', 'Rework', 'Reworked', 'Start']);
    expect(history.every((row) => row.endTime !== null && !row.canceled)).to.equal(true);
    expect((await restA.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
  });

  it('should keep no engine after a command that failed inside the engine, and run the next command from the stored state', async () => {
    // given: an instance whose engine node A keeps, Check completed on it
    const instanceId = (await restA.post('/process-definition/key/live-engines/start', {})).body.id as string;
    await restA.post(`/task/${await openTask(restA, instanceId, 'Check')}/complete`, {});
    const review = await openTask(restA, instanceId, 'Review');
    const before = await checksumTables(use().knex);

    // when: completing Review without `approved` fails in the gateway's condition, on the kept engine
    const hitsBefore = nodeA.ctx.liveEngines.lookups.hits;
    const refused = await restA.post(`/task/${review}/complete`, {}, { undocumentedStatus: 500 });

    // then: nothing changed, and the next complete recovers from the stored state and ends the instance
    expect(nodeA.ctx.liveEngines.lookups.hits).to.equal(hitsBefore + 1);
    expect(refused.status).to.be.oneOf([400, 500]);
    expect(await checksumTables(use().knex)).to.equal(before);
    const missesBefore = nodeA.ctx.liveEngines.lookups.misses;
    await restA.post(`/task/${review}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } });
    expect(nodeA.ctx.liveEngines.lookups.misses).to.equal(missesBefore + 1);
    expect((await restA.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
  });
});
