/**
 * Stand-alone tasks (created over REST, outside any process), delegation, custom identity links on tasks, and Camunda's
 * identity link log (ACT_HI_IDENTITYLINK): who was made candidate, assignee or owner of which task, and when.
 */
import type { Knex } from 'knex';

/** A stand-alone task belongs to no instance, definition or activity. */
const PROCESS_COLUMNS = ['process_instance_id', 'activity_instance_id', 'process_definition_id', 'process_definition_key', 'task_definition_key'];

export const standaloneTasksAndIdentityLinks = {
  name: '0017-standalone-tasks-and-identity-links',
  async up(knex: Knex): Promise<void> {
    for (const column of [...PROCESS_COLUMNS, 'engine_execution_id']) await knex.raw(`alter table task alter column ${column} drop not null`);
    for (const column of PROCESS_COLUMNS) await knex.raw(`alter table hist_task_instance alter column ${column} drop not null`);
    await knex.schema.alterTable('task', (t) => {
      /** PENDING while delegated, RESOLVED once the delegate resolved it; null for a task never delegated. */
      t.text('delegation_state');
      t.text('parent_task_id');
      t.text('case_instance_id');
      /** Identity links of other types than candidate, assignee and owner: [{userId, groupId, type}]. */
      t.jsonb('identity_links').notNullable().defaultTo('[]');
    });
    await knex.schema.alterTable('hist_task_instance', (t) => {
      t.text('parent_task_id');
      t.text('case_instance_id');
    });
    await knex.schema.createTable('hist_identity_link_log', (t) => {
      t.text('id').primary();
      t.timestamp('time', { useTz: true }).notNullable();
      t.text('type');
      t.text('user_id');
      t.text('group_id');
      t.text('task_id');
      /** The task's instance (not shown over REST): history removal and cleanup go by instance. */
      t.text('process_instance_id');
      t.text('process_definition_id');
      t.text('process_definition_key');
      /** add or delete */
      t.text('operation_type').notNullable();
      t.text('assigner_id');
      t.text('tenant_id');
      t.text('root_process_instance_id');
      t.timestamp('removal_time', { useTz: true });
      t.index(['task_id']);
      t.index(['process_instance_id']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('hist_identity_link_log');
    await knex.schema.alterTable('hist_task_instance', (t) => t.dropColumns('parent_task_id', 'case_instance_id'));
    await knex.schema.alterTable('task', (t) => t.dropColumns('delegation_state', 'parent_task_id', 'case_instance_id', 'identity_links'));
  },
};
