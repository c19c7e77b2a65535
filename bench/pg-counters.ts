/**
 * Commits counted by PostgreSQL itself, never by an engine: writing transactions from transaction ids, and all
 * commits (read-only ones too) per database from pg_stat_database.
 */
import pg from 'pg';

/**
 * An idle backend flushes its statistics at most once a second and, when it was throttled, only after
 * PGSTAT_IDLE_INTERVAL (10 s in PostgreSQL 15): a reading of xact_commit is complete only this long after the work.
 */
export const STATS_FLUSH_WAIT_MS = 11_000;

/**
 * The next transaction id of the cluster: every writing transaction since the last reading took one, and so does
 * this reading itself (subtracted by `writesSince`). Only one engine runs at a time, and nothing else writes.
 */
export async function transactionId(db: pg.Client): Promise<number> {
  return Number((await db.query<{ n: string }>('select txid_current()::bigint as n')).rows[0].n);
}

export async function writesSince(db: pg.Client, before: number): Promise<number> {
  return (await transactionId(db)) - before - 1;
}

export class PgCounters {
  private readings = 0;

  private constructor(private readonly client: pg.Client) {}

  /**
   * Connects to `url`. Measure from a database no engine uses (e.g. `postgres`), so these queries never count in an
   * engine database's xact_commit.
   */
  static async connect(url: string): Promise<PgCounters> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new PgCounters(client);
  }

  /**
   * Writing transactions of the whole cluster so far: every one took a transaction id, a read-only one takes none.
   * Each reading takes one too, so readings are subtracted and the difference of two readings is exact.
   */
  async writes(): Promise<number> {
    const id = await transactionId(this.client);
    this.readings += 1;
    return id - this.readings;
  }

  /** xact_commit per database, read from a fresh snapshot (a session otherwise keeps its first one until it ends). */
  async commits(): Promise<Map<string, number>> {
    await this.client.query('select pg_stat_clear_snapshot()');
    const { rows } = await this.client.query<{ datname: string; n: string }>('select datname, xact_commit::bigint as n from pg_stat_database where datname is not null');
    return new Map(rows.map((row) => [row.datname, Number(row.n)]));
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export const waitForStatsFlush = () => new Promise<void>((resolve) => setTimeout(resolve, STATS_FLUSH_WAIT_MS));
