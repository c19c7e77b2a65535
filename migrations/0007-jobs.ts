/** Jobs: timers (of instances and of timer start events) that the job executor acquires with SKIP LOCKED and fires. */
import type { Knex } from 'knex';

export const jobs = {
  name: '0007-jobs',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('job', (t) => {
      t.text('id').primary();
      /** Camunda's handler types: timer-intermediate-transition, timer-transition (boundary), timer-start-event. */
      t.text('handler_type').notNullable();
      t.text('process_instance_id').references('process_instance.id').onDelete('CASCADE');
      t.text('process_definition_id').notNullable().references('process_definition.id').onDelete('CASCADE');
      t.text('process_definition_key').notNullable();
      /** The engine's execution id of the wait (a timer's own, `<activity execution>_0`); null for a start event. */
      t.text('engine_execution_id');
      t.text('activity_id').notNullable();
      t.text('timer_type').notNullable();
      /** The timer definition as resolved when the job was created. */
      t.text('timer_expression').notNullable();
      /** A cycle's fires left including this one; null when it repeats forever or is no cycle. */
      t.integer('repetitions_left');
      /** Null for a cycle that has no fire left (its timer still waits, as in bpmn-elements). */
      t.timestamp('due_date', { useTz: true });
      t.integer('retries').notNullable();
      t.text('exception_message');
      t.text('exception_stacktrace');
      t.text('lock_owner');
      t.timestamp('lock_expiration_time', { useTz: true });
      t.boolean('suspended').notNullable().defaultTo(false);
      t.bigInteger('priority').notNullable().defaultTo(0);
      t.text('tenant_id');
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.index(['process_instance_id']);
      t.index(['process_definition_id']);
      t.index(['due_date']);
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('job');
  },
};
