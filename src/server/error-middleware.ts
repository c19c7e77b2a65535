/** The one place that turns errors into Camunda's `{type, message, code}` bodies with their HTTP status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CamundaError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../services/service-context.js';
import { errorFields } from '../telemetry/error-fields.js';
import { sendJson } from './respond.js';

interface HttpParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/**
 * PostgreSQL's data exceptions a request can cause with a value no check caught first; the transaction was rolled
 * back, and the client can correct the request, so they answer 400 without the SQL the driver's message holds.
 */
const POSTGRES_DATA_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  // From JavaScript strings (always valid UTF-8 once encoded) the only text PostgreSQL refuses holds NUL.
  ['22021', 'The request contains a NUL character (\\u0000), which the engine cannot store in text.'],
  ['22P05', 'The request contains a NUL character (\\u0000), which the engine cannot store in text.'],
  ['22003', 'A number in the request is outside the range the engine can store.'],
  ['22008', 'A date or duration in the request is outside the range the engine can store.'],
]);

function dataExceptionMessage(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? POSTGRES_DATA_EXCEPTIONS.get(code) : undefined;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof CamundaError) {
      const body: Record<string, unknown> = { type: error.type, message: error.message, code: error.code };
      if (error.details) body.details = error.details;
      if (error.fields) Object.assign(body, error.fields);
      // The message goes to the client only: it may quote the value an expression or a worker failed on. A typed 500
      // is an answer Camunda gives too (a lost race, an engine refusal), so a warning; unexpected errors are errors.
      if (error.status >= 500) logger.warn('Request failed', { err: errorFields(error) });
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
    const dataException = dataExceptionMessage(error);
    if (dataException !== undefined) {
      sendJson(res, { type: 'InvalidRequestException', message: dataException, code: 0 }, 400);
      return;
    }
    // An unexpected error's message may hold SQL, values or paths: the client gets an id, the log its type and stack.
    const errorId = newId();
    logger.error('Unexpected error', { errorId, err: errorFields(error) });
    sendJson(res, { type: 'ProcessEngineException', message: `An unexpected error occurred; the server log has its details under error id ${errorId}.`, code: 0 }, 500);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendJson(res, { type: 'NotFoundException', message: `No resource ${req.method} ${req.path}`, code: 0 }, 404);
};
