/**
 * Task attachments (Camunda's ACT_HI_ATTACHMENT) and their content, stored in pieces (`attachment_content`) so that
 * no statement carries more than one piece: uploads are written and downloads read a piece at a time.
 */
import type { Db } from './database.js';

export interface AttachmentRow {
  id: string;
  task_id: string | null;
  process_instance_id: string | null;
  root_process_instance_id: string | null;
  name: string | null;
  description: string | null;
  type: string | null;
  url: string | null;
  has_content: boolean;
  create_time: Date;
  removal_time: Date | null;
}

/** Writes the attachment, then its content piece by piece, in the caller's transaction. */
export async function insertAttachment(db: Db, row: AttachmentRow, pieces: readonly Buffer[]): Promise<void> {
  await db('attachment').insert(row);
  for (const [piece, bytes] of pieces.entries()) await db('attachment_content').insert({ attachment_id: row.id, piece, bytes });
}

/** Newest first, as Camunda lists them. */
export async function listTaskAttachments(db: Db, taskId: string): Promise<AttachmentRow[]> {
  return db<AttachmentRow>('attachment').where({ task_id: taskId }).orderBy([{ column: 'create_time', order: 'desc' }, { column: 'id', order: 'asc' }]);
}

export async function findTaskAttachment(db: Db, taskId: string, attachmentId: string): Promise<AttachmentRow | undefined> {
  return db<AttachmentRow>('attachment').where({ task_id: taskId, id: attachmentId }).first();
}

/** Deletes the attachment and (by cascade) its content. */
export async function deleteTaskAttachment(db: Db, taskId: string, attachmentId: string): Promise<void> {
  await db('attachment').where({ task_id: taskId, id: attachmentId }).delete();
}

/** The numbers of the attachment's content pieces, in order. */
export async function listContentPieces(db: Db, attachmentId: string): Promise<number[]> {
  const rows = await db('attachment_content').select('piece').where({ attachment_id: attachmentId }).orderBy('piece');
  return rows.map((row: { piece: number }) => row.piece);
}

/** One piece of content (absent when the attachment was deleted meanwhile). */
export async function readContentPiece(db: Db, attachmentId: string, piece: number): Promise<Buffer | undefined> {
  const row = await db('attachment_content').select('bytes').where({ attachment_id: attachmentId, piece }).first();
  // PGlite returns bytea as a Uint8Array, node-pg as a Buffer.
  return row ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
}

/** Whether each of these tasks has an attachment (for the task DTO's `attachment` flag). */
export async function tasksWithAttachments(db: Db, taskIds: readonly string[]): Promise<Set<string>> {
  if (taskIds.length === 0) return new Set();
  const rows = await db('attachment').distinct('task_id').whereIn('task_id', [...taskIds]);
  return new Set(rows.map((row: { task_id: string }) => row.task_id));
}
