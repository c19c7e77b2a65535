/**
 * Signals an instance threw (signal throw and end events): its own catch events caught them in the command already;
 * the broadcast to other instances is stored with the command and delivered once the command has committed.
 */
import { newId } from '../core/ids.js';
import type { ThrownSignal } from '../engine/index.js';
import { insertSignalBroadcast, type SignalBroadcastRow } from '../persistence/signal-broadcast-repository.js';
import type { InstanceIdentity } from './instance-identity.js';
import type { CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { errorFields } from '../telemetry/error-fields.js';

/** Delivers stored broadcasts; assembled with the service context (signal-broadcast.ts). */
export interface SignalDelivery {
  deliver(broadcast: SignalBroadcastRow): Promise<void>;
}

/** A new broadcast of a signal, claimed by this node for its lease. */
export function newSignalBroadcast(ctx: ServiceContext, signal: Pick<SignalBroadcastRow, 'signal_name' | 'tenant_choice' | 'tenant_id' | 'variables' | 'source_instance_id'>): SignalBroadcastRow {
  const now = ctx.clock.now();
  return { id: newId(), ...signal, created: now, starts_done: false, claimed_until: new Date(now.getTime() + ctx.options.signalBroadcastLeaseMs) };
}

export async function recordThrownSignals(ctx: ServiceContext, command: CommandScope, source: InstanceIdentity, signals: readonly ThrownSignal[]): Promise<void> {
  for (const signal of signals) {
    const broadcast = newSignalBroadcast(ctx, {
      signal_name: signal.name,
      // A signal thrown in a tenant's instance reaches that tenant's subscribers only.
      tenant_choice: source.tenantId ? 'tenant' : 'any',
      tenant_id: source.tenantId,
      variables: null,
      source_instance_id: source.processInstanceId,
    });
    await insertSignalBroadcast(command.tx, broadcast);
    command.afterCommit.push(() => ctx.signals.deliver(broadcast).catch((error: unknown) => {
      ctx.logger.warn(`Signal '${signal.name}' thrown by ${source.processInstanceId}: a delivery failed`, { command: 'deliver signal', processInstanceId: source.processInstanceId, err: errorFields(error) });
    }));
  }
}
