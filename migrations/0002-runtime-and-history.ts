/** Deployments, definitions, runtime state (instances, variables, tasks) and history: the walking skeleton's tables. */
import type { Knex } from 'knex';

export const runtimeAndHistory = {
  name: '0002-runtime-and-history',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('deployment', (t) => {
      t.text('id').primary();
      t.text('name');
      t.text('source');
      t.text('tenant_id');
      t.timestamp('deployment_time', { useTz: true }).notNullable();
    });
    await knex.schema.createTable('resource', (t) => {
      t.text('id').primary();
      t.text('deployment_id').notNullable().references('deployment.id').onDelete('CASCADE');
      t.text('name').notNullable();
      t.binary('content').notNullable();
      t.text('checksum').notNullable();
      t.unique(['deployment_id', 'name']);
    });
    await knex.schema.createTable('process_definition', (t) => {
      t.text('id').primary();
      t.text('key').notNullable();
      t.integer('version').notNullable();
      t.text('name');
      t.text('version_tag');
      t.integer('history_time_to_live');
      t.boolean('startable_in_tasklist').notNullable().defaultTo(true);
      t.text('deployment_id').notNullable().references('deployment.id').onDelete('CASCADE');
      t.text('resource_name').notNullable();
      t.text('tenant_id');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.text('serialized_context').notNullable();
    });
    await knex.raw('create unique index process_definition_key_version_tenant on process_definition (key, version, coalesce(tenant_id, \'\'))');

    await knex.schema.createTable('process_instance', (t) => {
      t.text('id').primary();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('business_key');
      t.text('root_process_instance_id').notNullable();
      t.text('super_process_instance_id');
      t.text('tenant_id');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.jsonb('state').notNullable();
      t.text('engine_version').notNullable();
      t.integer('version').notNullable().defaultTo(1);
      t.timestamp('start_time', { useTz: true }).notNullable();
      t.index(['process_definition_id']);
      t.index(['business_key']);
    });

    await knex.schema.createTable('variable', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('scope_id').notNullable(); // the process instance id, or a task id for task-local variables
      t.text('name').notNullable();
      t.text('type').notNullable();
      t.text('text_value');
      t.binary('bytes_value');
      t.jsonb('value_info').notNullable().defaultTo('{}');
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.unique(['scope_id', 'name']);
      t.index(['process_instance_id']);
    });

    await knex.schema.createTable('task', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('engine_execution_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('task_definition_key').notNullable();
      t.text('name');
      t.text('description');
      t.text('assignee');
      t.text('owner');
      t.specificType('candidate_users', 'text[]').notNullable().defaultTo('{}');
      t.specificType('candidate_groups', 'text[]').notNullable().defaultTo('{}');
      t.text('form_key');
      t.integer('priority').notNullable().defaultTo(50);
      t.timestamp('due_date', { useTz: true });
      t.timestamp('follow_up_date', { useTz: true });
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.timestamp('last_updated', { useTz: true });
      t.text('tenant_id');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.unique(['process_instance_id', 'engine_execution_id']);
      t.index(['assignee']);
    });

    await knex.schema.createTable('hist_process_instance', (t) => {
      t.text('id').primary();
      t.text('business_key');
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('process_definition_name');
      t.integer('process_definition_version').notNullable();
      t.text('root_process_instance_id').notNullable();
      t.text('super_process_instance_id');
      t.text('tenant_id');
      t.text('start_activity_id');
      t.text('end_activity_id');
      t.text('state').notNullable();
      t.text('delete_reason');
      t.timestamp('start_time', { useTz: true }).notNullable();
      t.timestamp('end_time', { useTz: true });
      t.bigInteger('duration_in_millis');
      t.index(['process_definition_key']);
    });

    await knex.schema.createTable('hist_activity_instance', (t) => {
      t.text('id').primary();
      t.text('parent_activity_instance_id').notNullable();
      t.text('process_instance_id').notNullable();
      t.text('engine_execution_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('activity_id').notNullable();
      t.text('activity_name');
      t.text('activity_type').notNullable();
      t.text('task_id');
      t.text('assignee');
      t.text('tenant_id');
      t.boolean('canceled').notNullable().defaultTo(false);
      t.boolean('complete_scope').notNullable().defaultTo(false);
      t.timestamp('start_time', { useTz: true }).notNullable();
      t.timestamp('end_time', { useTz: true });
      t.bigInteger('duration_in_millis');
      t.bigInteger('sequence').notNullable();
      t.unique(['process_instance_id', 'engine_execution_id']);
    });

    await knex.schema.createTable('hist_variable_instance', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('scope_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('task_id');
      t.text('name').notNullable();
      t.text('type').notNullable();
      t.text('text_value');
      t.binary('bytes_value');
      t.jsonb('value_info').notNullable().defaultTo('{}');
      t.text('tenant_id');
      t.text('state').notNullable();
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.timestamp('removal_time', { useTz: true });
      t.index(['process_instance_id']);
    });
  },

  async down(knex: Knex): Promise<void> {
    for (const table of ['hist_variable_instance', 'hist_activity_instance', 'hist_process_instance', 'task', 'variable', 'process_instance', 'process_definition', 'resource', 'deployment']) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};
