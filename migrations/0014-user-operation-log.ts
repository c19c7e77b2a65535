/** Camunda's user operation log (ACT_HI_OP_LOG): who did what to which instance, task, job or definition, the audit trail. */
import type { Knex } from 'knex';

export const userOperationLog = {
  name: '0014-user-operation-log',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('hist_user_operation_log', (t) => {
      t.text('id').primary();
      /** Groups the entries of one user operation (one per changed property). */
      t.text('operation_id').notNullable();
      t.text('operation_type').notNullable();
      t.text('entity_type').notNullable();
      t.text('category').notNullable();
      /** Null only for operations recorded without an authenticated user (RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS=false). */
      t.text('user_id');
      t.timestamp('timestamp', { useTz: true }).notNullable();
      /** Names and old/new values of changed properties; never a variable's value (Camunda logs no variable names or values either). */
      t.text('property');
      t.text('org_value');
      t.text('new_value');
      t.text('deployment_id');
      t.text('process_definition_id');
      t.text('process_definition_key');
      t.text('process_instance_id');
      t.text('execution_id');
      t.text('task_id');
      t.text('job_id');
      t.text('job_definition_id');
      t.text('external_task_id');
      t.text('batch_id');
      t.text('root_process_instance_id');
      t.text('tenant_id');
      t.text('annotation');
      t.timestamp('removal_time', { useTz: true });
      t.index(['operation_id'], 'hist_user_operation_log_operation');
      t.index(['process_instance_id'], 'hist_user_operation_log_instance');
      t.index(['task_id'], 'hist_user_operation_log_task');
      t.index(['timestamp'], 'hist_user_operation_log_timestamp');
      t.index(['user_id'], 'hist_user_operation_log_user');
      t.index(['removal_time'], 'hist_user_operation_log_removal_time');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('hist_user_operation_log');
  },
};
