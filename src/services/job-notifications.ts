/** The NOTIFY channel that wakes job executors when a job is created: its payload is the job's due date (ISO 8601). */
import type { Db } from '../persistence/database.js';
import { notify } from '../persistence/notifier.js';

export const JOB_CHANNEL = 'engine_job';

/** Delivered on COMMIT, so an executor woken by it sees the job. */
export async function announceJobDue(db: Db, dueDates: ReadonlyArray<Date | null>): Promise<void> {
  const due = dueDates.filter((date): date is Date => date !== null);
  if (due.length === 0) return;
  const earliest = new Date(Math.min(...due.map((date) => date.getTime())));
  await notify(db, JOB_CHANNEL, earliest.toISOString());
}
