/** Camunda's executions (the runtime tree), the execution of every runtime and history row, and call-activity links. */
import type { Knex } from 'knex';

const EXECUTION_COLUMN_TABLES = ['task', 'external_task', 'job', 'incident', 'hist_activity_instance', 'hist_task_instance', 'hist_incident', 'hist_variable_instance'];

export const executions = {
  name: '0010-executions',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('execution', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('parent_id');
      t.text('engine_scope_id');
      t.text('scope_activity_id');
      t.text('engine_token_id');
      t.text('activity_id');
      t.boolean('is_concurrent').notNullable();
      t.boolean('is_scope').notNullable();
      t.boolean('is_active').notNullable();
      t.index(['process_instance_id']);
    });
    for (const table of EXECUTION_COLUMN_TABLES) await knex.schema.alterTable(table, (t) => t.text('execution_id'));
    await knex.schema.alterTable('process_instance', (t) => {
      t.text('super_execution_id');
      t.text('super_engine_execution_id');
      t.index(['super_process_instance_id']);
    });
    // A re-announced call never starts a second child.
    await knex.raw('create unique index process_instance_super_execution on process_instance (super_process_instance_id, super_execution_id) where super_execution_id is not null');
    await knex.schema.alterTable('hist_activity_instance', (t) => t.text('called_process_instance_id'));
    await knex.schema.alterTable('hist_process_instance', (t) => {
      t.text('super_execution_id');
      t.index(['super_process_instance_id']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('execution');
    for (const table of EXECUTION_COLUMN_TABLES) await knex.schema.alterTable(table, (t) => t.dropColumn('execution_id'));
    await knex.raw('drop index process_instance_super_execution');
    await knex.schema.alterTable('process_instance', (t) => t.dropColumns('super_execution_id', 'super_engine_execution_id'));
    await knex.schema.alterTable('hist_process_instance', (t) => t.dropColumn('super_execution_id'));
    await knex.schema.alterTable('hist_activity_instance', (t) => t.dropColumn('called_process_instance_id'));
  },
};
