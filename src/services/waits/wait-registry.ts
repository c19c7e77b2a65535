/** Every kind of wait row, one module each; the engine's side of each kind is in src/engine/wait-kinds.ts. */
import { asyncContinuationRows } from './async-continuation-rows.js';
import { externalTaskRows } from './external-task-rows.js';
import { timerRows } from './timer-rows.js';
import { userTaskRows } from './user-task-rows.js';
import type { WaitRows } from './wait-rows.js';

export const WAIT_ROWS: readonly WaitRows[] = [userTaskRows, externalTaskRows, timerRows, asyncContinuationRows];
