/** Every kind of wait row; the engine's side of each kind is in src/engine/wait-kinds.ts. */
import { calledInstanceRows } from './called-instance-rows.js';
import { eventSubscriptionRows } from './event-subscription-rows.js';
import { externalTaskRows } from './external-task-rows.js';
import { jobRows } from './job-rows.js';
import { userTaskRows } from './user-task-rows.js';
import type { WaitRows } from './wait-rows.js';

export const WAIT_ROWS: readonly WaitRows[] = [userTaskRows, externalTaskRows, jobRows, calledInstanceRows, eventSubscriptionRows];
