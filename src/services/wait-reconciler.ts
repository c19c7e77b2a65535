/** Keeps the wait-state rows (tasks, external tasks, timer jobs) equal to what the engine waits for (DESIGN §4 step 4). */
import type { Db } from '../persistence/database.js';
import { deleteRuntimeOfInstance } from '../persistence/instance-runtime-repository.js';
import { endHistoricIncidents } from '../persistence/historic-incident-repository.js';
import { endHistoricTaskInstances } from '../persistence/historic-task-repository.js';
import { WAIT_ROWS } from './waits/wait-registry.js';
import type { WaitReconciliation, WaitRow } from './waits/wait-rows.js';
import type { WaitKind } from '../engine/index.js';

export type { WaitReconciliation };

/**
 * For each kind of rows: removes the rows of waits that ended, creates rows for waits that began, and moves rows
 * whose execution changed. With the waits the engine resumed, only the rows of what changed are read.
 */
export async function reconcileWaits(db: Db, input: WaitReconciliation): Promise<void> {
  if (input.isNew || input.resumedWaits === null) return compareEveryRow(db, input);
  const resumed = input.resumedWaits;
  // One query counts each kind's rows: a damaged database (a row lost) falls back to comparing every row.
  if (!(await rowsMatch(db, input.identity.processInstanceId, resumed))) return compareEveryRow(db, input);
  for (const rows of WAIT_ROWS) {
    const waits = input.waits.filter((wait) => rows.kinds.includes(wait.kind));
    const waiting = new Set(waits.map((wait) => wait.executionId));
    const ended = [...resumed].filter(([executionId, kind]) => rows.kinds.includes(kind) && !waiting.has(executionId)).map(([executionId]) => executionId);
    if (ended.length > 0) await rows.remove(db, input, await rows.list(db, input.identity.processInstanceId, ended));
    await rows.create(db, input, waits.filter((wait) => !resumed.has(wait.executionId)));
    for (const wait of waits) {
      if (!resumed.has(wait.executionId)) continue;
      const executionId = input.executionOf(wait);
      if (executionId === input.previousExecutionOf(wait)) continue;
      await db(rows.table)
        .where({ [rows.engineExecutionColumn ?? 'engine_execution_id']: wait.executionId })
        .update({ [rows.executionColumn ?? 'execution_id']: executionId });
    }
  }
}

async function rowsMatch(db: Db, processInstanceId: string, resumed: ReadonlyMap<string, WaitKind>): Promise<boolean> {
  const counts = (await db.select(Object.fromEntries(WAIT_ROWS.map((rows, i) => [`kind${i}`, rows.count(db, processInstanceId)]))).first()) as Record<string, string | number>;
  return WAIT_ROWS.every((rows, i) => Number(counts[`kind${i}`]) === [...resumed.values()].filter((kind) => rows.kinds.includes(kind)).length);
}

/** Reads every row of the instance and compares it with the waits: for new instances and resume-only reconciliation. */
async function compareEveryRow(db: Db, input: WaitReconciliation): Promise<void> {
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

/**
 * Removes an instance that ended or was deleted with every runtime row it has (wait rows, incidents, executions,
 * variables), closes the history of its tasks and incidents, and returns the called instances still running.
 */
export async function removeInstanceRuntime(db: Db, processInstanceId: string, now: Date): Promise<string[]> {
  const removed = await deleteRuntimeOfInstance(db, processInstanceId, now);
  await endHistoricTaskInstances(db, removed.taskIds, now);
  await endHistoricIncidents(db, removed.incidentIds, now);
  await endHistoricIncidents(db, removed.customIncidentIds, now, 'deleted');
  return removed.calledInstanceIds;
}

/** The engine execution ids of every wait row of an instance, for the self-check. */
export async function waitRowExecutionIds(db: Db, processInstanceId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const rows of WAIT_ROWS) for (const row of await rows.list(db, processInstanceId)) ids.push(row.engine_execution_id ?? '');
  return ids;
}
