/** `POST /execution/{id}/signal` and `…/messageSubscriptions/{name}/trigger`: continue what an execution waits at. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { findSubscriptionOfExecution, type EventSubscriptionRow } from '../persistence/event-subscription-repository.js';
import { findExecution } from '../persistence/execution-repository.js';
import { deliverToSubscription } from './event-delivery.js';
import { runCommand } from './run-command.js';
import { parsedVariables } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';

export async function triggerExecution(ctx: ServiceContext, executionId: string, dtos: Record<string, VariableValueDto> | null | undefined): Promise<void> {
  const describe = (message: string) => `Cannot signal execution ${executionId}: ${message}`;
  const variables = parsedVariables(dtos, describe);
  await runCommand(ctx, 'signal execution', async (command) => {
    if (!(await findExecution(command.tx, executionId))) throw new RestError(500, describe(`execution ${executionId} doesn't exist: execution is null`));
    const noActivity = () => new RestError(500, describe(`cannot signal execution ${executionId}: it has no current activity`));
    const subscription = await findSubscriptionOfExecution(command.tx, executionId);
    if (!subscription) throw noActivity();
    if (!(await deliverToSubscription(ctx, command, subscription, { variables }))) throw noActivity();
  });
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
