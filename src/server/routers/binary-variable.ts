/** Sends the content of a File or Bytes variable, as Camunda's `…/variables/{name}/data`. */
import type { Response } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import type { StoredValue } from '../../core/typed-value.js';

export function sendBinaryVariable(res: Response, name: string, value: StoredValue): void {
  if (value.type === 'Bytes') {
    res.status(200).set('Content-Type', 'application/octet-stream').send(value.bytes ?? Buffer.alloc(0));
    return;
  }
  if (value.type === 'File') {
    const info = value.valueInfo as { filename?: string; mimeType?: string; encoding?: string };
    const type = `${info.mimeType ?? 'application/octet-stream'}${info.encoding ? `; charset=${info.encoding}` : ''}`;
    res.status(200).set('Content-Type', type).set('Content-Disposition', `attachment; filename="${(info.filename ?? name).replace(/"/g, '')}"`).send(value.bytes ?? Buffer.alloc(0));
    return;
  }
  throw new InvalidRequestError(400, `Value of variable with id ${name} is not a binary value.`);
}
