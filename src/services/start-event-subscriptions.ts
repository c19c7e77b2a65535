/** Event start events: the latest version of a process subscribes to its messages, signals and conditions (as in Camunda). */
import { newId } from '../core/ids.js';
import type { EventStartDeclaration } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { deleteStartSubscriptionsOfDefinitions, insertEventSubscriptions } from '../persistence/event-subscription-repository.js';
import { listProcessDefinitionsOfKey, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';

/** Replaces the start event subscriptions of earlier versions of each deployed definition's key with its own. */
export async function subscribeEventStarts(db: Db, deployed: ReadonlyArray<{ definition: ProcessDefinitionRow; eventStarts: readonly EventStartDeclaration[] }>, now: Date): Promise<void> {
  for (const { definition } of deployed) {
    const earlier = (await listProcessDefinitionsOfKey(db, definition.key, definition.tenant_id)).filter((other) => other.id !== definition.id);
    await deleteStartSubscriptionsOfDefinitions(db, earlier.map((other) => other.id));
  }
  await insertEventSubscriptions(db, deployed.flatMap(({ definition, eventStarts }) => eventStarts.map((start) => ({
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
  }))));
}

/** The start event subscriptions of definitions that are deleted go with them. */
export async function unsubscribeEventStarts(db: Db, definitionIds: string[]): Promise<void> {
  await deleteStartSubscriptionsOfDefinitions(db, definitionIds);
}
