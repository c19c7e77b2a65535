/** The Kafka readiness check against the real test broker: UP while it answers, DOWN promptly while it is stopped. */
import { expect } from 'chai';
import request from 'supertest';
import { kafkaReadinessCheck } from '../../src/kafka/kafka-readiness.js';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { createTestEngine } from '../support/test-engine.js';
import { startTestKafka, waitForKafkaAdmin, type KafkaBroker } from '../support/test-kafka.js';

describe('kafka/kafka-readiness', function () {
  this.timeout(60_000);
  let broker: KafkaBroker;
  let database: Database;

  before(async function () {
    broker = await startTestKafka(this, 'kafka/kafka-readiness');
    database = await openDatabase({});
  });

  after(async () => {
    await database?.close();
    await broker?.remove();
  });

  const settings = () => ({ brokers: broker.brokers, clientId: 'engine-test', ssl: false, sasl: null });

  it('should report Kafka UP in /health/ready while the broker answers, and DOWN with a 503 within the timeout while it is stopped', async () => {
    // given an engine whose readiness includes Kafka, checked afresh on every probe
    const { app } = createTestEngine(database, { readinessChecks: [kafkaReadinessCheck(settings(), { cacheMs: 0, timeoutMs: 2_000 })] });

    // then it is ready while the broker runs
    const up = await request(app).get('/health/ready');
    expect(up.status).to.equal(200);
    expect(up.body.checks.kafka).to.deep.equal({ status: 'UP', brokers: 1 });

    // when the broker stops
    await broker.stop();
    try {
      const began = Date.now();
      const down = await request(app).get('/health/ready');

      // then it is not ready, and says Kafka is why, within the check's timeout
      expect(Date.now() - began).to.be.below(3_000);
      expect(down.status).to.equal(503);
      expect(down.body.checks.kafka.status).to.equal('DOWN');
      expect(down.body.checks.kafka.error).to.be.a('string');
      expect(down.body.checks.database.status).to.equal('UP');
    } finally {
      await broker.start();
      await waitForKafkaAdmin(broker);
    }

    // and ready again once it is back
    expect((await request(app).get('/health/ready')).status).to.equal(200);
  });

  it('should reuse an answer for the cache period instead of asking Kafka on every probe', async () => {
    // given a check whose answers last a minute, asked once while the broker runs
    const check = kafkaReadinessCheck(settings(), { cacheMs: 60_000 });
    expect((await check.check()).status).to.equal('UP');
    await broker.stop();
    try {
      // when asked again while the broker is stopped, then the cached answer comes back at once
      const began = Date.now();
      expect((await check.check()).status).to.equal('UP');
      expect(Date.now() - began).to.be.below(50);
      // and a check without a cache sees the outage
      expect((await kafkaReadinessCheck(settings(), { cacheMs: 0 }).check()).status).to.equal('DOWN');
    } finally {
      await broker.start();
      await waitForKafkaAdmin(broker);
    }
  });
});
