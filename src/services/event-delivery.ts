/** Delivers a message, signal or condition to one waiting event subscription, as one step of a command. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import type { StoredValue } from '../core/typed-value.js';
import { findEventSubscription, type EventSubscriptionRow } from '../persistence/event-subscription-repository.js';
import { findExecution } from '../persistence/execution-repository.js';
import { findActivityInstanceByExecution } from '../persistence/history-repository.js';
import type { Db } from '../persistence/database.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { lockInstance } from './command-kernel.js';
import { advanceInstance } from './instance-advancer.js';
import type { CommandScope } from './run-command.js';
import { startInCommand, type PartitionedVariables, type StartedInstance } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { instanceScope, writeVariables } from './variable-writer.js';


export interface Delivery {
  /** Set on the process instance. */
  variables?: PartitionedVariables;
  /** Set on the execution that received the event (the waiting activity's scope). */
  localVariables?: PartitionedVariables;
  /** Whether the instance's variables after the delivery are wanted (with Bytes contents). */
  withVariables?: boolean;
}

export interface Delivered {
  subscription: EventSubscriptionRow;
  /** The execution that held the subscription, and whether it ended with the delivery. */
  executionId: string;
  executionEnded: boolean;
  variables: Map<string, StoredValue>;
}

/** The open activity instance of the waiting activity, whose local variables are its execution's. */
export async function activityInstanceOfSubscription(db: Db, subscription: EventSubscriptionRow): Promise<string | undefined> {
  const row = await findActivityInstanceByExecution(db, subscription.process_instance_id!, subscription.engine_execution_id!);
  return row && row.end_time === null ? row.id : undefined;
}

/**
 * Locks the subscription's instance and delivers the event; null when the subscription is gone once the lock is held
 * (a concurrent command consumed it), so an event never moves a waiting execution twice.
 */
export async function deliverToSubscription(ctx: ServiceContext, command: CommandScope, found: EventSubscriptionRow, delivery: Delivery = {}): Promise<Delivered | null> {
  const db = command.tx;
  const processInstanceId = found.process_instance_id!;
  const lock = await lockInstance(db, processInstanceId, () => new InvalidRequestError(404, `Process instance with id ${processInstanceId} does not exist`));
  const subscription = await findEventSubscription(db, found.id);
  if (!subscription) return null;
  const now = ctx.clock.now();
  const { variables, localVariables } = delivery;
  if (variables) await writeVariables(db, lock.identity, instanceScope(lock.identity), variables.stored, now);
  if (localVariables && localVariables.stored.size > 0) {
    const activityInstanceId = await activityInstanceOfSubscription(db, subscription);
    const scope = activityInstanceId ? { scopeId: activityInstanceId, activityInstanceId, taskId: null, executionId: subscription.execution_id } : instanceScope(lock.identity);
    await writeVariables(db, lock.identity, scope, localVariables.stored, now);
  }
  const result = await advanceInstance(ctx, command, lock.running, { kind: 'signal', activityId: subscription.activity_id, executionId: subscription.engine_execution_id! }, {
    transientVariables: { ...variables?.transient, ...localVariables?.transient },
    variablesWithContent: delivery.withVariables === true,
  });
  const executionId = subscription.execution_id ?? processInstanceId;
  // The catch event's own execution ends with it; a non-interrupting boundary event's host goes on.
  const executionEnded = result.ended || !(await findExecution(db, executionId));
  return { subscription, executionId, executionEnded, variables: result.variables };
}

/** Starts an instance at an event start event (a message or signal start event) within a command. */
export async function startAtEvent(
  ctx: ServiceContext,
  command: CommandScope,
  definition: ProcessDefinitionRow,
  startEventId: string,
  businessKey: string | null,
  variables: PartitionedVariables,
  withVariables: boolean,
): Promise<StartedInstance> {
  if (definition.suspended) throw new RestError(500, `Cannot instantiate process definition ${definition.id}: ENGINE-03043 Process Definition with id '${definition.id}' is suspended.`);
  return startInCommand(ctx, command, definition, { businessKey, withVariablesInReturn: withVariables }, variables, startEventId);
}
