/** The outbox: deliveries of external tasks waiting for the relay to publish them to Kafka (claimed with SKIP LOCKED). */
import type { Db } from './database.js';

export interface OutboxRow {
  id: string;
  external_task_id: string;
  attempt: number;
  topic: string;
  message_key: string;
  traceparent: string | null;
  available_at: Date;
  leased_until: Date | null;
  created: Date;
}

export type NewOutboxRow = Omit<OutboxRow, 'id' | 'leased_until'>;

export async function insertOutboxRows(db: Db, rows: NewOutboxRow[]): Promise<void> {
  if (rows.length > 0) await db('outbox').insert(rows);
}

/**
 * Leases up to `limit` rows due at `now` that no other relay holds: a relay that dies before publishing them loses its
 * lease, and another takes them over once it ran out. Oldest first, so a backlog drains in order.
 */
export async function leaseDueOutboxRows(db: Db, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const due = db('outbox')
    .select('id')
    .where('available_at', '<=', now)
    .where((q) => q.whereNull('leased_until').orWhere('leased_until', '<=', now))
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  const rows = (await db('outbox')
    .withMaterialized('due', due)
    .whereIn('id', db('due').select('id'))
    .update({ leased_until: new Date(now.getTime() + leaseMs) })
    .returning('*')) as OutboxRow[];
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export async function deleteOutboxRows(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db('outbox').whereIn('id', ids).delete();
}

/** Gives leased rows back at once (their publish failed), so the next attempt need not wait for the lease to run out. */
export async function releaseOutboxRows(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db('outbox').whereIn('id', ids).update({ leased_until: null });
}

/** How many rows wait and since when the oldest due one waits: the relay's lag. */
export async function outboxBacklog(db: Db, now: Date): Promise<{ pending: number; oldestDue: Date | null }> {
  const row = await db('outbox').where('available_at', '<=', now).select(db.raw('count(*) as pending, min(available_at) as oldest')).first();
  return { pending: Number(row?.pending ?? 0), oldestDue: row?.oldest ? new Date(row.oldest) : null };
}
