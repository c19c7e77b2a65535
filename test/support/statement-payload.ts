/**
 * The largest binary value any database statement sent or received while `work` ran (knex's query events): how a test
 * shows that content travels in pieces, never whole, to and from the database.
 */
import type { Knex } from 'knex';

function largestBinary(value: unknown, depth = 0): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (depth > 3 || value === null || typeof value !== 'object') return 0;
  return Math.max(0, ...Object.values(value as Record<string, unknown>).map((item) => largestBinary(item, depth + 1)));
}

export async function largestStatementPayload(knex: Knex, work: () => Promise<void>): Promise<{ sent: number; received: number; statements: number }> {
  const seen = { sent: 0, received: 0, statements: 0 };
  const onQuery = (query: { bindings?: unknown[] }) => {
    seen.statements += 1;
    seen.sent = Math.max(seen.sent, largestBinary(query.bindings ?? []));
  };
  const onResponse = (response: unknown) => {
    seen.received = Math.max(seen.received, largestBinary(Array.isArray(response) ? response : [response]));
  };
  knex.on('query', onQuery).on('query-response', onResponse);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
    knex.off('query-response', onResponse);
  }
  return seen;
}
