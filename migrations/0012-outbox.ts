/**
 * The transactional outbox of the Kafka transport: a row per external task delivery waiting to be published, and each
 * external task's delivery attempt, which fences results of earlier deliveries out.
 */
import type { Knex } from 'knex';

export const outbox = {
  name: '0012-outbox',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('external_task', (t) => {
      /** Counts deliveries over any transport; a Kafka result must name the current one to be applied. */
      t.integer('delivery_attempt').notNullable().defaultTo(0);
    });
    await knex.schema.createTable('outbox', (t) => {
      t.bigIncrements('id').primary();
      t.text('external_task_id').notNullable();
      t.integer('attempt').notNullable();
      /** The Kafka topic (`<prefix>.jobs.<topicName>`) and message key (the process instance id). */
      t.text('topic').notNullable();
      t.text('message_key').notNullable();
      /** W3C trace context of the command that made the task available, continued by the worker. */
      t.text('traceparent');
      t.timestamp('available_at', { useTz: true }).notNullable();
      /** A relay that claimed the row publishes it before then; after a crash another relay takes it over. */
      t.timestamp('leased_until', { useTz: true });
      t.timestamp('created', { useTz: true }).notNullable();
      t.index(['available_at']);
      t.index(['external_task_id']);
    });
  },
};
