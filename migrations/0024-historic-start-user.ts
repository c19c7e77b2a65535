/** The user who started a process instance (Camunda's startUserId): the authenticated caller, null on an open API. */
import type { Knex } from 'knex';

export const historicStartUser = {
  name: '0024-historic-start-user',
  async up(knex: Knex): Promise<void> {
    await knex.raw('alter table hist_process_instance add column start_user_id text');
  },
};
