/**
 * Event subscriptions: what waiting executions and event start events wait for (messages, signals, conditions); and
 * signal broadcasts still being delivered, one transaction per receiving instance.
 */
import type { Knex } from 'knex';

export const eventSubscriptions = {
  name: '0011-event-subscriptions',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('event_subscription', (t) => {
      t.text('id').primary();
      /** message, signal, conditional; `receive` for a receive task without a message (never shown over REST). */
      t.text('event_type').notNullable();
      t.text('event_name');
      /** Null for the subscription of an event start event, which belongs to its process definition. */
      t.text('process_instance_id');
      t.text('execution_id');
      t.text('engine_execution_id');
      t.text('activity_id').notNullable();
      t.text('process_definition_id');
      /** For a conditional event: its condition, `camunda:variableName` and `camunda:variableEvents` as JSON. */
      t.text('configuration');
      t.text('tenant_id');
      t.timestamp('created', { useTz: true }).notNullable();
      t.index(['event_type', 'event_name']);
      t.index(['process_instance_id']);
      t.index(['process_definition_id']);
    });
    await knex.raw('create unique index event_subscription_wait on event_subscription (process_instance_id, engine_execution_id) where process_instance_id is not null');
    await knex.schema.createTable('signal_broadcast', (t) => {
      t.text('id').primary();
      t.text('signal_name').notNullable();
      /** Which tenants receive it: `any`, `none` (without tenant) or `tenant` (tenant_id). */
      t.text('tenant_choice').notNullable();
      t.text('tenant_id');
      /** The typed variables the signal carries, as REST variable DTOs in JSON. */
      t.text('variables');
      /** The instance that threw it, which caught it itself in the throwing command. */
      t.text('source_instance_id');
      t.timestamp('created', { useTz: true }).notNullable();
      /** Whether the signal start events have started their instances (once, in one transaction). */
      t.boolean('starts_done').notNullable();
      /** Until when a node delivers it; a node that died delivering it loses it then. */
      t.timestamp('claimed_until', { useTz: true });
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('signal_broadcast');
    await knex.schema.dropTable('event_subscription');
  },
};
