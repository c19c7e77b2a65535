/** The one place that turns errors into Camunda's `{type, message, code}` bodies with their HTTP status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CamundaError } from '../core/errors.js';
import type { Logger } from '../services/service-context.js';
import { sendJson } from './respond.js';

interface HttpParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof CamundaError) {
      const body: Record<string, unknown> = { type: error.type, message: error.message, code: error.code };
      if (error.details) body.details = error.details;
      if (error.status >= 500) logger.warn(`${error.type}: ${error.message}`);
      sendJson(res, body, error.status);
      return;
    }
    const parserError = error as HttpParserError;
    if (parserError?.type === 'entity.parse.failed') {
      // Camunda answers malformed JSON with an empty message.
      sendJson(res, { type: 'InvalidRequestException', message: '', code: 0 }, 400);
      return;
    }
    if (parserError?.type === 'entity.too.large') {
      sendJson(res, { type: 'InvalidRequestException', message: 'The request body is larger than the server accepts.', code: 0 }, 413);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`Unexpected error: ${error instanceof Error && error.stack ? error.stack : message}`);
    sendJson(res, { type: 'ProcessEngineException', message, code: 0 }, 500);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendJson(res, { type: 'NotFoundException', message: `No resource ${req.method} ${req.path}`, code: 0 }, 404);
};
