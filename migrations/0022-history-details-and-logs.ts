/**
 * Camunda's historic details (ACT_HI_DETAIL: each variable update with its revision, and submitted form fields), the
 * external task log (ACT_HI_EXT_TASK_LOG) and the job log (ACT_HI_JOB_LOG); a variable's history counts its revisions.
 */
import type { Knex } from 'knex';

export const historyDetailsAndLogs = {
  name: '0022-history-details-and-logs',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('hist_variable_instance', (t) => {
      /** How often the variable changed: 0 when created, as Camunda's revision. */
      t.integer('revision').notNullable().defaultTo(0);
    });
    await knex.schema.createTable('hist_detail', (t) => {
      t.text('id').primary();
      /** The order details were written in: the last sort key, so paging is stable. */
      t.bigIncrements('sequence', { primaryKey: false });
      /** variableUpdate or formField. */
      t.text('type').notNullable();
      t.text('process_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('activity_instance_id');
      t.text('execution_id');
      t.text('task_id');
      t.text('tenant_id');
      t.text('user_operation_id');
      t.timestamp('time', { useTz: true }).notNullable();
      t.timestamp('removal_time', { useTz: true });
      /** The variable's name, or the form field's id. */
      t.text('name').notNullable();
      t.text('variable_instance_id');
      t.text('type_name');
      t.text('text_value');
      t.binary('bytes_value');
      t.jsonb('value_info').notNullable().defaultTo('{}');
      t.integer('revision');
      t.boolean('initial').notNullable().defaultTo(false);
      t.index(['process_instance_id']);
      t.index(['variable_instance_id']);
    });
    await knex.schema.createTable('hist_external_task_log', (t) => {
      t.text('id').primary();
      t.bigIncrements('sequence', { primaryKey: false });
      t.timestamp('timestamp', { useTz: true }).notNullable();
      t.text('external_task_id').notNullable();
      t.text('topic_name').notNullable();
      t.text('worker_id');
      t.integer('retries');
      t.bigInteger('priority').notNullable().defaultTo(0);
      t.text('error_message');
      t.text('error_details');
      t.text('activity_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('execution_id');
      t.text('process_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('tenant_id');
      /** created, failed, successful or deleted (Camunda's creationLog, failureLog, successLog, deletionLog). */
      t.text('state').notNullable();
      t.timestamp('removal_time', { useTz: true });
      t.index(['process_instance_id']);
      t.index(['external_task_id']);
    });
    await knex.schema.createTable('hist_job_log', (t) => {
      t.text('id').primary();
      t.bigIncrements('sequence', { primaryKey: false });
      t.timestamp('timestamp', { useTz: true }).notNullable();
      t.text('job_id').notNullable();
      t.timestamp('job_due_date', { useTz: true });
      t.integer('job_retries').notNullable();
      t.bigInteger('job_priority').notNullable().defaultTo(0);
      t.text('job_exception_message');
      t.text('job_exception_stacktrace');
      t.text('failed_activity_id');
      t.text('job_definition_id');
      t.text('job_definition_type');
      t.text('job_definition_configuration');
      t.text('activity_id');
      t.text('execution_id');
      /** Null for a timer start event's job. */
      t.text('process_instance_id');
      t.text('process_definition_id');
      t.text('process_definition_key');
      t.text('deployment_id');
      t.text('tenant_id');
      t.text('hostname');
      /** created, failed, successful or deleted. */
      t.text('state').notNullable();
      t.timestamp('removal_time', { useTz: true });
      t.index(['process_instance_id']);
      t.index(['job_id']);
    });
  },
  async down(knex: Knex): Promise<void> {
    for (const table of ['hist_job_log', 'hist_external_task_log', 'hist_detail']) await knex.schema.dropTableIfExists(table);
    await knex.schema.alterTable('hist_variable_instance', (t) => t.dropColumn('revision'));
  },
};
