/** Which of this build's migrations the database has not applied (knex_migrations), for the readiness check. */
import { migrations } from '../../migrations/index.js';
import type { Db } from './database.js';

export async function pendingMigrations(db: Db): Promise<string[]> {
  const applied = new Set((await db('knex_migrations').select('name')).map((row: { name: string }) => row.name));
  return migrations.map((migration) => migration.name).filter((name) => !applied.has(name));
}
