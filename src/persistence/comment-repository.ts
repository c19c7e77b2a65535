/** Comments on tasks and process instances (Camunda's ACT_HI_COMMENT): history rows, keyed by task or instance id. */
import type { Db } from './database.js';

export interface CommentRow {
  id: string;
  task_id: string | null;
  process_instance_id: string | null;
  root_process_instance_id: string | null;
  user_id: string | null;
  time: Date;
  message: string;
  removal_time: Date | null;
}

export type CommentOwner = { taskId: string } | { processInstanceId: string };

function ofOwner(db: Db, owner: CommentOwner) {
  return 'taskId' in owner ? db<CommentRow>('comment').where({ task_id: owner.taskId }) : db<CommentRow>('comment').where({ process_instance_id: owner.processInstanceId });
}

export async function insertComment(db: Db, row: CommentRow): Promise<void> {
  await db('comment').insert(row);
}

/** Newest first, as Camunda lists them (then by id, for comments made in the same millisecond). */
export async function listComments(db: Db, owner: CommentOwner): Promise<CommentRow[]> {
  return ofOwner(db, owner).orderBy([{ column: 'time', order: 'desc' }, { column: 'id', order: 'asc' }]);
}

export async function findComment(db: Db, owner: CommentOwner, commentId: string): Promise<CommentRow | undefined> {
  return ofOwner(db, owner).andWhere({ id: commentId }).first();
}

export async function updateComment(db: Db, commentId: string, changes: Pick<CommentRow, 'message' | 'time' | 'user_id'>): Promise<void> {
  await db('comment').where({ id: commentId }).update(changes);
}

/** Deletes one comment of the owner, or all of them without `commentId`. */
export async function deleteComments(db: Db, owner: CommentOwner, commentId?: string): Promise<void> {
  const query = ofOwner(db, owner);
  if (commentId !== undefined) query.andWhere({ id: commentId });
  await query.delete();
}

/** Whether each of these tasks has a comment (for the task DTO's `comment` flag). */
export async function tasksWithComments(db: Db, taskIds: readonly string[]): Promise<Set<string>> {
  if (taskIds.length === 0) return new Set();
  const rows = await db('comment').distinct('task_id').whereIn('task_id', [...taskIds]);
  return new Set(rows.map((row: { task_id: string }) => row.task_id));
}
