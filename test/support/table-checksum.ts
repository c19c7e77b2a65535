/** A hash over every row of every application table, so a test can assert that a request changed nothing. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

// knex's own bookkeeping changes when migrations run, not when requests do.
const IGNORED = new Set(['knex_migrations', 'knex_migrations_lock']);

/** Deterministic for equal contents on one back end; compare two checksums taken the same way, never across back ends. */
export async function checksumTables(knex: Knex | Knex.Transaction): Promise<string> {
  const tables = await knex
    .select('table_name')
    .from('information_schema.tables')
    .where({ table_schema: 'public', table_type: 'BASE TABLE' })
    .orderBy('table_name');
  const hash = createHash('sha256');
  for (const { table_name: table } of tables as Array<{ table_name: string }>) {
    if (IGNORED.has(table)) continue;
    // Row text sorted, so physical row order (which updates and vacuum change) does not matter.
    const result = await knex.raw(
      `select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ?? t`,
      [table],
    );
    const { n, digest } = result.rows[0] as { n: string; digest: string };
    hash.update(`${table}\u0000${n}\u0000${digest}\n`);
  }
  return hash.digest('hex');
}
