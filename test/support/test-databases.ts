/** Runs a suite on both back ends: in-memory PGlite and a fresh database on the throwaway PostgreSQL. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { skipOrFail } from './skip-report.js';

/** Low, so a PGlite single-session deadlock fails the test quickly instead of after knex's 60 s default. */
export const TEST_ACQUIRE_TIMEOUT_MS = 3000;

/** The throwaway server's URL (set by scripts/run-tests.mjs), or undefined when none is running. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/** Skips (or, under CI=true, fails) the calling hook or test when no PostgreSQL is available. */
export function requirePostgres(ctx: Mocha.Context, suite: string): string {
  const url = testDatabaseUrl();
  if (url) return url;
  return skipOrFail(ctx, suite, 'TEST_DATABASE_URL is not set: no PostgreSQL 15 was started (npm test starts one when the binaries exist)');
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `t_<random>` on TEST_DATABASE_URL; `drop()` removes it, even with open connections. */
export async function openTestPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set; use requirePostgres(this, …) in a before hook first');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Defines `<title> (pglite)` and `<title> (postgresql)`, each with a freshly opened (and migrated) database for
 * the whole suite. `use()` returns it inside hooks and tests; the body runs once per back end.
 */
export function describeOnDatabases(title: string, body: (use: () => Database) => void): void {
  const using = (get: () => Database | undefined) => (): Database => {
    const db = get();
    if (!db) throw new Error(`${title}: the database is not open (did the before hook fail?)`);
    return db;
  };

  describe(`${title} (pglite)`, function () {
    let db: Database | undefined;
    before(async function () {
      db = await openDatabase({ acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    });
    after(async function () {
      await db?.close();
    });
    body(using(() => db));
  });

  describe(`${title} (postgresql)`, function () {
    let db: Database | undefined;
    let scratch: { url: string; drop(): Promise<void> } | undefined;
    before(async function () {
      requirePostgres(this, `${title} (postgresql)`);
      scratch = await openTestPostgres();
      db = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    });
    after(async function () {
      try {
        await db?.close();
      } finally {
        await scratch?.drop();
      }
    });
    body(using(() => db));
  });
}
