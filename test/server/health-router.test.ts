/** Health endpoints: /health/live while the process runs, /health/ready naming each check, open without credentials. */
import { expect } from 'chai';
import request from 'supertest';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import type { ReadinessCheck } from '../../src/services/readiness.js';
import { createTestEngine } from '../support/test-engine.js';
import { describeOnDatabases, openTestPostgres, TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';

const LAST_MIGRATION = migrations[migrations.length - 1].name;

describeOnDatabases('server/health-router', (db) => {
  it('should answer /health/live with UP', async () => {
    const { app } = createTestEngine(db());

    const res = await request(app).get('/health/live');

    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'UP' });
  });

  it('should answer /health/ready with 200 when the database answers and every migration is applied', async () => {
    const { app } = createTestEngine(db());

    const res = await request(app).get('/health/ready');

    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.body).to.deep.equal({ status: 'UP', checks: { database: { status: 'UP', kind: db().kind }, migrations: { status: 'UP' } } });
  });

  it('should answer 503 naming a migration the database has not applied', async () => {
    // given a database one migration behind this build
    const { app } = createTestEngine(db());
    const [row] = await db().knex('knex_migrations').orderBy('id', 'desc').limit(1);
    expect(row.name).to.equal(LAST_MIGRATION);
    await db().knex('knex_migrations').where({ id: row.id }).delete();
    try {
      // when
      const res = await request(app).get('/health/ready');

      // then
      expect(res.status).to.equal(503);
      expect(res.body.status).to.equal('DOWN');
      expect(res.body.checks.database.status).to.equal('UP');
      expect(res.body.checks.migrations).to.deep.equal({ status: 'DOWN', pending: [row.name] });
    } finally {
      await db().knex('knex_migrations').insert(row);
    }
  });

  it('should answer 503 when a further check is DOWN, naming it', async () => {
    const down: ReadinessCheck = { name: 'kafka', check: async () => ({ status: 'DOWN', error: 'KafkaJSConnectionError' }) };
    const { app } = createTestEngine(db(), { readinessChecks: [down] });

    const res = await request(app).get('/health/ready');

    expect(res.status).to.equal(503);
    expect(res.body.checks.kafka).to.deep.equal({ status: 'DOWN', error: 'KafkaJSConnectionError' });
    expect(res.body.checks.database.status).to.equal('UP');
  });

  it('should stay open without credentials when the REST API requires them', async () => {
    const { app } = createTestEngine(db(), { basicAuthUsers: new Map([['anna', 'secret']]) });

    expect((await request(app).get('/engine-rest/process-definition')).status).to.equal(401);
    expect((await request(app).get('/health/live')).status).to.equal(200);
    expect((await request(app).get('/health/ready')).status).to.equal(200);
  });

  it('should answer 503 when the database is gone', async () => {
    // given an engine on a database that then goes away
    const scratch = db().kind === 'pglite' ? null : await openTestPostgres();
    const gone: Database = await openDatabase({ url: scratch?.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    const { app } = createTestEngine(gone);
    await gone.close();
    try {
      // when
      const res = await request(app).get('/health/ready');

      // then
      expect(res.status).to.equal(503);
      expect(res.body.checks.database.status).to.equal('DOWN');
      expect(res.body.checks.database.error).to.be.a('string');
      expect((await request(app).get('/health/live')).status).to.equal(200);
    } finally {
      await scratch?.drop();
    }
  });
});
