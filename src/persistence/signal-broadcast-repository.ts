/** Signal broadcasts still being delivered: each receiving instance moves in its own transaction, none twice. */
import type { Db } from './database.js';

export interface SignalBroadcastRow {
  id: string;
  signal_name: string;
  tenant_choice: 'any' | 'none' | 'tenant';
  tenant_id: string | null;
  variables: string | null;
  source_instance_id: string | null;
  created: Date;
  starts_done: boolean;
  claimed_until: Date | null;
}

export async function insertSignalBroadcast(db: Db, row: SignalBroadcastRow): Promise<void> {
  await db('signal_broadcast').insert(row);
}

/** Claims a broadcast for delivery until `until`, unless another node holds it; returns it when claimed. */
export async function claimSignalBroadcast(db: Db, id: string, now: Date, until: Date): Promise<SignalBroadcastRow | undefined> {
  const [row] = (await db('signal_broadcast')
    .where({ id })
    .where((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now))
    .update({ claimed_until: until })
    .returning('*')) as SignalBroadcastRow[];
  return row;
}

/** Broadcasts nobody delivers now: their deliverer died, or their command's node did before delivering them. */
export async function listUnclaimedSignalBroadcasts(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db('signal_broadcast').select('id').where((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now)).orderBy('created').limit(limit);
  return rows.map((row: { id: string }) => row.id);
}

export async function markSignalStartsDone(db: Db, id: string): Promise<boolean> {
  return (await db('signal_broadcast').where({ id, starts_done: false }).update({ starts_done: true })) === 1;
}

export async function deleteSignalBroadcast(db: Db, id: string): Promise<void> {
  await db('signal_broadcast').where({ id }).delete();
}

/** Extends the claim of a broadcast this node is still delivering. */
export async function renewSignalBroadcast(db: Db, id: string, until: Date): Promise<void> {
  await db('signal_broadcast').where({ id }).update({ claimed_until: until });
}
