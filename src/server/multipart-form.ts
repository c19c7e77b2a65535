/** Reads a multipart deployment upload with a size limit, refusing oversized bodies before reading them. */
import busboy from 'busboy';
import type { Request } from 'express';
import { InvalidRequestError } from '../core/errors.js';

export interface MultipartForm {
  fields: Map<string, string>;
  files: Array<{ name: string; content: Buffer }>;
}

function tooLarge(maxBytes: number): InvalidRequestError {
  return new InvalidRequestError(413, `The deployment is larger than the limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES).`);
}

/**
 * Camunda's form parts: known text fields by name; every other part is a resource named by its filename
 * (or, failing that, by its part name).
 */
export function readMultipartForm(req: Request, maxBytes: number, textFields: ReadonlySet<string>): Promise<MultipartForm> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new InvalidRequestError(400, 'The deployment must be a multipart/form-data upload.'));
  }
  return new Promise((resolve, reject) => {
    const form: MultipartForm = { fields: new Map(), files: [] };
    let total = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe();
      req.resume();
      reject(error);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, fieldSize: maxBytes } });
    } catch (error) {
      reject(new InvalidRequestError(400, `Cannot read the multipart upload: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      if (textFields.has(name)) form.fields.set(name, value);
      else form.files.push({ name, content: Buffer.from(value, 'utf8') });
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          stream.resume();
          fail(tooLarge(maxBytes));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      stream.on('end', () => {
        if (textFields.has(name)) form.fields.set(name, Buffer.concat(chunks).toString('utf8'));
        else form.files.push({ name: info.filename || name, content: Buffer.concat(chunks) });
      });
    });
    parser.on('error', (error: Error) => fail(new InvalidRequestError(400, `Cannot read the multipart upload: ${error.message}`)));
    parser.on('close', () => {
      if (!failed) resolve(form);
    });
    req.pipe(parser);
  });
}
