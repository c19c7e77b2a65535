/** When each history row may be removed (Camunda's REMOVAL_TIME_), indexed for a history cleanup job. */
import type { Knex } from 'knex';

const HISTORY_TABLES = ['hist_process_instance', 'hist_activity_instance', 'hist_variable_instance', 'hist_task_instance', 'hist_incident', 'hist_decision_instance'];

export const historyRemovalTime = {
  name: '0006-history-removal-time',
  async up(knex: Knex): Promise<void> {
    for (const table of HISTORY_TABLES) {
      if (!(await knex.schema.hasColumn(table, 'removal_time'))) {
        await knex.schema.alterTable(table, (t) => t.timestamp('removal_time', { useTz: true }));
      }
      await knex.schema.alterTable(table, (t) => t.index(['removal_time'], `${table}_removal_time`));
    }
    // Stamping looks the instances of a call tree up by their root.
    await knex.schema.alterTable('hist_process_instance', (t) => t.index(['root_process_instance_id'], 'hist_process_instance_root'));
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('hist_process_instance', (t) => t.dropIndex(['root_process_instance_id'], 'hist_process_instance_root'));
    for (const table of HISTORY_TABLES) {
      await knex.schema.alterTable(table, (t) => t.dropIndex(['removal_time'], `${table}_removal_time`));
      if (table !== 'hist_variable_instance') await knex.schema.alterTable(table, (t) => t.dropColumn('removal_time'));
    }
  },
};
