/** The content of a Bytes or File variable for `…/data`, read from the database a piece at a time. */
import { ProcessEngineError } from '../core/errors.js';
import type { StoredValue } from '../core/typed-value.js';
import type { Db } from '../persistence/database.js';
import { readVariableContentPiece, storedValueOf, type VariableHeaderRow } from '../persistence/variable-repository.js';

/** What a download needs: the value without its content (type, file name, mime type), and the content in pieces. */
export interface VariableData {
  value: StoredValue;
  pieces: AsyncIterable<Buffer>;
}

/** A download holds one piece in memory at a time; pg's hex transfer of a whole bytea would hold it several times. */
const PIECE_BYTES = 1024 * 1024;

export function variableDataOf(db: Db, row: VariableHeaderRow): VariableData {
  const length = row.content_length ?? 0;
  return {
    value: storedValueOf(row),
    pieces: {
      async *[Symbol.asyncIterator]() {
        for (let offset = 0; offset < length; offset += PIECE_BYTES) {
          const read = await readVariableContentPiece(db, row.id, offset, Math.min(PIECE_BYTES, length - offset));
          // Deleted or replaced while it was being sent: a cut download, never a mix of two contents.
          if (!read || read.contentLength !== length) throw new ProcessEngineError(`Variable ${row.name} changed while its content was being sent`);
          yield read.piece;
        }
      },
    },
  };
}
