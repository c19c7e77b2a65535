/** Reads multipart uploads (deployments, attachments, binary variables) with a size limit, refusing oversized bodies before reading them. */
import busboy from 'busboy';
import type { Request } from 'express';
import { InvalidRequestError, RestError, UnsupportedMediaTypeError } from '../core/errors.js';

export interface MultipartForm {
  fields: Map<string, string>;
  files: Array<{ name: string; content: Buffer }>;
}

function tooLarge(maxBytes: number, what = 'The deployment'): InvalidRequestError {
  return new InvalidRequestError(413, `${what} is larger than the limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES).`);
}

function unnamedPart(): InvalidRequestError {
  return new InvalidRequestError(400, 'A part of the multipart upload has neither a file name nor a part name, so it cannot name a resource.');
}

function duplicateResource(name: string): InvalidRequestError {
  return new InvalidRequestError(400, `The deployment contains more than one resource named '${name}'; resource names must be unique within a deployment.`);
}

/** Rejects with the first error only, and stops feeding the parser while the rest of the request is drained. */
function failOnce(req: Request, reject: (error: Error) => void): { fail(error: Error): void; failed(): boolean } {
  let failed = false;
  return {
    fail(error) {
      if (failed) return;
      failed = true;
      req.unpipe();
      req.resume();
      reject(error);
    },
    failed: () => failed,
  };
}

/**
 * Camunda's form parts: known text fields by name; every other part is a resource named by its filename
 * (or, failing that, by its part name). Names are read as UTF-8, as browsers and Camunda Modeler send them.
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
    const { fail, failed } = failOnce(req, reject);
    let parser: busboy.Busboy;
    try {
      // busboy decodes header parameters as Latin-1 unless told otherwise, which garbles `résumé.bpmn`.
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: maxBytes, fieldSize: maxBytes } });
    } catch (error) {
      reject(new InvalidRequestError(400, `Cannot read the multipart upload: ${(error as Error).message}`));
      return;
    }
    const addResource = (name: string | undefined, content: Buffer) => {
      if (!name) fail(unnamedPart());
      else if (form.files.some((file) => file.name === name)) fail(duplicateResource(name));
      else form.files.push({ name, content });
    };
    parser.on('field', (name, value) => {
      if (textFields.has(name)) form.fields.set(name, value);
      else addResource(name, Buffer.from(value, 'utf8'));
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
        else addResource(info.filename || name, Buffer.concat(chunks));
      });
    });
    parser.on('error', (error: Error) => fail(new InvalidRequestError(400, `Cannot read the multipart upload: ${error.message}`)));
    parser.on('close', () => {
      if (!failed()) resolve(form);
    });
    req.pipe(parser);
  });
}

/** Content is kept in pieces of at most this size: what a database statement writes at a time. */
export const PIECE_BYTES = 1024 * 1024;

/** One part of a form as Camunda's FormPart: its bytes (in pieces, never joined), file name and content type. */
export interface FormPart {
  pieces: Buffer[];
  size: number;
  filename: string | null;
  contentType: string | null;
}

/** A part's content as text (UTF-8, as Camunda's FormPart.getTextContent()). */
export function partText(part: FormPart): string {
  return Buffer.concat(part.pieces).toString('utf8');
}

/** Appends `chunk` to the part: full pieces of exactly PIECE_BYTES go to `pieces`, the rest waits in `open` until `flush`. */
function appendPiece(pieces: Buffer[], open: Buffer[], chunk: Buffer, flush: boolean): void {
  if (chunk.length > 0) open.push(chunk);
  let size = open.reduce((sum, buffer) => sum + buffer.length, 0);
  while (size >= PIECE_BYTES) {
    const joined = Buffer.concat(open.splice(0));
    pieces.push(joined.subarray(0, PIECE_BYTES));
    if (joined.length > PIECE_BYTES) open.push(joined.subarray(PIECE_BYTES));
    size -= PIECE_BYTES;
  }
  if (flush && size > 0) pieces.push(Buffer.concat(open.splice(0)));
}

/**
 * Every part of a multipart/form-data upload by name (the first of a name wins, as Camunda's getNamedPart), binary
 * parts as bytes: text parts are read as Latin-1 (one byte per character) and turned back into their bytes, so
 * content sent without a file name survives too. More than `maxBytes` in all is a 413 naming `what`.
 */
export function readFormParts(req: Request, maxBytes: number, what: string): Promise<Map<string, FormPart>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes, what));
  if (!req.is('multipart/form-data')) return Promise.reject(new UnsupportedMediaTypeError());
  return new Promise((resolve, reject) => {
    const parts = new Map<string, FormPart>();
    let total = 0;
    const { fail, failed } = failOnce(req, reject);
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', defCharset: 'latin1', limits: { fileSize: maxBytes, fieldSize: maxBytes } });
    } catch (error) {
      reject(new RestError(400, `multipart/form-data cannot be processed: ${(error as Error).message}`));
      return;
    }
    const count = (length: number): boolean => {
      total += length;
      if (total > maxBytes) fail(tooLarge(maxBytes, what));
      return !failed();
    };
    parser.on('field', (name, value, info) => {
      const bytes = Buffer.from(value, 'latin1');
      if (!count(bytes.length) || parts.has(name)) return;
      parts.set(name, { pieces: bytes.length > 0 ? [bytes] : [], size: bytes.length, filename: null, contentType: info.mimeType === 'text/plain' ? null : info.mimeType });
    });
    parser.on('file', (name, stream, info) => {
      const part: FormPart = { pieces: [], size: 0, filename: info.filename ?? null, contentType: info.mimeType };
      const open: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!count(chunk.length)) {
          stream.resume();
          return;
        }
        part.size += chunk.length;
        appendPiece(part.pieces, open, chunk, false);
      });
      stream.on('limit', () => fail(tooLarge(maxBytes, what)));
      stream.on('end', () => {
        appendPiece(part.pieces, open, Buffer.alloc(0), true);
        if (!parts.has(name)) parts.set(name, part);
      });
    });
    parser.on('error', (error: Error) => fail(new RestError(400, `multipart/form-data cannot be processed: ${error.message}`)));
    parser.on('close', () => {
      if (!failed()) resolve(parts);
    });
    req.pipe(parser);
  });
}
