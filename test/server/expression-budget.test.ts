/** A start whose expression exceeds its budget fails the command with Camunda's error and commits nothing. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture, RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

describeOnDatabases('server/expression-budget', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deploy([{ name: 'expression-budget.bpmn', content: fixture('bpmn/expression-budget.bpmn') }]);
  });

  after(async () => {
    if (engine) await engine.fetchAndLockWaiter.close();
  });

  it('should fail a start whose FEEL condition exceeds the step budget and start nothing', async () => {
    // given the state before
    const before = await checksumTables(use().knex);
    // when the gateway's condition would iterate three million times
    const res = await rest.post('/process-definition/key/expression-budget/start', { variables: { size: { value: 3_000_000, type: 'Integer' } } }, { undocumentedStatus: 500 });
    // then the command fails with the budget error and nothing is written
    expect(res.status).to.equal(500);
    expect(res.body.type).to.equal('RestException');
    expect(res.body.message).to.match(/^Cannot instantiate process definition \S+: /);
    expect(res.body.message).to.include('FEEL evaluation exceeded its budget of 100000 steps');
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should start the same process when the condition stays within the budget', async () => {
    const res = await rest.post('/process-definition/key/expression-budget/start', { variables: { size: { value: 3, type: 'Integer' } } });
    expect(res.status).to.equal(200);
    expect(res.body.ended).to.equal(true);
  });
});
