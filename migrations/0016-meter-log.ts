/**
 * Camunda's meter log (ACT_RU_METER_LOG): each node's counts per reporting interval, behind /engine-rest/metrics; and
 * an index for the active-instance gauge of /metrics.
 */
import type { Knex } from 'knex';

export const meterLog = {
  name: '0016-meter-log',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('meter_log', (t) => {
      t.bigIncrements('id').primary();
      /** Camunda's internal metric name, e.g. root-process-instance-start. */
      t.text('name').notNullable();
      /** The node that counted (METRICS_REPORTER, the host name by default). */
      t.text('reporter').notNullable();
      t.bigInteger('value').notNullable();
      /** When the node reported; `milliseconds` is the same instant, which the interval query buckets. */
      t.timestamp('timestamp', { useTz: true }).notNullable();
      t.bigInteger('milliseconds').notNullable();
      t.index(['name', 'milliseconds']);
      t.index(['milliseconds']);
    });
    await knex.schema.alterTable('process_instance', (t) => {
      t.index(['process_definition_key']);
    });
  },
};
