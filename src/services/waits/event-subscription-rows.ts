/** The event subscriptions of waiting message, signal and conditional catches and receive tasks, and of compensation. */
import { newId } from '../../core/ids.js';
import {
  deleteEventSubscriptions,
  insertEventSubscriptions,
  listEventSubscriptionsOfInstance,
  type EventSubscriptionRow,
} from '../../persistence/event-subscription-repository.js';
import type { WaitRows } from './wait-rows.js';

export const eventSubscriptionRows: WaitRows<EventSubscriptionRow> = {
  kinds: ['message', 'signal', 'conditional', 'compensate'],
  table: 'event_subscription',
  count: (db, processInstanceId) => db('event_subscription').count('*').where({ process_instance_id: processInstanceId }),
  list: listEventSubscriptionsOfInstance,

  async create(db, input, waits) {
    const { identity, now } = input;
    await insertEventSubscriptions(db, waits.map((wait) => {
      const subscription = wait.subscription ?? { eventType: 'receive', eventName: null };
      return {
        id: newId(),
        event_type: subscription.eventType,
        event_name: subscription.eventName,
        process_instance_id: identity.processInstanceId,
        execution_id: input.executionOf(wait),
        engine_execution_id: wait.executionId,
        activity_id: wait.activityId,
        process_definition_id: identity.definition.id,
        configuration: subscription.condition ? JSON.stringify(subscription.condition) : null,
        tenant_id: identity.tenantId,
        created: now,
      };
    }));
  },

  async remove(db, _input, rows) {
    await deleteEventSubscriptions(db, rows.map((row) => row.id));
  },

};
