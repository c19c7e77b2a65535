/**
 * Camunda's comments and attachments (ACT_HI_COMMENT, ACT_HI_ATTACHMENT): history rows of a task or a process
 * instance, which outlive both. Attachment content is stored in pieces, so it is written and read a piece at a time.
 */
import type { Knex } from 'knex';

export const commentsAndAttachments = {
  name: '0018-comments-and-attachments',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('comment', (t) => {
      t.text('id').primary();
      t.text('task_id');
      t.text('process_instance_id');
      /** The call tree's root, for removal time and history cleanup; null for a comment on a task that had ended. */
      t.text('root_process_instance_id');
      t.text('user_id');
      t.timestamp('time', { useTz: true }).notNullable();
      t.text('message').notNullable();
      t.timestamp('removal_time', { useTz: true });
      t.index(['task_id']);
      t.index(['process_instance_id']);
      t.index(['root_process_instance_id']);
    });
    await knex.schema.createTable('attachment', (t) => {
      t.text('id').primary();
      t.text('task_id');
      t.text('process_instance_id');
      t.text('root_process_instance_id');
      t.text('name');
      t.text('description');
      t.text('type');
      t.text('url');
      /** Whether content was uploaded (an attachment has content or a url). */
      t.boolean('has_content').notNullable();
      t.timestamp('create_time', { useTz: true }).notNullable();
      t.timestamp('removal_time', { useTz: true });
      t.index(['task_id']);
      t.index(['root_process_instance_id']);
    });
    await knex.schema.createTable('attachment_content', (t) => {
      t.text('attachment_id').notNullable().references('id').inTable('attachment').onDelete('CASCADE');
      t.integer('piece').notNullable();
      t.binary('bytes').notNullable();
      t.primary(['attachment_id', 'piece']);
    });
  },
};
