/** LISTEN/NOTIFY through the Notifier on both back ends, including transactional delivery and reconnects. */
import { expect } from 'chai';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { notify } from '../../src/persistence/notifier.js';
import { describeOnDatabases, openTestPostgres, requirePostgres } from '../support/test-databases.js';
import { waitFor } from '../support/wait-for.js';

describeOnDatabases('notifier', (use) => {
  it('should deliver a notification sent inside a committed transaction', async () => {
    const received: string[] = [];
    const unlisten = await use().notifier.listen('committed_ch', (payload) => received.push(payload));
    await use().knex.transaction(async (trx) => {
      await notify(trx, 'committed_ch', 'hello');
      // Not before commit: a waker must never see work its transaction has not made visible.
      expect(received).to.deep.equal([]);
    });
    await waitFor(() => received.length === 1, 'the committed notification');
    expect(received).to.deep.equal(['hello']);
    await unlisten();
  });

  it('should not deliver a notification sent in a rolled-back transaction', async () => {
    const received: string[] = [];
    const unlisten = await use().notifier.listen('rolled_back_ch', (payload) => received.push(payload));
    await use()
      .knex.transaction(async (trx) => {
        await notify(trx, 'rolled_back_ch', 'lost');
        throw new Error('roll back');
      })
      .catch(() => {});
    // Notifications arrive in commit order, so once the marker is here the rolled-back one would have been too.
    await notify(use().knex, 'rolled_back_ch', 'marker');
    await waitFor(() => received.includes('marker'), 'the marker notification');
    expect(received).to.deep.equal(['marker']);
    await unlisten();
  });

  it('should call every handler of a channel and stop after unlisten', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const unlistenFirst = await use().notifier.listen('shared_ch', (p) => first.push(p));
    const unlistenSecond = await use().notifier.listen('shared_ch', (p) => second.push(p));
    await notify(use().knex, 'shared_ch', 'one');
    await waitFor(() => first.length === 1 && second.length === 1, 'both handlers');
    await unlistenFirst();
    await notify(use().knex, 'shared_ch', 'two');
    await waitFor(() => second.length === 2, 'the remaining handler');
    expect(first).to.deep.equal(['one']);
    expect(second).to.deep.equal(['one', 'two']);
    await unlistenSecond();
  });

  it('should have LISTEN in effect for every concurrent first listener once it resolves', async () => {
    const received: string[] = [];
    const unlistens = await Promise.all([
      use().notifier.listen('concurrent_ch', (p) => received.push(`a:${p}`)),
      use().notifier.listen('concurrent_ch', (p) => received.push(`b:${p}`)),
    ]);
    await notify(use().knex, 'concurrent_ch', 'x');
    await waitFor(() => received.length === 2, 'both concurrent handlers');
    expect(received.sort()).to.deep.equal(['a:x', 'b:x']);
    for (const unlisten of unlistens) await unlisten();
  });

  it('should reject channel names that LISTEN and pg_notify would treat differently', async () => {
    let error: unknown;
    try {
      await use().notifier.listen('Mixed-Case', () => {});
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('Invalid notification channel');
  });
});

describe('postgresql notifier', function () {
  let db: Database | undefined;
  let scratch: { url: string; drop(): Promise<void> } | undefined;

  before(async function () {
    requirePostgres(this, 'postgresql notifier');
    scratch = await openTestPostgres();
    db = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: 3000 });
  });

  after(async function () {
    await db?.close();
    await scratch?.drop();
  });

  it('should reconnect and listen again after its connection is killed', async () => {
    const database = db!;
    const received: string[] = [];
    await database.notifier.listen('reconnect_ch', (payload) => received.push(payload));
    const killed = await database.knex.raw(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity
        where application_name = 'engine-notifier' and datname = current_database()`,
    );
    expect(killed.rows).to.have.length(1);
    // Notifications sent while it reconnects are lost by design, so keep sending until one arrives.
    await waitFor(
      async () => {
        await notify(database.knex, 'reconnect_ch', 'after');
        return received.includes('after');
      },
      'a notification after reconnecting',
      10_000,
    );
  });
});
