/** Specification of `/telemetry`: off for good, as in Camunda 7.22+ and Operaton; the data shows what would be collected. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('telemetry router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    expect((await rest.post('/process-definition/key/single-user-task/start', {})).status).to.equal(200);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should keep telemetry off whatever the configuration asks', async () => {
    expect((await rest.get('/telemetry/configuration')).body).to.deep.equal({ enableTelemetry: false });
    expect((await rest.post('/telemetry/configuration', { enableTelemetry: true })).status).to.equal(204);
    expect((await rest.get('/telemetry/configuration')).body).to.deep.equal({ enableTelemetry: false });
    const missing = await rest.post('/telemetry/configuration', {}, { undocumentedStatus: 400 });
    expect([missing.status, missing.body.message]).to.deep.equal([400, "Property 'enableTelemetry' must be a boolean."]);
  });

  it('should show the data Camunda would collect: installation, product, database and the metric counts', async () => {
    const first = await rest.get('/telemetry/data');
    expect(first.status).to.equal(200);
    expect(first.body.installation).to.match(/^[0-9a-f-]{36}$/);
    expect((await rest.get('/telemetry/data')).body.installation).to.equal(first.body.installation);
    expect(first.body.product).to.include({ name: 'Camunda BPM Runtime', version: '7.24.0', edition: 'community' });
    const internals = first.body.product.internals;
    expect(internals.database.vendor).to.equal('PostgreSQL');
    expect(internals.database.version).to.match(/^\d+/);
    expect(internals.metrics['process-instances']).to.deep.equal({ count: 1 });
    expect(Object.keys(internals.metrics).sort()).to.deep.equal(['decision-instances', 'executed-decision-elements', 'flow-node-instances', 'process-instances']);
    expect(internals['data-collection-start-date']).to.match(/\+0000$/);
  });
});
