/** External tasks (work for workers, claimed with SKIP LOCKED) and incidents. */
import type { Knex } from 'knex';

export const externalTasksAndIncidents = {
  name: '0003-external-tasks-and-incidents',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('external_task', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('engine_execution_id').notNullable();
      t.text('activity_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('process_definition_version_tag');
      t.text('topic_name').notNullable();
      t.text('worker_id');
      t.timestamp('lock_expiration_time', { useTz: true });
      t.integer('retries');
      t.text('error_message');
      t.text('error_details');
      t.bigInteger('priority').notNullable().defaultTo(0);
      t.text('business_key');
      t.text('tenant_id');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.jsonb('extension_properties').notNullable().defaultTo('{}');
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.unique(['process_instance_id', 'engine_execution_id']);
      t.index(['topic_name', 'priority', 'create_time']);
    });
    await knex.schema.createTable('incident', (t) => {
      t.text('id').primary();
      t.text('incident_type').notNullable();
      t.text('incident_message');
      t.timestamp('incident_timestamp', { useTz: true }).notNullable();
      t.text('process_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('activity_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('configuration');
      t.text('tenant_id');
      t.text('annotation');
      t.index(['process_instance_id']);
      t.index(['configuration']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('incident');
    await knex.schema.dropTableIfExists('external_task');
  },
};
