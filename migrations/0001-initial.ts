/** First migration: the engine's key/value metadata table; real tables arrive in later migrations. */
import type { Knex } from 'knex';

export const initial = {
  name: '0001-initial',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('engine_meta', (table) => {
      table.text('key').primary();
      table.text('value').notNullable();
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('engine_meta');
  },
};
