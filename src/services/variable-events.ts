/**
 * The variable changes of each transaction, per instance: conditional events are evaluated on them (Camunda's
 * `camunda:variableName` and `camunda:variableEvents` say which changes count).
 */
import type { Db } from '../persistence/database.js';

export interface VariableEvent {
  processInstanceId: string;
  name: string;
  event: 'create' | 'update' | 'delete';
}

const pending = new WeakMap<object, VariableEvent[]>();

export function recordVariableEvent(db: Db, event: VariableEvent): void {
  // Only a command's transaction: writes outside one (none today) would collect here for the process's lifetime.
  if (!(db as { isTransaction?: boolean }).isTransaction) return;
  const events = pending.get(db) ?? [];
  events.push(event);
  pending.set(db, events);
}

/** The changes of an instance recorded in this transaction since the last take. */
export function takeVariableEvents(db: Db, processInstanceId: string): VariableEvent[] {
  const events = pending.get(db);
  if (!events) return [];
  const taken = events.filter((event) => event.processInstanceId === processInstanceId);
  if (taken.length > 0) pending.set(db, events.filter((event) => event.processInstanceId !== processInstanceId));
  return taken;
}
