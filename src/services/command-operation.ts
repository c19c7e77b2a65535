/**
 * Camunda's operation id of a command: one per command whose operations the user operation log records, shared by
 * the command's log entries and the historic details it writes (their `userOperationId`).
 */
import { newId } from '../core/ids.js';

const operationIds = new WeakMap<object, string>();

/** Gives the command of transaction `tx` its operation id, when its operations are recorded. */
export function beginCommandOperation(tx: object, recorded: boolean): void {
  if (recorded) operationIds.set(tx, newId());
}

/** The operation id of the command of `tx`, or null when its operations are not recorded. */
export function commandOperationId(tx: object): string | null {
  return operationIds.get(tx) ?? null;
}
