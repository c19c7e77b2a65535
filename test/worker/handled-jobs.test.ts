/** Tests for the Kafka transport's memory of handled jobs, which keeps a redelivered job from running twice. */
import { expect } from 'chai';
import { HandledJobs } from '../../src/worker/handled-jobs.js';

describe('worker/handled-jobs', () => {
  it('should run an attempt of a task once and skip its redelivery', async () => {
    // given
    const handled = new HandledJobs();
    let runs = 0;
    const work = async () => {
      runs++;
    };

    // when
    const first = await handled.runOnce('task-1', 1, work);
    const again = await handled.runOnce('task-1', 1, work);

    // then
    expect([first, again, runs]).to.deep.equal([true, false, 1]);
  });

  it('should run the next attempt of the same task', async () => {
    // given
    const handled = new HandledJobs();
    const ran: number[] = [];

    // when
    await handled.runOnce('task-1', 1, async () => void ran.push(1));
    await handled.runOnce('task-1', 2, async () => void ran.push(2));

    // then
    expect(ran).to.deep.equal([1, 2]);
  });

  it('should make a duplicate wait until the first run has ended', async () => {
    // given: a first run still busy
    const handled = new HandledJobs();
    let finish!: () => void;
    const events: string[] = [];
    const first = handled.runOnce('task-1', 1, () => new Promise<void>((resolve) => (finish = resolve)).then(() => void events.push('first ended')));

    // when: the same job arrives again meanwhile
    const duplicate = handled.runOnce('task-1', 1, async () => void events.push('duplicate ran')).then((ran) => void events.push(`duplicate done (ran: ${ran})`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    events.push('released');
    finish();
    await Promise.all([first, duplicate]);

    // then
    expect(events).to.deep.equal(['released', 'first ended', 'duplicate done (ran: false)']);
  });

  it('should forget the oldest jobs beyond its capacity', async () => {
    // given
    const handled = new HandledJobs(2);
    let runs = 0;
    const work = async () => {
      runs++;
    };

    // when
    for (const id of ['a', 'b', 'c']) await handled.runOnce(id, 1, work);
    const oldestAgain = await handled.runOnce('a', 1, work);
    const newestAgain = await handled.runOnce('c', 1, work);

    // then
    expect(handled.size).to.equal(2);
    expect([oldestAgain, newestAgain, runs]).to.deep.equal([true, false, 4]);
  });

  it('should still skip a redelivery after the first run failed, whose side effect may have happened', async () => {
    // given
    const handled = new HandledJobs();

    // when
    const failed = await handled.runOnce('task-1', 1, async () => Promise.reject(new Error('broker gone'))).catch((error: Error) => error.message);
    const again = await handled.runOnce('task-1', 1, async () => {});

    // then
    expect([failed, again]).to.deep.equal(['broker gone', false]);
  });
});
