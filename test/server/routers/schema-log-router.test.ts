/** Specification of `/schema/log`: the applied migrations as Camunda's schema log entries. */
import { expect } from 'chai';
import { migrations } from '../../../migrations/index.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('schema log router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(() => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should list every applied migration as an entry with id, timestamp and the migration as version', async () => {
    const log = await rest.get('/schema/log');
    expect(log.status).to.equal(200);
    expect(log.body.map((entry: { version: string }) => entry.version)).to.deep.equal(migrations.map((migration) => migration.name));
    expect(log.body[0]).to.have.all.keys('id', 'timestamp', 'version');
    expect(log.body[0].timestamp).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('should filter by version, sort by timestamp and page, by query string and by POST body', async () => {
    expect((await rest.get('/schema/log?version=0019-filters')).body.map((entry: { version: string }) => entry.version)).to.deep.equal(['0019-filters']);
    expect((await rest.post('/schema/log', { version: '0001-initial' })).body.map((entry: { version: string }) => entry.version)).to.deep.equal(['0001-initial']);
    expect((await rest.get('/schema/log?version=7.24.0')).body).to.deep.equal([]);
    const latest = await rest.post('/schema/log?firstResult=0&maxResults=1', { sorting: [{ sortBy: 'timestamp', sortOrder: 'desc' }] });
    expect(latest.body).to.have.length(1);
    expect((await rest.get('/schema/log?sortBy=version&sortOrder=asc', { undocumentedStatus: 400 })).body.message).to.equal("Cannot set query parameter 'sortBy' to value 'version'");
  });
});
