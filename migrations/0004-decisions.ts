/** Deployed DMN: decision requirements definitions (one per multi-decision file) and decision definitions. */
import type { Knex } from 'knex';

export const decisions = {
  name: '0004-decisions',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('decision_requirements_definition', (t) => {
      t.text('id').primary();
      t.text('key').notNullable();
      t.integer('version').notNullable();
      t.text('name');
      t.text('category');
      t.text('deployment_id').notNullable().references('deployment.id').onDelete('CASCADE');
      t.text('resource_name').notNullable();
      t.text('tenant_id');
    });
    await knex.raw('create unique index decision_requirements_definition_key_version_tenant on decision_requirements_definition (key, version, coalesce(tenant_id, \'\'))');
    await knex.schema.createTable('decision_definition', (t) => {
      t.text('id').primary();
      t.text('key').notNullable();
      t.integer('version').notNullable();
      t.text('name');
      t.text('category');
      t.text('version_tag');
      t.integer('history_time_to_live');
      t.text('deployment_id').notNullable().references('deployment.id').onDelete('CASCADE');
      t.text('resource_name').notNullable();
      t.text('decision_requirements_definition_id').references('decision_requirements_definition.id').onDelete('CASCADE');
      t.text('decision_requirements_definition_key');
      t.text('tenant_id');
      t.index(['deployment_id']);
    });
    // Versions are per key and tenant, as for processes; the index also serves "latest version of a key".
    await knex.raw('create unique index decision_definition_key_version_tenant on decision_definition (key, version, coalesce(tenant_id, \'\'))');
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('decision_definition');
    await knex.schema.dropTableIfExists('decision_requirements_definition');
  },
};
