/** Event start events: the latest version of a process subscribes to its messages, signals and conditions (as in Camunda). */
import { newId } from '../core/ids.js';
import { eventStartsOfContext, type EventStartDeclaration } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { ProcessEngineError } from '../core/errors.js';
import {
  deleteStartSubscriptionsOfDefinitions,
  deleteStartSubscriptionsReplacedBy,
  hasStartSubscriptions,
  insertEventSubscriptions,
  listStartSubscriptions,
  tenantChoiceOf,
  type EventSubscriptionRow,
} from '../persistence/event-subscription-repository.js';
import { listProcessDefinitionsOfKey, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { processModelOf } from './instance-identity.js';
import type { ServiceContext } from './service-context.js';

/**
 * Replaces the start event subscriptions of earlier versions of each deployed definition's key with its own. A message
 * start event's name belongs to one process key per tenant, as in Camunda.
 */
export async function subscribeEventStarts(db: Db, deployed: ReadonlyArray<{ definition: ProcessDefinitionRow; eventStarts: readonly EventStartDeclaration[] }>, now: Date): Promise<void> {
  await deleteStartSubscriptionsReplacedBy(db, deployed.map(({ definition }) => definition));
  for (const { definition, eventStarts } of deployed) {
    for (const start of eventStarts.filter((each) => each.eventType === 'message' && each.eventName !== null)) {
      const taken = await listStartSubscriptions(db, { eventType: 'message', eventName: start.eventName!, tenant: tenantChoiceOf(definition.tenant_id, definition.tenant_id === null) });
      if (taken.length > 0) throw new ProcessEngineError(`ENGINE-01011 Cannot deploy process definition '${definition.resource_name}': there already is a message event subscription for the message with name '${start.eventName}'.`);
    }
  }
  await insertEventSubscriptions(db, deployed.flatMap(({ definition, eventStarts }) => startSubscriptionRows(definition, eventStarts, now)));
}

function startSubscriptionRows(definition: ProcessDefinitionRow, eventStarts: readonly EventStartDeclaration[], now: Date): EventSubscriptionRow[] {
  return eventStarts.map((start) => ({
    id: newId(),
    event_type: start.eventType,
    event_name: start.eventName,
    process_instance_id: null,
    execution_id: null,
    engine_execution_id: null,
    activity_id: start.activityId,
    process_definition_id: definition.id,
    configuration: start.condition ? JSON.stringify(start.condition) : definition.id,
    tenant_id: definition.tenant_id,
    created: now,
  }));
}

/**
 * The start event subscriptions of definitions that are deleted go with them; where a key's latest version went, the
 * version that is now the latest takes them back (as Camunda does). Call after the definitions are deleted.
 */
export async function unsubscribeEventStarts(ctx: ServiceContext, db: Db, deleted: readonly ProcessDefinitionRow[]): Promise<void> {
  await deleteStartSubscriptionsOfDefinitions(db, deleted.map((definition) => definition.id));
  const keys = new Map(deleted.map((definition) => [`${definition.tenant_id ?? ''}\u0000${definition.key}`, definition]));
  for (const { key, tenant_id: tenantId } of keys.values()) {
    const remaining = await listProcessDefinitionsOfKey(db, key, tenantId);
    const latest = remaining.reduce<ProcessDefinitionRow | undefined>((found, definition) => (!found || definition.version > found.version ? definition : found), undefined);
    if (!latest || (await hasStartSubscriptions(db, latest.id))) continue;
    await insertEventSubscriptions(db, startSubscriptionRows(latest, eventStartsOfContext(ctx.cache.get(processModelOf({ definition: latest })), latest.key), ctx.clock.now()));
  }
}
