/** Writes responses exactly as Camunda clients expect: `application/json` with no charset, and bare 204s. */
import type { Response } from 'express';
import { toExactJson } from '../core/exact-json.js';

export function sendJson(res: Response, body: unknown, status = 200): void {
  // camunda-external-task-client-js only parses a body whose content type is exactly application/json.
  // res.set() would append "; charset=utf-8", so the header is set on the Node response directly.
  res.status(status);
  res.setHeader('Content-Type', 'application/json');
  res.send(Buffer.from(toExactJson(body), 'utf8'));
}

/** A 200 with no body and no content type, as Camunda answers a DELETE of definitions. */
export function sendEmptyOk(res: Response): void {
  res.removeHeader('Content-Type');
  res.status(200).end();
}

/** A deployed file (a diagram image) with its media type, as Camunda's attachment. */
export function sendFile(res: Response, file: { name: string; content: Buffer; contentType: string }): void {
  const ascii = file.name.replace(/[^\x20-\x7e]|"/g, '_');
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  res.end(file.content);
}

export function sendNoContent(res: Response): void {
  // A 204 with a JSON content type makes the external-task client fail with "Unexpected end of JSON input".
  res.removeHeader('Content-Type');
  res.status(204).end();
}

/** A text body as Camunda sends error details and stacktraces (`text/plain`); none is a bare 204. */
export function sendText(res: Response, text: string | null): void {
  if (text === null) {
    sendNoContent(res);
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/plain');
  // A Buffer, so Express adds no charset to the content type.
  res.send(Buffer.from(text, 'utf8'));
}
