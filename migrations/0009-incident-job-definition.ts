/** The job definition of a failedJob incident, which Camunda shows on the incident and in its history. */
import type { Knex } from 'knex';

export const incidentJobDefinition = {
  name: '0009-incident-job-definition',
  async up(knex: Knex): Promise<void> {
    for (const table of ['incident', 'hist_incident']) await knex.schema.alterTable(table, (t) => t.text('job_definition_id'));
  },
  async down(knex: Knex): Promise<void> {
    for (const table of ['incident', 'hist_incident']) await knex.schema.alterTable(table, (t) => t.dropColumn('job_definition_id'));
  },
};
