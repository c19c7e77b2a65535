/**
 * Signals (POST /signal, signal throw and end events): delivered to one execution, or broadcast to every waiting
 * signal catch, boundary and start event. A broadcast is stored first and each receiving instance moves in a
 * transaction of its own, so a crash part-way leaves every instance moved on or still waiting, and the rest of the
 * broadcast is delivered when a node picks it up again; none receives it twice.
 */
import { BadUserRequestError, NullValueError, RestError } from '../core/errors.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { findSubscriptionOfExecution, listStartSubscriptions, listWaitingSubscriptions, type TenantChoice } from '../persistence/event-subscription-repository.js';
import { findExecution } from '../persistence/execution-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import {
  claimSignalBroadcast,
  deleteSignalBroadcast,
  insertSignalBroadcast,
  listUnclaimedSignalBroadcasts,
  markSignalStartsDone,
  renewSignalBroadcast,
  type SignalBroadcastRow,
} from '../persistence/signal-broadcast-repository.js';
import { deliverToSubscription, startAtEvent } from './event-delivery.js';
import { runCommand } from './run-command.js';
import { newSignalBroadcast } from './signal-throws.js';
import { parsedVariables, partitionVariables, type PartitionedVariables } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { errorFields } from '../telemetry/error-fields.js';

export interface SignalRequest {
  name: string;
  executionId?: string | null;
  variables?: Record<string, VariableValueDto> | null;
  tenantId?: string | null;
  withoutTenantId?: boolean;
}

/** Receiving instances moved at once (each its own command, on its own connection). */
const DELIVERY_LANES = 4;

function tenantChoiceOf(row: Pick<SignalBroadcastRow, 'tenant_choice' | 'tenant_id'>): TenantChoice {
  if (row.tenant_choice === 'tenant') return { tenantId: row.tenant_id! };
  return row.tenant_choice === 'none' ? { withoutTenantId: true } : undefined;
}

/** Delivers a signal from REST: to one execution, or to every subscriber. */
export async function sendSignal(ctx: ServiceContext, request: SignalRequest): Promise<void> {
  const variables = parsedVariables(request.variables);
  if (request.executionId) {
    if (request.tenantId) throw new BadUserRequestError('ENGINE-13027 Cannot specify a tenant-id when deliver a signal to a single execution.');
    await signalExecution(ctx, request.name, request.executionId, variables);
    return;
  }
  const broadcast = newSignalBroadcast(ctx, {
    signal_name: request.name,
    tenant_choice: request.tenantId ? 'tenant' : request.withoutTenantId ? 'none' : 'any',
    tenant_id: request.tenantId ?? null,
    variables: request.variables ? JSON.stringify(request.variables) : null,
    source_instance_id: null,
  });
  await insertSignalBroadcast(ctx.database.knex, broadcast);
  await deliverBroadcast(ctx, broadcast, variables);
}

/** Delivers a signal to the subscription of one execution (POST /signal with an executionId). */
async function signalExecution(ctx: ServiceContext, name: string, executionId: string, variables: PartitionedVariables): Promise<void> {
  await runCommand(ctx, 'deliver signal', async (command) => {
    if (!(await findExecution(command.tx, executionId))) throw new NullValueError(`Cannot find execution with id '${executionId}': execution is null`);
    const notSubscribed = () => new RestError(500, `Execution '${executionId}' has not subscribed to a signal event with name '${name}'. is empty`);
    const subscription = await findSubscriptionOfExecution(command.tx, executionId, { eventType: 'signal', eventName: name });
    if (!subscription) throw notSubscribed();
    if (!(await deliverToSubscription(ctx, command, subscription, { variables }))) throw notSubscribed();
  });
}

/**
 * Delivers a stored broadcast this node holds: the signal start events start their instances once (marked done in
 * the same transaction), then every subscription that existed when the signal was sent moves its instance in a
 * transaction of its own; a subscription already consumed is skipped. The broadcast is deleted when done.
 */
export async function deliverBroadcast(ctx: ServiceContext, broadcast: SignalBroadcastRow, variables: PartitionedVariables = partitionVariables(null)): Promise<void> {
  const knex = ctx.database.knex;
  const tenant = tenantChoiceOf(broadcast);
  if (!broadcast.starts_done) {
    await runCommand(ctx, 'start by signal', async (command) => {
      if (!(await markSignalStartsDone(command.tx, broadcast.id))) return;
      for (const start of await listStartSubscriptions(command.tx, { eventType: 'signal', eventName: broadcast.signal_name, tenant })) {
        const definition = await findProcessDefinition(command.tx, start.process_definition_id!);
        if (definition && !definition.suspended) await startAtEvent(ctx, command, definition, start.activity_id, null, variables, false);
      }
    });
  }
  const waiting = (await listWaitingSubscriptions(knex, { eventType: 'signal', eventName: broadcast.signal_name, tenant, createdUpTo: broadcast.created }))
    .filter((subscription) => subscription.process_instance_id !== broadcast.source_instance_id);
  const failures: unknown[] = [];
  let next = 0;
  // A long broadcast keeps its claim, so no other node takes it over while this one is still at it.
  const lease = ctx.options.signalBroadcastLeaseMs;
  const renewal = setInterval(() => {
    renewSignalBroadcast(knex, broadcast.id, new Date(ctx.clock.now().getTime() + lease)).catch(() => {});
  }, Math.max(50, lease / 3));
  try {
    await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, waiting.length) }, async () => {
      for (let i = next++; i < waiting.length; i = next++) {
        try {
          await runCommand(ctx, 'deliver signal', (command) => deliverToSubscription(ctx, command, waiting[i]!, { variables }));
        } catch (error) {
          failures.push(error);
        }
      }
    }));
  } finally {
    clearInterval(renewal);
  }
  await deleteSignalBroadcast(knex, broadcast.id);
  if (failures.length > 0) throw failures[0];
}

/** Picks up broadcasts whose delivering node died (or never began): the job executor calls this on each look. */
export async function deliverPendingBroadcasts(ctx: ServiceContext): Promise<void> {
  const knex = ctx.database.knex;
  const now = ctx.clock.now();
  for (const id of await listUnclaimedSignalBroadcasts(knex, now, 10)) {
    const claimed = await claimSignalBroadcast(knex, id, now, new Date(now.getTime() + ctx.options.signalBroadcastLeaseMs));
    if (!claimed) continue;
    const variables = partitionVariables(claimed.variables ? (JSON.parse(claimed.variables) as Record<string, VariableValueDto>) : null);
    await deliverBroadcast(ctx, claimed, variables).catch((error: unknown) => {
      ctx.logger.warn(`Signal '${claimed.signal_name}': a delivery failed`, { command: 'deliver signal', signalBroadcastId: claimed.id, err: errorFields(error) });
    });
  }
}
