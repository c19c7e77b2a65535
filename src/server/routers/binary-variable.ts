/** Sends the content of a File or Bytes variable, as Camunda's `…/variables/{name}/data`, a piece at a time. */
import type { Response } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import type { VariableData } from '../../services/variable-data.js';

/** Characters a quoted `filename="…"` can carry as they are: printable ASCII without `"` and `\`. */
const PLAIN_FILENAME_CHARACTER = /^[\x20-\x21\x23-\x5b\x5d-\x7e]$/;

/**
 * `attachment; filename="…"` as Camunda sends it; a name outside printable ASCII (which a header cannot carry)
 * gets an ASCII fallback and the exact name as RFC 5987 `filename*` (RFC 6266), which browsers prefer.
 */
function attachmentDisposition(filename: string): string {
  const fallback = Array.from(filename, (character) => (PLAIN_FILENAME_CHARACTER.test(character) ? character : '_')).join('');
  const plain = `attachment; filename="${fallback}"`;
  if (fallback === filename) return plain;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${plain}; filename*=UTF-8''${encoded}`;
}

/**
 * Streams the content piece by piece, waiting while the client is slower than the database. `id` is what Camunda's
 * refusal of a value that is not binary names: the variable instance's id, or the task's or execution's whose
 * variable was asked for; `name` is a File's fallback file name.
 */
export async function sendBinaryVariable(res: Response, id: string, name: string, data: VariableData): Promise<void> {
  const value = data.value;
  if (value.type === 'Bytes') {
    res.status(200).setHeader('Content-Type', 'application/octet-stream');
  } else if (value.type === 'File') {
    const info = value.valueInfo as { filename?: string; mimeType?: string; encoding?: string };
    // As JAX-RS writes a media type with a charset: no space before it.
    const declared = `${info.mimeType ?? 'application/octet-stream'}${info.encoding ? `;charset=${info.encoding}` : ''}`;
    // mimeType and encoding are the client's text: one a header cannot carry falls back to plain bytes.
    const type = /^[\x20-\x7e]+$/.test(declared) ? declared : 'application/octet-stream';
    // setHeader, not set: Express would append a charset Camunda does not send.
    res.status(200).setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', attachmentDisposition(info.filename ?? name));
  } else {
    throw new InvalidRequestError(400, `Value of variable with id ${id} is not a binary value.`);
  }
  await streamPieces(res, data.pieces);
}

/**
 * Writes each piece as it is read, waiting while the client is slower than the database; stops when the client
 * leaves. A failure after the headers went out can only break the connection, so the client sees a cut download.
 */
export async function streamPieces(res: Response, pieces: AsyncIterable<Buffer>): Promise<void> {
  try {
    for await (const piece of pieces) {
      if (res.destroyed) return;
      if (!res.write(piece)) {
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}
