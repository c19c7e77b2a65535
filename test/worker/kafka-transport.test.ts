/** Tests for the Kafka transport without a broker: it keeps trying to connect, quietly for kafkajs, and a stop ends that at once. */
import { expect } from 'chai';
import { createWorker } from '../../src/worker/index.js';
import { waitFor } from '../support/wait-for.js';

describe('worker/kafka-transport without a broker', () => {
  it('should retry while the broker is down, log it as warnings, and stop at once', async () => {
    // given: a broker address nothing listens on
    const logs: string[] = [];
    const worker = createWorker({
      transport: 'kafka',
      brokers: ['127.0.0.1:9'],
      topicPrefix: 'engine',
      workerId: 'lonely',
      logger: { info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
    });
    worker.subscribe('check-eligibility', async (task) => task.complete());

    // when
    await worker.start();
    await waitFor(() => logs.some((m) => m.startsWith('warn: cannot consume')), 'the first failed connect', 10_000);
    const stoppedAt = Date.now();
    await worker.stop();

    // then
    expect(Date.now() - stoppedAt).to.be.below(500);
    expect(logs.find((m) => m.startsWith('warn: cannot consume'))).to.match(/^warn: cannot consume engine\.jobs\.check-eligibility yet \(.*ECONNREFUSED.*\); trying again in 1000 ms$/);
    expect(logs.filter((m) => m.startsWith('error: '))).to.deep.equal([]);
    expect(logs).to.include('info: worker lonely stopped');
  });
});
