/** The shutdown runner: stages in order, steps of a stage together, failures logged without stopping the rest, a grace period kept. */
import { expect } from 'chai';
import { runShutdown } from '../../src/server/graceful-shutdown.js';
import { capturedLog } from '../support/captured-log.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('server/graceful-shutdown', () => {
  it('should run the steps of a stage together and the stages one after the other', async () => {
    const events: string[] = [];
    const step = (name: string, ms: number) => ({ name, run: async () => { events.push(`${name} began`); await sleep(ms); events.push(`${name} ended`); } });

    const outcome = await runShutdown([[step('http', 30), step('jobs', 10)], [step('database', 0)]], 1_000, capturedLog().logger);

    expect(outcome).to.deep.equal({ clean: true });
    expect(events).to.deep.equal(['http began', 'jobs began', 'jobs ended', 'http ended', 'database began', 'database ended']);
  });

  it('should log a failing step by its name and error type and still run the later stages', async () => {
    const log = capturedLog();
    let closed = false;

    const outcome = await runShutdown([[{ name: 'kafka transport', run: async () => { throw new Error('broker said canary'); } }], [{ name: 'database', run: async () => { closed = true; } }]], 1_000, log.logger);

    expect(outcome).to.deep.equal({ clean: true });
    expect(closed).to.equal(true);
    const [line] = log.lines();
    expect(line).to.include({ level: 'error', step: 'kafka transport' });
    expect(line!.err.type).to.equal('Error');
    expect(log.text()).not.to.contain('canary');
  });

  it('should give up after the grace period, naming the steps that had not finished or not begun', async () => {
    const began = Date.now();

    const outcome = await runShutdown([[{ name: 'http', run: async () => {} }, { name: 'job executor', run: () => sleep(5_000) }], [{ name: 'database', run: async () => {} }]], 100, capturedLog().logger);

    expect(Date.now() - began).to.be.below(1_000);
    expect(outcome).to.deep.equal({ clean: false, unfinished: ['job executor', 'database'] });
  });
});
