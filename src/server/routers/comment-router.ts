/** Comments of tasks (`/task/{id}/comment`) and process instances (`/process-instance/{id}/comment`). */
import { Router } from 'express';
import {
  createTaskComment,
  deleteProcessInstanceComments,
  deleteTaskComments,
  getTaskComment,
  listProcessInstanceComments,
  listTaskComments,
  updateProcessInstanceComment,
  updateTaskComment,
} from '../../services/comment-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { commentBody } from '../body-schemas.js';
import { commentDto } from '../dtos/comment-dtos.js';
import { selfLink } from '../dtos/links.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

export function commentRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.get('/task/:id/comment', async (req, res) => {
    sendJson(res, (await listTaskComments(ctx, req.params.id)).map((row) => commentDto(row)));
  });
  router.post('/task/:id/comment/create', async (req, res) => {
    const comment = await createTaskComment(ctx, req.params.id, readBody(req, commentBody));
    sendJson(res, commentDto(comment, selfLink(req, `/task/${req.params.id}/comment/${comment.id}`)));
  });
  router.put('/task/:id/comment', async (req, res) => {
    await updateTaskComment(ctx, req.params.id, readBody(req, commentBody));
    sendNoContent(res);
  });
  router.delete('/task/:id/comment', async (req, res) => {
    await deleteTaskComments(ctx, req.params.id);
    sendNoContent(res);
  });
  router.get('/task/:id/comment/:commentId', async (req, res) => {
    sendJson(res, commentDto(await getTaskComment(ctx, req.params.id, req.params.commentId)));
  });
  router.delete('/task/:id/comment/:commentId', async (req, res) => {
    await deleteTaskComments(ctx, req.params.id, req.params.commentId);
    sendNoContent(res);
  });

  router.get('/process-instance/:id/comment', async (req, res) => {
    sendJson(res, (await listProcessInstanceComments(ctx, req.params.id)).map((row) => commentDto(row)));
  });
  router.put('/process-instance/:id/comment', async (req, res) => {
    await updateProcessInstanceComment(ctx, req.params.id, readBody(req, commentBody));
    sendNoContent(res);
  });
  router.delete('/process-instance/:id/comment', async (req, res) => {
    await deleteProcessInstanceComments(ctx, req.params.id);
    sendNoContent(res);
  });
  router.delete('/process-instance/:id/comment/:commentId', async (req, res) => {
    await deleteProcessInstanceComments(ctx, req.params.id, req.params.commentId);
    sendNoContent(res);
  });
  return router;
}
