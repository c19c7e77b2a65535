/** What every kind of wait row provides to the reconciler, and what it is handed (DESIGN §4 step 4). */
import { InconsistentStateError } from '../../core/errors.js';
import type { TaskRecord, WaitingActivity, WaitKind } from '../../engine/index.js';
import type { ExpressionContext } from '../../expressions/index.js';
import type { Knex } from 'knex';
import type { Db } from '../../persistence/database.js';
import { findActivityInstanceByExecution, type HistoricActivityInstanceRow } from '../../persistence/history-repository.js';
import type { KafkaDelivery } from '../external-task-delivery.js';
import type { InstanceIdentity } from '../instance-identity.js';

export interface WaitReconciliation {
  identity: InstanceIdentity;
  /** The root of the instance's call tree, which history rows name. */
  rootProcessInstanceId: string;
  waits: WaitingActivity[];
  /** Activity instances this command created, by engine execution id. */
  activityInstances: Map<string, HistoricActivityInstanceRow>;
  /** What expressions in a wait's attributes see: the variables visible from its execution after the command. */
  expressions: (wait: WaitingActivity) => ExpressionContext;
  /** Runs a user task's task listeners of an event (create, assignment) in its execution's scope. */
  taskListeners: (wait: WaitingActivity, event: 'create' | 'assignment', task: TaskRecord) => void;
  now: Date;
  /** A new instance has no rows yet: nothing to read. */
  isNew: boolean;
  /**
   * The waits the engine found when it resumed (their rows exist): only rows of these that ended, and of waits that
   * began, are read and written, so a command touches O(changes) rows however many waits the instance has. Null
   * compares every row (a resume-only reconciliation).
   */
  resumedWaits: ReadonlyMap<string, WaitKind> | null;
  /** The execution each wait had before the command, to move rows whose execution changed without reading them. */
  previousExecutionOf: (wait: WaitingActivity) => string | undefined;
  /** The time zone timers count calendar units in. */
  timeZone: string;
  /** Which external tasks are delivered over Kafka (an outbox row in this command), if any. */
  kafka: KafkaDelivery | null;
  /** The serialized behaviour of an activity of the instance's definition (its attributes and extension elements). */
  behaviourOf: (activityId: string) => Record<string, unknown>;
  /** The Camunda execution that executes a wait after the command (execution-tree.ts). */
  executionOf: (wait: WaitingActivity) => string;
  /** Starts the child instance of a call activity that began waiting. */
  startCalledInstance: (wait: WaitingActivity) => Promise<void>;
  /** Ends the child of a call activity that stopped waiting without it (interrupted, cancelled). */
  terminateCalledInstance: (childId: string) => Promise<void>;
}

export interface WaitRow {
  id: string;
  /** The engine's execution id of the wait the row stands for. */
  engine_execution_id: string | null;
  /** The Camunda execution it belongs to; the execution tree may move it (concurrency begins or ends). */
  execution_id: string | null;
}

/** The rows of a kind of wait (or of several, stored alike): how to list, create and remove them. */
export interface WaitRows<Row extends WaitRow = WaitRow> {
  readonly kinds: readonly WaitKind[];
  /** The table the rows live in and its execution column, for moving them to another execution. */
  readonly table: string;
  readonly executionColumn?: string;
  /** The column holding the engine's execution id of the wait (default `engine_execution_id`). */
  readonly engineExecutionColumn?: string;
  /** A query counting the rows of an instance (a subquery of the reconciler's one consistency check). */
  count(db: Db, processInstanceId: string): Knex.QueryBuilder;
  /** The rows of an instance, or only those of these engine executions. */
  list(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<Row[]>;
  /** Rows for the waits of these kinds the engine announced in this command. */
  create(db: Db, input: WaitReconciliation, waits: WaitingActivity[]): Promise<void>;
  /** Removes rows whose waits ended in this command, with what hangs on them. */
  remove(db: Db, input: WaitReconciliation, rows: Row[]): Promise<void>;
}

/**
 * The activity instance a wait belongs to. Every wait's activity started with the same execution id, in this command
 * or an earlier one, so a missing row means history and engine state disagree: fail the command rather than
 * attach the wait to the process instance (its task would then always end as Deleted).
 */
export async function activityInstanceOf(db: Db, input: WaitReconciliation, wait: WaitingActivity): Promise<HistoricActivityInstanceRow> {
  const { processInstanceId } = input.identity;
  const executionId = wait.ownerExecutionId;
  const found = input.activityInstances.get(executionId) ?? (await findActivityInstanceByExecution(db, processInstanceId, executionId));
  if (!found) throw new InconsistentStateError(`Process instance ${processInstanceId} waits at '${wait.activityId}' (execution ${executionId}), which has no activity instance`);
  return found;
}
