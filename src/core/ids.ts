/** Identifier generation: random UUIDs, as Camunda's StrongUuidGenerator. */
import { randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}
