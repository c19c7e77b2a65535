/** History of user tasks, incidents and decision evaluations: kept after the runtime rows are gone. */
import type { Knex } from 'knex';

export const taskIncidentDecisionHistory = {
  name: '0005-task-incident-decision-history',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('hist_task_instance', (t) => {
      t.text('id').primary();
      t.text('process_instance_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('task_definition_key').notNullable();
      t.text('name');
      t.text('description');
      t.text('assignee');
      t.text('owner');
      t.integer('priority').notNullable();
      t.timestamp('due_date', { useTz: true });
      t.timestamp('follow_up_date', { useTz: true });
      t.text('tenant_id');
      t.text('task_state').notNullable();
      t.text('delete_reason');
      t.timestamp('start_time', { useTz: true }).notNullable();
      t.timestamp('end_time', { useTz: true });
      t.bigInteger('duration_in_millis');
      t.index(['process_instance_id']);
    });
    await knex.schema.createTable('hist_incident', (t) => {
      t.text('id').primary();
      t.text('incident_type').notNullable();
      t.text('incident_message');
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.timestamp('end_time', { useTz: true });
      t.text('process_instance_id').notNullable();
      t.text('process_definition_id').notNullable();
      t.text('process_definition_key').notNullable();
      t.text('activity_id').notNullable();
      t.text('activity_instance_id').notNullable();
      t.text('configuration');
      t.text('tenant_id');
      t.text('annotation');
      /** open, resolved or deleted (Camunda's incident states). */
      t.text('state').notNullable();
      t.index(['process_instance_id']);
    });
    await knex.schema.createTable('hist_decision_instance', (t) => {
      t.text('id').primary();
      t.text('decision_definition_id').notNullable();
      t.text('decision_definition_key').notNullable();
      t.text('decision_definition_name');
      t.text('decision_requirements_definition_id');
      t.text('decision_requirements_definition_key');
      t.timestamp('evaluation_time', { useTz: true }).notNullable();
      t.text('process_definition_id');
      t.text('process_definition_key');
      t.text('process_instance_id');
      t.text('activity_id');
      t.text('activity_instance_id');
      t.text('root_decision_instance_id');
      t.text('tenant_id');
      t.double('collect_result_value');
      /** Typed input and output values with their clause and rule ids, as the DTOs list them. */
      t.jsonb('inputs').notNullable().defaultTo('[]');
      t.jsonb('outputs').notNullable().defaultTo('[]');
      t.index(['process_instance_id']);
      t.index(['decision_definition_key']);
    });
  },
  async down(knex: Knex): Promise<void> {
    for (const table of ['hist_decision_instance', 'hist_incident', 'hist_task_instance']) await knex.schema.dropTableIfExists(table);
  },
};
