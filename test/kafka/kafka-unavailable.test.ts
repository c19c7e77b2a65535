/** Specification: with Kafka unreachable the engine starts, deliveries wait in the outbox, and it still stops promptly. */
import { expect } from 'chai';
import { startKafkaTransport } from '../../src/kafka/kafka-transport.js';
import { freePort } from '../../scripts/free-port.mjs';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { waitFor } from '../support/wait-for.js';

describeOnDatabases('kafka: a broker that does not answer', (use) => {
  it('should start, keep deliveries in the outbox, report the outage, and stop promptly', async function () {
    this.timeout(60_000);
    // Given a transport pointed at a port nothing listens on
    const brokers = [`127.0.0.1:${await freePort()}`];
    const engine = createTestEngine(use(), { kafka: { topicPrefix: 'down', externalTopics: '*', lockDurationMs: 60_000 } });
    const rest = new RestClient(engine.app);
    await rest.deployFixture('single-external-task.bpmn');
    const began = Date.now();
    const transport = await startKafkaTransport(engine.ctx, { brokers, clientId: 'engine-test', ssl: false, sasl: null, topicPrefix: 'down', externalTopics: '*', partitions: 1, replicationFactor: 1 }, { pollIntervalMs: 100 });
    expect(Date.now() - began, 'start-up waits for Kafka').to.be.lessThan(10_000);
    expect(engine.warnings.some((w) => /^Kafka: cannot create topics/.test(w))).to.equal(true);

    // When an instance reaches an external task
    const id = (await rest.post('/process-definition/key/single-external-task/start', {})).body.id;

    // Then its delivery waits in the outbox while the relay backs off and says so
    await waitFor(() => engine.ctx.kafkaMetrics.publishFailures > 0, 'a failed publish', 30_000);
    const rows = await engine.ctx.database.knex('outbox').select('message_key');
    expect(rows.map((row) => row.message_key)).to.include(id);
    expect(engine.warnings.some((w) => /^Outbox relay: cannot publish to Kafka/.test(w))).to.equal(true);

    // And stopping does not wait for Kafka
    const stopping = Date.now();
    await transport.stop();
    expect(Date.now() - stopping).to.be.lessThan(15_000);
  });
});
