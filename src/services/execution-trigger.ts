/** `POST /execution/{id}/signal` and `…/messageSubscriptions/{name}/trigger`: continue what an execution waits at. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { findSubscriptionOfExecution, type EventSubscriptionRow } from '../persistence/event-subscription-repository.js';
import { findExecution } from '../persistence/execution-repository.js';
import { deliverToSubscription } from './event-delivery.js';
import { updateHistoricTaskInstance } from '../persistence/historic-task-repository.js';
import { listTasksOfInstance } from '../persistence/task-repository.js';
import { lockInstance } from './command-kernel.js';
import { advanceInstance } from './instance-advancer.js';
import { runCommand, type CommandScope } from './run-command.js';
import { parsedVariables, type PartitionedVariables } from './runtime-service.js';
import { instanceScope, writeVariables } from './variable-writer.js';
import type { ServiceContext } from './service-context.js';

export async function triggerExecution(ctx: ServiceContext, executionId: string, dtos: Record<string, VariableValueDto> | null | undefined): Promise<void> {
  const describe = (message: string) => `Cannot signal execution ${executionId}: ${message}`;
  const variables = parsedVariables(dtos, describe);
  await runCommand(ctx, 'signal execution', async (command) => {
    const execution = await findExecution(command.tx, executionId);
    if (!execution) throw new RestError(500, describe(`execution ${executionId} doesn't exist: execution is null`));
    const noActivity = () => new RestError(500, describe(`cannot signal execution ${executionId}: it has no current activity`));
    const subscription = await findSubscriptionOfExecution(command.tx, executionId);
    if (subscription) {
      if (!(await deliverToSubscription(ctx, command, subscription, { variables }))) throw noActivity();
      return;
    }
    if (!(await signalUserTask(ctx, command, execution.process_instance_id, executionId, variables))) throw noActivity();
  });
}

/**
 * Camunda's signal of an execution waiting in a user task: the activity is left as if done, and its task, which
 * nobody completed, is deleted (no complete listeners; history `deleted`). False when no task waits there.
 */
async function signalUserTask(ctx: ServiceContext, command: CommandScope, processInstanceId: string, executionId: string, variables: PartitionedVariables): Promise<boolean> {
  const lock = await lockInstance(command.tx, processInstanceId, () => new InvalidRequestError(404, `Process instance with id ${processInstanceId} does not exist`));
  const task = (await listTasksOfInstance(command.tx, processInstanceId)).find((candidate) => candidate.execution_id === executionId);
  if (!task) return false;
  await writeVariables(command.tx, lock.identity, instanceScope(lock.identity), variables.stored, ctx.clock.now());
  await advanceInstance(ctx, command, lock.running, { kind: 'signal', activityId: task.task_definition_key, executionId: task.engine_execution_id }, { transientVariables: variables.transient });
  await updateHistoricTaskInstance(command.tx, task.id, { delete_reason: 'deleted', task_state: 'Deleted' });
  return true;
}

/** Camunda's GET /execution/{id}/messageSubscriptions/{messageName}. */
export async function getMessageSubscription(ctx: ServiceContext, executionId: string, messageName: string): Promise<EventSubscriptionRow> {
  const subscription = await findSubscriptionOfExecution(ctx.database.knex, executionId, { eventType: 'message', eventName: messageName });
  if (!subscription) throw new InvalidRequestError(404, `Message event subscription for execution ${executionId} named ${messageName} does not exist`);
  return subscription;
}

/**
 * Camunda's POST /execution/{id}/messageSubscriptions/{messageName}/trigger (messageEventReceived): delivers the
 * message to that execution's subscription, setting the variables on the instance.
 */
export async function triggerMessageSubscription(ctx: ServiceContext, executionId: string, messageName: string, dtos: Record<string, VariableValueDto> | null | undefined): Promise<void> {
  const describe = (message: string) => `Cannot trigger message ${messageName} for execution ${executionId}: ${message}`;
  const variables = parsedVariables(dtos, describe);
  const noSubscription = () => new RestError(500, describe(`Execution with id '${executionId}' does not have a subscription to a message event with name '${messageName}': eventSubscriptions is empty`));
  await runCommand(ctx, 'trigger message subscription', async (command) => {
    const subscription = await findSubscriptionOfExecution(command.tx, executionId, { eventType: 'message', eventName: messageName });
    if (!subscription) throw noSubscription();
    if (!(await deliverToSubscription(ctx, command, subscription, { variables }))) throw noSubscription();
  });
}
