/** Opens the engine's database (PostgreSQL via pg, or embedded PGlite), migrates it and wires the notifier. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import knexModule, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import pg from 'pg';
import { migrations, type Migration } from '../../migrations/index.js';
import { createPgliteNotifier, createPostgresNotifier, type Notifier } from './notifier.js';
import { acquirePidLock, type PidLock } from './pid-lock.js';

// knex is CommonJS: under native ESM only its default export exists.
const createKnex = knexModule as unknown as (config: Knex.Config) => Knex;

/** What repositories take as their first argument: the knex instance or, inside a use case, its transaction. */
export type Db = Knex | Knex.Transaction;

export interface DatabaseOptions {
  /** A PostgreSQL URL; without one the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; undefined means in-memory (tests). Ignored with `url`. */
  dataDir?: string;
  acquireConnectionTimeoutMs?: number;
  /** PostgreSQL pool size (PGlite always has exactly one session). */
  poolMax?: number;
  log?: (msg: string) => void;
}

export interface Database {
  readonly knex: Knex;
  readonly kind: 'postgresql' | 'pglite';
  readonly notifier: Notifier;
  /** The URL without its password, or the PGlite data folder (`memory` when in-memory). */
  readonly location: string;
  close(): Promise<void>;
}

/** The embedded data folder could not be opened, typically after an unclean shutdown (electric-sql/pglite#327). */
export class DamagedDataFolderError extends Error {
  readonly dataDir: string;

  constructor(dataDir: string, cause: unknown) {
    super(
      `The embedded database in ${dataDir} could not be opened and is probably damaged ` +
        `(often after the process was killed mid-write): ${cause instanceof Error ? cause.message : String(cause)}. ` +
        `The embedded database (PGlite) is meant for development and single-node trials. To recover, move the ` +
        `folder aside (e.g. mv ${dataDir} ${dataDir}.damaged) to start with an empty database, or run on ` +
        `PostgreSQL by setting DATABASE_URL.`,
      { cause },
    );
    this.name = 'DamagedDataFolderError';
    this.dataDir = dataDir;
  }
}

const DEFAULT_ACQUIRE_TIMEOUT_MS = 60_000;

/** Serves the static migration list to knex, so no directory scan is needed (works under tsx and from dist/). */
const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => ({
    up: migration.up,
    down:
      migration.down ??
      (async () => {
        throw new Error(`Migration ${migration.name} cannot be rolled back`);
      }),
  }),
};

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL (e.g. a key=value connection string): show nothing that could hold a secret.
    return 'postgresql (unparsable connection string)';
  }
}

/** Opens the database and runs pending migrations before returning. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

const MIGRATION_LOCK_KEY = 7_240_000;

/**
 * knex's own migration lock fails ("Migration table is already locked") when nodes start together; a session
 * advisory lock on a separate connection makes the second node wait for the first and then find nothing to do.
 */
async function migrateExclusively(url: string, knex: Knex): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await knex.migrate.latest({ migrationSource });
  } finally {
    await client.end();
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  // node-pg already returns int8/count(*) as strings and timestamps as Date; PGlite is configured to match.
  const knex = createKnex({
    client: 'pg',
    connection: { connectionString: url },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: options.acquireConnectionTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
  });
  try {
    await migrateExclusively(url, knex);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
  const notifier = createPostgresNotifier({ connection: { connectionString: url }, log: options.log });
  let closed = false;
  return {
    knex,
    kind: 'postgresql',
    notifier,
    location: redactUrl(url),
    async close() {
      if (closed) return;
      closed = true;
      await notifier.close();
      await knex.destroy();
    },
  };
}

/**
 * knex-pglite, yielding to the event loop before each statement. PGlite runs on this thread and settles its promises
 * without ever leaving the microtask queue, so a transaction of many statements (a deployment of 1,000 processes)
 * would otherwise keep every other request waiting until it commits.
 */
class YieldingPgliteClient extends (ClientPGLite as unknown as new (config: Knex.Config) => { _query(connection: unknown, query: unknown): Promise<unknown> }) {
  override async _query(connection: unknown, query: unknown): Promise<unknown> {
    await new Promise((resolve) => setImmediate(resolve));
    return super._query(connection, query);
  }
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  let lock: PidLock | undefined;
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    // Inside the folder, so moving the folder aside (the recovery advice) takes the lock along.
    lock = acquirePidLock(join(dataDir, 'engine.lock'), `The embedded database folder ${dataDir}`);
  }

  // INT8 as text: the same strings node-pg gives, and no precision loss or BigInt above 2^53. Bytea through Node's
  // own hex codec: PGlite's byte-by-byte one holds the event loop for about a second per 5 MB stored or read.
  const pgliteOptions = {
    parsers: {
      [types.INT8]: (value: string) => value,
      [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
    },
    serializers: {
      [types.BYTEA]: (value: Uint8Array | string) => (typeof value === 'string' ? value : `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`),
    },
  };
  let pglite: PGlite;
  try {
    pglite = dataDir === undefined ? new PGlite(pgliteOptions) : new PGlite(dataDir, pgliteOptions);
    await pglite.waitReady;
  } catch (error) {
    lock?.release();
    if (dataDir === undefined) throw error;
    throw new DamagedDataFolderError(dataDir, error);
  }

  const knex = createKnex({
    client: YieldingPgliteClient as unknown as typeof Knex.Client,
    // A function, so knex-pglite uses our instance (with the parsers) and we keep the handle for LISTEN.
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
    acquireConnectionTimeout: options.acquireConnectionTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
  });

  const notifier = createPgliteNotifier(pglite, knex, options.log);
  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    try {
      await notifier.close();
      // knex-pglite closes the PGlite instance when knex releases its only connection.
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    } finally {
      lock?.release();
    }
  }

  try {
    await knex.migrate.latest({ migrationSource });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    knex,
    kind: 'pglite',
    notifier,
    location: dataDir ?? 'memory',
    close,
  };
}
