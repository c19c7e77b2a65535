/** Specification of the command kernel's recovery check: a state stored by another bpmn-engine version is never read. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

describeOnDatabases('command kernel', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
  });

  it('should refuse to run a command on an instance whose state another engine version stored, naming both versions', async () => {
    // given: an instance whose row says an older bpmn-engine wrote its state
    const instanceId = (await rest.post('/process-definition/key/single-user-task/start', {})).body.id;
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
    await use().knex('process_instance').where({ id: instanceId }).update({ engine_version: 'bpmn-engine@24.0.0' });
    const before = await checksumTables(use().knex);

    // when
    const res = await rest.post(`/task/${task.id}/complete`, {}, { undocumentedStatus: 500 });

    // then
    expect(res.status).to.equal(500);
    expect(res.body.message).to.contain('bpmn-engine@24.0.0').and.to.contain('bpmn-engine@25.0.1');
    expect(await checksumTables(use().knex)).to.equal(before);
  });
});
