/**
 * Task attachments, as Camunda's TaskService: a url or uploaded content, kept in history (a completed task keeps
 * them and can get new ones). Content goes to the database and back a piece at a time (attachment-repository).
 */
import { InvalidRequestError, ProcessEngineError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import {
  deleteTaskAttachment,
  findTaskAttachment,
  insertAttachment,
  listContentPieces,
  listTaskAttachments,
  readContentPiece,
  type AttachmentRow,
} from '../persistence/attachment-repository.js';
import { logTaskEntityOperation, onTaskIfRunning, requireHistoricTask } from './comment-service.js';
import type { ServiceContext } from './service-context.js';
import { markTaskUpdated } from './task-service.js';

export interface NewAttachment {
  name: string | null;
  description: string | null;
  type: string | null;
  /** Uploaded content in pieces (each written by one statement); null for a url attachment. */
  content: Buffer[] | null;
  url: string | null;
}

export async function listAttachments(ctx: ServiceContext, taskId: string): Promise<AttachmentRow[]> {
  await requireHistoricTask(ctx, taskId, 404);
  return listTaskAttachments(ctx.database.knex, taskId);
}

export async function getAttachment(ctx: ServiceContext, taskId: string, attachmentId: string): Promise<AttachmentRow> {
  const attachment = await findTaskAttachment(ctx.database.knex, taskId, attachmentId);
  if (!attachment) throw new InvalidRequestError(404, `Task attachment with id ${attachmentId} does not exist for task id '${taskId}'.`);
  return attachment;
}

export async function createAttachment(ctx: ServiceContext, taskId: string, attachment: NewAttachment): Promise<AttachmentRow> {
  await requireHistoricTask(ctx, taskId, 400);
  if (attachment.content === null && attachment.url === null) {
    throw new InvalidRequestError(400, 'No content or url to remote content exists to create the task attachment.');
  }
  return onTaskIfRunning(ctx, taskId, 'create attachment', async (tx, running) => {
    const now = ctx.clock.now();
    const row: AttachmentRow = {
      id: newId(),
      task_id: taskId,
      process_instance_id: null,
      root_process_instance_id: running?.lock?.row.root_process_instance_id ?? null,
      name: attachment.name,
      description: attachment.description,
      type: attachment.type,
      // Camunda keeps the url only when no content came with it.
      url: attachment.content === null ? attachment.url : null,
      has_content: attachment.content !== null,
      create_time: now,
      removal_time: null,
    };
    await insertAttachment(tx, row, attachment.content ?? []);
    if (running) {
      await logTaskEntityOperation(ctx, tx, running, 'AddAttachment', 'Attachment', { property: 'name', orgValue: null, newValue: attachment.name });
      await markTaskUpdated(tx, taskId, now);
    }
    return row;
  });
}

export async function removeAttachment(ctx: ServiceContext, taskId: string, attachmentId: string): Promise<void> {
  await onTaskIfRunning(ctx, taskId, 'delete attachment', async (tx, running) => {
    const attachment = await findTaskAttachment(tx, taskId, attachmentId);
    if (!attachment) {
      throw new InvalidRequestError(404, `Deletion is not possible. No attachment exists for task id '${taskId}' and attachment id '${attachmentId}'.`);
    }
    await deleteTaskAttachment(tx, taskId, attachmentId);
    if (running) {
      await logTaskEntityOperation(ctx, tx, running, 'DeleteAttachment', 'Attachment', { property: 'name', orgValue: null, newValue: attachment.name });
      await markTaskUpdated(tx, taskId, ctx.clock.now());
    }
  });
}

/**
 * The attachment's content as pieces read one by one, so a download holds one piece in memory at a time; throws
 * Camunda's 404 for an attachment without content.
 */
export async function attachmentContent(ctx: ServiceContext, taskId: string, attachmentId: string): Promise<AsyncIterable<Buffer>> {
  const attachment = await findTaskAttachment(ctx.database.knex, taskId, attachmentId);
  if (!attachment?.has_content) {
    throw new InvalidRequestError(404, `Attachment content for attachment with id '${attachmentId}' does not exist for task id '${taskId}'.`);
  }
  const pieces = await listContentPieces(ctx.database.knex, attachmentId);
  const db = ctx.database.knex;
  return {
    async *[Symbol.asyncIterator]() {
      for (const piece of pieces) {
        const bytes = await readContentPiece(db, attachmentId, piece);
        // Deleted while it was being sent: a cut download, never one that looks complete.
        if (!bytes) throw new ProcessEngineError(`Attachment ${attachmentId} was deleted while its content was being sent`);
        yield bytes;
      }
    },
  };
}
export type { AttachmentRow } from '../persistence/attachment-repository.js';
