/** Camunda's filters (ACT_RU_FILTER): Tasklist's saved task queries, with the query and its display properties as JSON. */
import type { Knex } from 'knex';

export const filters = {
  name: '0019-filters',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('filter', (t) => {
      t.text('id').primary();
      /** Always `Task`: Camunda's filters query nothing else. */
      t.text('resource_type').notNullable();
      t.text('name').notNullable();
      t.text('owner');
      /** The task query as Camunda's REST API writes it (TaskQueryDto), validated when saved. */
      t.jsonb('query').notNullable();
      /** Free display settings (color, priority, description, variables to show), as the client sent them. */
      t.jsonb('properties');
      t.index(['name']);
    });
  },
};
