/** The trace context each external task hands to its worker: REST workers that ask for it continue the engine's trace. */
import type { Knex } from 'knex';

export const externalTaskTraceparent = {
  name: '0015-external-task-traceparent',
  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('external_task', (t) => {
      /** W3C traceparent of the command that created the task; null when it ran without a trace context. */
      t.text('traceparent');
    });
  },
};
