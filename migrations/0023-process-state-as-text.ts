/**
 * The engine state of a running instance as JSON text: only the engine reads it, whole, so PostgreSQL need not turn
 * 20–100 KB of JSON into jsonb on every command and back into text on the next one.
 */
import type { Knex } from 'knex';

export const processStateAsText = {
  name: '0023-process-state-as-text',
  async up(knex: Knex): Promise<void> {
    await knex.raw('alter table process_instance alter column state type text using state::text');
  },
};
