/** When history may be removed: Camunda's default removal time strategy "end", a time to live in days after the end. */
import type { Db } from '../persistence/database.js';
import { stampRemovalTimeOfRoot } from '../persistence/history-repository.js';

/** `time` plus `historyTimeToLive` calendar days (UTC); null when the definition has no time to live. */
export function removalTimeAfter(time: Date, historyTimeToLive: number | null): Date | null {
  if (historyTimeToLive === null) return null;
  const removalTime = new Date(time);
  removalTime.setUTCDate(removalTime.getUTCDate() + historyTimeToLive);
  return removalTime;
}

/**
 * Call when a root process instance ended (completed or deleted), after its last history row is written: all history
 * of its call tree gets the end time plus the root definition's time to live. Running instances keep none.
 */
export async function stampHistoryOfEndedRoot(db: Db, rootProcessInstanceId: string, endTime: Date, historyTimeToLive: number | null): Promise<void> {
  const removalTime = removalTimeAfter(endTime, historyTimeToLive);
  if (removalTime) await stampRemovalTimeOfRoot(db, rootProcessInstanceId, removalTime);
}
