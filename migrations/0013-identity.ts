/**
 * Camunda's identity: users (with a salted password hash, never the password), groups, and which user is in which group.
 */
import type { Knex } from 'knex';

export const identity = {
  name: '0013-identity',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('identity_user', (t) => {
      t.text('id').primary();
      t.text('first_name');
      t.text('last_name');
      t.text('email');
      /** A self-describing scrypt hash (`$scrypt$n=…,r=…,p=…$salt$hash`); null for a user who cannot sign in. */
      t.text('password_hash');
      t.timestamp('created', { useTz: true }).notNullable();
      t.timestamp('updated', { useTz: true }).notNullable();
    });
    await knex.schema.createTable('identity_group', (t) => {
      t.text('id').primary();
      t.text('name');
      t.text('type');
    });
    await knex.schema.createTable('identity_membership', (t) => {
      t.text('user_id').notNullable().references('id').inTable('identity_user').onDelete('CASCADE');
      t.text('group_id').notNullable().references('id').inTable('identity_group').onDelete('CASCADE');
      t.primary(['user_id', 'group_id']);
      /** Members of a group (candidate queries and `memberOfGroup`) are found by group. */
      t.index(['group_id']);
    });
  },
};
