/** Jobs of async continuations (no timer), the retry cycle of `camunda:failedJobRetryTimeCycle`, and job definitions. */
import type { Knex } from 'knex';

export const asyncJobsAndJobDefinitions = {
  name: '0008-async-jobs-and-job-definitions',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('job_definition', (t) => {
      t.text('id').primary();
      t.text('process_definition_id').notNullable().references('process_definition.id').onDelete('CASCADE');
      t.text('process_definition_key').notNullable();
      t.text('activity_id').notNullable();
      /** Camunda's job handler type: timer-intermediate-transition, timer-transition, timer-start-event, async-continuation. */
      t.text('job_type').notNullable();
      /** E.g. `DURATION: PT5M` for a timer, `async-before` for a continuation. */
      t.text('job_configuration').notNullable();
      t.bigInteger('overriding_job_priority');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.text('tenant_id');
      t.text('deployment_id').notNullable();
      t.index(['process_definition_id']);
    });
    await knex.schema.alterTable('job', (t) => {
      t.text('timer_type').nullable().alter();
      t.text('timer_expression').nullable().alter();
      /** `camunda:failedJobRetryTimeCycle` of the job's activity, e.g. R5/PT10M: 5 tries, 10 minutes apart. */
      t.text('retry_time_cycle');
      t.text('job_definition_id');
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('job', (t) => {
      t.dropColumn('retry_time_cycle');
      t.dropColumn('job_definition_id');
    });
    await knex.schema.dropTable('job_definition');
  },
};
