/**
 * What a command's transaction did that metrics count (instances, activities, tasks, jobs, decisions), tallied per
 * transaction where the rows are written and counted only once the transaction committed: a rolled-back command
 * counts nothing.
 */

export type WorkEvent =
  | { kind: 'processInstanceStarted'; processDefinitionKey: string; root: boolean }
  | { kind: 'processInstanceEnded'; processDefinitionKey: string; outcome: 'completed' | 'terminated' }
  | { kind: 'activityInstances'; started: number; ended: number }
  | { kind: 'userTasks'; created: number; completed: number }
  | { kind: 'externalTasks'; event: 'created' | 'locked' | 'completed' | 'failed'; topicName: string; count: number }
  | { kind: 'decisionInstances'; count: number }
  | { kind: 'decisionElements'; count: number }
  | { kind: 'jobAcquisition'; acquired: number }
  | { kind: 'jobExecution'; outcome: 'successful' | 'failed' };

const pending = new WeakMap<object, WorkEvent[]>();

/** Tallies `event` on the command's transaction; a write outside one (none today) is not counted. */
export function recordWork(db: object, event: WorkEvent): void {
  if (!(db as { isTransaction?: boolean }).isTransaction) return;
  const events = pending.get(db);
  if (events) events.push(event);
  else pending.set(db, [event]);
}

/** The events tallied on a transaction, taken once after its commit (a rolled-back one is simply never taken). */
export function takeWork(tx: object): WorkEvent[] {
  const events = pending.get(tx) ?? [];
  pending.delete(tx);
  return events;
}
