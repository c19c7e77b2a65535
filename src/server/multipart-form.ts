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

function unnamedPart(): InvalidRequestError {
  return new InvalidRequestError(400, 'A part of the multipart upload has neither a file name nor a part name, so it cannot name a resource.');
}

function duplicateResource(name: string): InvalidRequestError {
  return new InvalidRequestError(400, `The deployment contains more than one resource named '${name}'; resource names must be unique within a deployment.`);
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
      if (!failed) resolve(form);
    });
    req.pipe(parser);
  });
}
