/** The content of a Bytes or File variable for `…/data`, read from the database a piece at a time. */
import { ProcessEngineError } from '../core/errors.js';
import type { StoredValue } from '../core/typed-value.js';
import type { Db } from '../persistence/database.js';
import { readContentPiece, storedValueOf, type ContentTable, type VariableHeaderRow } from '../persistence/variable-repository.js';

/** What a download needs: the value without its content (type, file name, mime type), and the content in pieces. */
export interface VariableData {
  value: StoredValue;
  pieces: AsyncIterable<Buffer>;
}

/** A binary value without its content, where its content is kept, and the content's length. */
export interface ContentSource {
  table: ContentTable;
  id: string;
  name: string;
  value: StoredValue;
  length: number;
}

/** A download holds one piece in memory at a time; pg's hex transfer of a whole bytea would hold it several times. */
const PIECE_BYTES = 1024 * 1024;

export function contentDataOf(db: Db, source: ContentSource): VariableData {
  return {
    value: source.value,
    pieces: {
      async *[Symbol.asyncIterator]() {
        for (let offset = 0; offset < source.length; offset += PIECE_BYTES) {
          const read = await readContentPiece(db, source.table, source.id, offset, Math.min(PIECE_BYTES, source.length - offset));
          // Deleted or replaced while it was being sent: a cut download, never a mix of two contents.
          if (!read || read.contentLength !== source.length) throw new ProcessEngineError(`Variable ${source.name} changed while its content was being sent`);
          yield read.piece;
        }
      },
    },
  };
}

export function variableDataOf(db: Db, row: VariableHeaderRow): VariableData {
  return contentDataOf(db, { table: 'variable', id: row.id, name: row.name, value: storedValueOf(row), length: row.content_length ?? 0 });
}
