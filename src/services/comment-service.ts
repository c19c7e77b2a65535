/**
 * Comments on tasks and process instances, as Camunda's TaskService: history rows that outlive the task (a completed
 * task's comments are still listed, and it can get new ones); changing them needs the runtime task or instance.
 */
import type { Knex } from 'knex';
import { InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { deleteComments, findComment, insertComment, listComments, tasksWithComments, updateComment, type CommentOwner, type CommentRow } from '../persistence/comment-repository.js';
import { tasksWithAttachments } from '../persistence/attachment-repository.js';
import { findHistoricTaskInstance } from '../persistence/historic-task-repository.js';
import { findHistoricProcessInstance } from '../persistence/history-repository.js';
import { findTask, isProcessTask, lockStandaloneTask, type TaskRow } from '../persistence/task-repository.js';
import { currentAuthentication } from './authentication.js';
import { lockInstance, type LockedInstance } from './command-kernel.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { logTaskOperation, markTaskUpdated } from './task-service.js';
import { instanceTarget, logUserOperation, type PropertyChange } from './user-operation-log.js';

interface RunningTask {
  task: TaskRow;
  /** Null for a stand-alone task, which has no instance. */
  lock: LockedInstance | null;
}

/** Camunda's ensureNotNull message, answered as a 400 by the comment resources. */
function isNull(description: string, name: string): InvalidRequestError {
  return new InvalidRequestError(400, `${description}: ${name} is null`);
}

/** Camunda's resources check the task in history, so a completed task still has its comments. */
export async function requireHistoricTask(ctx: ServiceContext, taskId: string, status: number): Promise<void> {
  if (!(await findHistoricTaskInstance(ctx.database.knex, taskId))) throw new InvalidRequestError(status, `No task found for task id ${taskId}`);
}

async function requireHistoricInstance(ctx: ServiceContext, processInstanceId: string): Promise<void> {
  if (!(await findHistoricProcessInstance(ctx.database.knex, processInstanceId))) throw new InvalidRequestError(404, `No process instance found for id ${processInstanceId}`);
}

/** Runs `work` in one command; a runtime task is locked with its instance first, an ended one is null. */
export function onTaskIfRunning<T>(ctx: ServiceContext, taskId: string, name: string, work: (tx: Knex.Transaction, running: RunningTask | null) => Promise<T>): Promise<T> {
  return runCommand(ctx, name, async ({ tx }) => {
    const unlocked = await findTask(tx, taskId);
    if (!unlocked) return work(tx, null);
    if (!isProcessTask(unlocked)) {
      const task = await lockStandaloneTask(tx, taskId);
      return work(tx, task ? { task, lock: null } : null);
    }
    const lock = await lockInstance(tx, unlocked.process_instance_id, () => isNull(`No task exists with taskId: ${taskId}`, 'task'));
    const task = await findTask(tx, taskId);
    return work(tx, task ? { task, lock } : null);
  });
}

/** Camunda's logCommentOperation / logAttachmentOperation for a task (category TaskWorker). */
export async function logTaskEntityOperation(ctx: ServiceContext, tx: Knex.Transaction, running: RunningTask, operationType: string, entityType: 'Comment' | 'Attachment', change: PropertyChange): Promise<void> {
  await logTaskOperation(ctx, tx, running.task, running.lock, operationType, entityType, [change]);
}

/** Camunda's withCommentAttachmentInfo: whether each task has comments and attachments. */
export async function commentAndAttachmentFlags(ctx: ServiceContext, taskIds: readonly string[]): Promise<(taskId: string) => { attachment: boolean; comment: boolean }> {
  const [comments, attachments] = [await tasksWithComments(ctx.database.knex, taskIds), await tasksWithAttachments(ctx.database.knex, taskIds)];
  return (taskId) => ({ attachment: attachments.has(taskId), comment: comments.has(taskId) });
}

export async function listTaskComments(ctx: ServiceContext, taskId: string): Promise<CommentRow[]> {
  await requireHistoricTask(ctx, taskId, 404);
  return listComments(ctx.database.knex, { taskId });
}

export async function getTaskComment(ctx: ServiceContext, taskId: string, commentId: string): Promise<CommentRow> {
  const comment = await findComment(ctx.database.knex, { taskId }, commentId);
  if (!comment) throw new InvalidRequestError(404, `Task comment with id ${commentId} does not exist for task id '${taskId}'.`);
  return comment;
}

/** A comment on a task, and on the instance named in the request (Camunda takes it from there, not from the task). */
export async function createTaskComment(ctx: ServiceContext, taskId: string, request: { message?: string | null; processInstanceId?: string | null }): Promise<CommentRow> {
  await requireHistoricTask(ctx, taskId, 400);
  const message = request.message;
  if (message === null || message === undefined) throw new InvalidRequestError(400, 'Not enough parameters submitted');
  return onTaskIfRunning(ctx, taskId, 'create comment', async (tx, running) => {
    const now = ctx.clock.now();
    const row: CommentRow = {
      id: newId(),
      task_id: taskId,
      process_instance_id: request.processInstanceId ?? null,
      root_process_instance_id: running?.lock?.row.root_process_instance_id ?? null,
      user_id: currentAuthentication()?.userId ?? null,
      time: now,
      message,
      removal_time: null,
    };
    await insertComment(tx, row);
    if (running) await markTaskUpdated(tx, taskId, now);
    return row;
  });
}

function requireUpdate(commentId: string | null | undefined, message: string | null | undefined): { commentId: string; message: string } {
  if (commentId === null || commentId === undefined) throw new InvalidRequestError(400, 'commentId is null');
  if (message === null || message === undefined) throw new InvalidRequestError(400, 'message is null');
  return { commentId, message };
}

export async function updateTaskComment(ctx: ServiceContext, taskId: string, request: { id?: string | null; message?: string | null }): Promise<void> {
  await requireHistoricTask(ctx, taskId, 404);
  const { commentId, message } = requireUpdate(request.id, request.message);
  await onTaskIfRunning(ctx, taskId, 'update comment', async (tx, running) => {
    const comment = await findComment(tx, { taskId }, commentId);
    if (!comment) throw isNull(`No comment exists with commentId: ${commentId} and taskId: ${taskId}`, 'comment');
    if (!running) throw isNull(`No task exists with taskId: ${taskId}`, 'task');
    const now = ctx.clock.now();
    await updateComment(tx, commentId, { message, time: now, user_id: currentAuthentication()?.userId ?? null });
    await logTaskEntityOperation(ctx, tx, running, 'UpdateComment', 'Comment', { property: 'comment', orgValue: comment.message, newValue: message });
    await markTaskUpdated(tx, taskId, now);
  });
}

/** Deletes one comment of a running task (none such is no error), or all without `commentId`. */
export async function deleteTaskComments(ctx: ServiceContext, taskId: string, commentId?: string): Promise<void> {
  await requireHistoricTask(ctx, taskId, 404);
  await onTaskIfRunning(ctx, taskId, 'delete comment', async (tx, running) => {
    if (!running) throw isNull(`No task exists with taskId: ${taskId}`, 'task');
    await deleteComments(tx, { taskId }, commentId);
    await logTaskEntityOperation(ctx, tx, running, 'DeleteComment', 'Comment', { property: 'comment', orgValue: null, newValue: null });
    await markTaskUpdated(tx, taskId, ctx.clock.now());
  });
}

export async function listProcessInstanceComments(ctx: ServiceContext, processInstanceId: string): Promise<CommentRow[]> {
  await requireHistoricInstance(ctx, processInstanceId);
  return listComments(ctx.database.knex, { processInstanceId });
}

/** Runs `work` on a running instance, locked; an ended one is Camunda's 400. */
async function onRunningInstance(ctx: ServiceContext, processInstanceId: string, name: string, work: (tx: Knex.Transaction, lock: LockedInstance) => Promise<void>): Promise<void> {
  await requireHistoricInstance(ctx, processInstanceId);
  await runCommand(ctx, name, async ({ tx }) => {
    const lock = await lockInstance(tx, processInstanceId, () => isNull(`No processInstance exists with processInstanceId: ${processInstanceId}`, 'processInstance'));
    await work(tx, lock);
  });
}

async function logInstanceCommentOperation(ctx: ServiceContext, tx: Knex.Transaction, lock: LockedInstance, operationType: string, change: PropertyChange): Promise<void> {
  const target = instanceTarget({ processInstanceId: lock.identity.processInstanceId, rootProcessInstanceId: lock.row.root_process_instance_id, definition: lock.identity.definition });
  await logUserOperation(ctx, tx, { operationType, entityType: 'Comment', category: 'Operator', target, properties: [change] });
}

export async function updateProcessInstanceComment(ctx: ServiceContext, processInstanceId: string, request: { id?: string | null; message?: string | null }): Promise<void> {
  await requireHistoricInstance(ctx, processInstanceId);
  const { commentId, message } = requireUpdate(request.id, request.message);
  const owner: CommentOwner = { processInstanceId };
  const comment = await findComment(ctx.database.knex, owner, commentId);
  if (!comment) throw isNull(`No comment exists with commentId: ${commentId} and processInstanceId: ${processInstanceId}`, 'comment');
  await onRunningInstance(ctx, processInstanceId, 'update comment', async (tx, lock) => {
    await updateComment(tx, commentId, { message, time: ctx.clock.now(), user_id: currentAuthentication()?.userId ?? null });
    await logInstanceCommentOperation(ctx, tx, lock, 'UpdateComment', { property: 'comment', orgValue: comment.message, newValue: message });
  });
}

export async function deleteProcessInstanceComments(ctx: ServiceContext, processInstanceId: string, commentId?: string): Promise<void> {
  await onRunningInstance(ctx, processInstanceId, 'delete comment', async (tx, lock) => {
    await deleteComments(tx, { processInstanceId }, commentId);
    await logInstanceCommentOperation(ctx, tx, lock, 'DeleteComment', { property: 'comment', orgValue: null, newValue: null });
  });
}
export type { CommentRow } from '../persistence/comment-repository.js';
