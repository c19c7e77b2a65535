/** Multi-row writes in chunks: PostgreSQL binds at most 65,535 parameters per statement. */

/** Rows per statement: at 1,000 a row may have up to 65 columns. */
export const ROWS_PER_STATEMENT = 1_000;

/** The rows in consecutive chunks of at most `ROWS_PER_STATEMENT`, in order. */
export function statementChunks<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) chunks.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return chunks;
}
