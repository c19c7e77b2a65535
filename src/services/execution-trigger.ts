/** `POST /execution/{id}/signal`: continues what an execution waits at (a receive task, or a catch event's subscription). */
import { RestError } from '../core/errors.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { findSubscriptionOfExecution } from '../persistence/event-subscription-repository.js';
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
