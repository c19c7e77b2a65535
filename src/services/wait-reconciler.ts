/** Keeps the wait-state rows (tasks, external tasks, timer jobs) equal to what the engine waits for (DESIGN §4 step 4). */
import type { Db } from '../persistence/database.js';
import { removeIncidentsOfInstance } from './incident-lifecycle.js';
import { WAIT_ROWS } from './waits/wait-registry.js';
import type { WaitReconciliation, WaitRow } from './waits/wait-rows.js';

export type { WaitReconciliation };

/** For each kind of rows: removes the rows of waits that ended, creates rows for waits that began. */
export async function reconcileWaits(db: Db, input: WaitReconciliation): Promise<void> {
  for (const rows of WAIT_ROWS) {
    const waits = input.waits.filter((wait) => rows.kinds.includes(wait.kind));
    const existing: WaitRow[] = input.isNew ? [] : await rows.list(db, input.identity.processInstanceId);
    const waiting = new Set(waits.map((wait) => wait.executionId));
    await rows.remove(db, input, existing.filter((row) => !waiting.has(row.engine_execution_id ?? '')));
    const known = new Map(existing.map((row) => [row.engine_execution_id, row]));
    await rows.create(db, input, waits.filter((wait) => !known.has(wait.executionId)));
    // Rows that stay follow their execution when the tree changed shape (Camunda moves them too).
    for (const wait of waits) {
      const row = known.get(wait.executionId);
      const executionId = row ? input.executionOf(wait) : null;
      if (row && executionId !== row.execution_id) await db(rows.table).where({ id: row.id }).update({ [rows.executionColumn ?? 'execution_id']: executionId });
    }
  }
}

/** Removes every wait-state row of an instance that ended or was deleted, and its incidents. */
export async function removeAllWaits(db: Db, processInstanceId: string, now: Date): Promise<void> {
  for (const rows of WAIT_ROWS) await rows.removeAll(db, processInstanceId, now);
  await removeIncidentsOfInstance(db, processInstanceId, now);
}

/** The engine execution ids of every wait row of an instance, for the self-check. */
export async function waitRowExecutionIds(db: Db, processInstanceId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const rows of WAIT_ROWS) for (const row of await rows.list(db, processInstanceId)) ids.push(row.engine_execution_id ?? '');
  return ids;
}
