/** Task attachments (`/task/{id}/attachment`): a url or uploaded content, streamed to and from the database. */
import { Router } from 'express';
import { attachmentContent, createAttachment, getAttachment, listAttachments, removeAttachment } from '../../services/attachment-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { attachmentDto } from '../dtos/comment-dtos.js';
import { selfLink } from '../dtos/links.js';
import { partText, readFormParts } from '../multipart-form.js';
import { sendJson, sendNoContent } from '../respond.js';
import { streamPieces } from './binary-variable.js';

export function attachmentRouter(ctx: ServiceContext, options: { maxUploadBytes: number }): Router {
  const router = Router();

  router.get('/task/:id/attachment', async (req, res) => {
    sendJson(res, (await listAttachments(ctx, req.params.id)).map((row) => attachmentDto(row)));
  });
  router.post('/task/:id/attachment/create', async (req, res) => {
    const parts = await readFormParts(req, options.maxUploadBytes, 'The attachment');
    const text = (name: string) => {
      const part = parts.get(name);
      return part ? partText(part) : null;
    };
    const attachment = await createAttachment(ctx, req.params.id, {
      name: text('attachment-name'),
      description: text('attachment-description'),
      type: text('attachment-type'),
      content: parts.get('content')?.pieces ?? null,
      url: text('url'),
    });
    sendJson(res, attachmentDto(attachment, selfLink(req, `/task/${req.params.id}/attachment/${attachment.id}`)));
  });
  router.get('/task/:id/attachment/:attachmentId', async (req, res) => {
    sendJson(res, attachmentDto(await getAttachment(ctx, req.params.id, req.params.attachmentId)));
  });
  router.get('/task/:id/attachment/:attachmentId/data', async (req, res) => {
    const pieces = await attachmentContent(ctx, req.params.id, req.params.attachmentId);
    res.status(200).setHeader('Content-Type', 'application/octet-stream');
    await streamPieces(res, pieces);
  });
  router.delete('/task/:id/attachment/:attachmentId', async (req, res) => {
    await removeAttachment(ctx, req.params.id, req.params.attachmentId);
    sendNoContent(res);
  });
  return router;
}
