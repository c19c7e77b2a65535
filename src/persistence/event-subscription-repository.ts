/** Event subscriptions: the messages, signals and conditions waiting executions and event start events wait for. */
import type { Knex } from 'knex';
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';

export type EventSubscriptionType = 'message' | 'signal' | 'conditional' | 'receive' | 'compensate';

export interface EventSubscriptionRow {
  id: string;
  event_type: EventSubscriptionType;
  event_name: string | null;
  /** Null for an event start event's subscription, which belongs to its process definition. */
  process_instance_id: string | null;
  execution_id: string | null;
  engine_execution_id: string | null;
  activity_id: string;
  process_definition_id: string | null;
  configuration: string | null;
  tenant_id: string | null;
  created: Date;
}

/** The types REST shows; a receive task without a message waits on a row of its own that Camunda has no name for. */
export const VISIBLE_EVENT_TYPES: readonly EventSubscriptionType[] = ['message', 'signal', 'conditional', 'compensate'];

export async function insertEventSubscriptions(db: Db, rows: EventSubscriptionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) await db('event_subscription').insert(rows.slice(i, i + 1_000));
}

/** An instance's subscriptions, or only those of these engine executions. */
export async function listEventSubscriptionsOfInstance(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<EventSubscriptionRow[]> {
  const query = db<EventSubscriptionRow>('event_subscription').where({ process_instance_id: processInstanceId });
  if (engineExecutionIds) query.whereIn('engine_execution_id', engineExecutionIds);
  return query.orderBy('created').orderBy('id');
}

export async function deleteEventSubscriptions(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db('event_subscription').whereIn('id', ids).delete();
}

export async function findEventSubscription(db: Db, id: string): Promise<EventSubscriptionRow | undefined> {
  return db<EventSubscriptionRow>('event_subscription').where({ id }).first();
}

/** The oldest subscription a waiting execution holds, of a type and name when given. */
export async function findSubscriptionOfExecution(db: Db, executionId: string, event: { eventType?: EventSubscriptionType; eventName?: string } = {}): Promise<EventSubscriptionRow | undefined> {
  const query = db<EventSubscriptionRow>('event_subscription').where({ execution_id: executionId }).whereNotNull('process_instance_id');
  if (event.eventType !== undefined) query.where('event_type', event.eventType);
  if (event.eventName !== undefined) query.where('event_name', event.eventName);
  return query.orderBy('created').orderBy('id').first();
}

/**
 * The subscriptions of waiting executions to an event, oldest first, in the tenants asked for, of instances that are
 * not suspended (as in Camunda, they receive no messages or signals); with a business key, only those of instances
 * with that key (an indexed subquery: correlating to one of many waiting instances reads one).
 */
/**
 * A variable an instance must have for its subscription to be a candidate: named so, stored as one of `types` with
 * this canonical text, or stored as one of `alsoTypes` (whose text differs for an equal value; the caller compares
 * those itself).
 */
export interface VariableCandidate {
  name: string;
  types: readonly string[];
  text: string;
  alsoTypes: readonly string[];
}

export async function listWaitingSubscriptions(db: Db, filter: { eventType: EventSubscriptionType; eventName: string; processInstanceId?: string; businessKey?: string; variables?: readonly VariableCandidate[]; tenant?: TenantChoice; createdUpTo?: Date }): Promise<EventSubscriptionRow[]> {
  const query = db<EventSubscriptionRow>('event_subscription').where({ event_type: filter.eventType, event_name: filter.eventName }).whereNotNull('process_instance_id');
  if (filter.processInstanceId !== undefined) query.where('process_instance_id', filter.processInstanceId);
  const businessKey = filter.businessKey;
  query.whereIn('process_instance_id', (instances) => {
    instances.select('id').from('process_instance').where('suspended', false);
    if (businessKey !== undefined) instances.where('business_key', businessKey);
  });
  for (const candidate of filter.variables ?? []) {
    query.whereExists((variables) => {
      variables.select(db.raw('1')).from('variable').whereRaw('variable.process_instance_id = event_subscription.process_instance_id').where('variable.name', candidate.name).where((value) => {
        value.where((same) => same.whereIn('variable.type', candidate.types).where('variable.text_value', candidate.text));
        if (candidate.alsoTypes.length > 0) value.orWhereIn('variable.type', candidate.alsoTypes);
      });
    });
  }
  if (filter.createdUpTo) query.where('created', '<=', filter.createdUpTo);
  applyTenantChoice(query, filter.tenant);
  return query.select('event_subscription.*').orderBy('created').orderBy('id');
}

/** The subscriptions of event start events (of the latest definition versions) to an event. */
export async function listStartSubscriptions(db: Db, filter: { eventType: EventSubscriptionType; eventName?: string; processDefinitionId?: string; tenant?: TenantChoice }): Promise<EventSubscriptionRow[]> {
  const query = db<EventSubscriptionRow>('event_subscription').where({ event_type: filter.eventType }).whereNull('process_instance_id');
  if (filter.eventName !== undefined) query.where('event_name', filter.eventName);
  if (filter.processDefinitionId !== undefined) query.where('process_definition_id', filter.processDefinitionId);
  applyTenantChoice(query, filter.tenant);
  return query.orderBy('created').orderBy('id');
}

/** Which tenants a correlation or broadcast reaches: one tenant, rows without a tenant, or all. */
export type TenantChoice = { tenantId: string } | { withoutTenantId: true } | undefined;

/** A request's `tenantId` and `withoutTenantId` as a choice of tenants. */
export function tenantChoiceOf(tenantId: string | null | undefined, withoutTenantId: boolean | undefined): TenantChoice {
  if (tenantId !== undefined && tenantId !== null) return { tenantId };
  return withoutTenantId ? { withoutTenantId: true } : undefined;
}

function applyTenantChoice(query: Knex.QueryBuilder<EventSubscriptionRow>, tenant: TenantChoice): void {
  if (tenant && 'tenantId' in tenant) query.where('tenant_id', tenant.tenantId);
  else if (tenant) query.whereNull('tenant_id');
}

/** Whether a definition holds start event subscriptions (it is the latest version of its key and has event starts). */
export async function hasStartSubscriptions(db: Db, definitionId: string): Promise<boolean> {
  return (await db('event_subscription').where({ process_definition_id: definitionId }).whereNull('process_instance_id').first('id')) !== undefined;
}

/**
 * The start event subscriptions of the earlier versions of freshly deployed definitions: a new version replaces them.
 * One statement per tenant (a deployment has one).
 */
export async function deleteStartSubscriptionsReplacedBy(db: Db, definitions: ReadonlyArray<{ id: string; key: string; tenant_id: string | null }>): Promise<void> {
  for (const tenantId of new Set(definitions.map((definition) => definition.tenant_id))) {
    const ofTenant = definitions.filter((definition) => definition.tenant_id === tenantId);
    await db('event_subscription')
      .whereNull('process_instance_id')
      .whereIn('process_definition_id', (earlier) => {
        earlier.select('id').from('process_definition').whereIn('key', ofTenant.map((definition) => definition.key));
        if (tenantId === null) earlier.whereNull('tenant_id');
        else earlier.where('tenant_id', tenantId);
      })
      .whereNotIn('process_definition_id', ofTenant.map((definition) => definition.id))
      .delete();
  }
}

/** The start event subscriptions of definitions: removed with them. */
export async function deleteStartSubscriptionsOfDefinitions(db: Db, definitionIds: string[]): Promise<void> {
  if (definitionIds.length > 0) await db('event_subscription').whereIn('process_definition_id', definitionIds).whereNull('process_instance_id').delete();
}

export interface EventSubscriptionFilter {
  eventSubscriptionId?: string;
  eventName?: string;
  eventType?: string;
  executionId?: string;
  processInstanceId?: string;
  activityId?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  includeEventSubscriptionsWithoutTenantId?: boolean;
}

export const eventSubscriptionQuery = pagedQuery<EventSubscriptionFilter, EventSubscriptionRow>({
  filtered(db, filter) {
    const q = db('event_subscription').whereIn('event_type', VISIBLE_EVENT_TYPES);
    if (filter.eventSubscriptionId !== undefined) q.where('id', filter.eventSubscriptionId);
    if (filter.eventName !== undefined) q.where('event_name', filter.eventName);
    if (filter.eventType !== undefined) q.where('event_type', filter.eventType);
    if (filter.executionId !== undefined) q.where('execution_id', filter.executionId);
    if (filter.processInstanceId !== undefined) q.where('process_instance_id', filter.processInstanceId);
    if (filter.activityId !== undefined) q.where('activity_id', filter.activityId);
    if (filter.tenantIdIn) {
      const tenants = filter.tenantIdIn;
      q.where((w) => {
        w.whereIn('tenant_id', tenants);
        if (filter.includeEventSubscriptionsWithoutTenantId) w.orWhereNull('tenant_id');
      });
    }
    if (filter.withoutTenantId) q.whereNull('tenant_id');
    return q;
  },
  columns: '*',
  sortColumns: { created: 'created', tenantId: 'tenant_id' },
  tieBreaker: 'id',
});
