/** `/event-subscription`: what waiting executions and event start events wait for (list and count). */
import { Router } from 'express';
import { readModels, type EventSubscriptionFilter, type EventSubscriptionRow } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { dateValue } from '../dtos/date-value.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';

const SORT_KEYS = ['created', 'tenantId'] as const;

function eventSubscriptionFilter(query: QueryReader): EventSubscriptionFilter {
  return definedOnly({
    eventSubscriptionId: query.string('eventSubscriptionId'),
    eventName: query.string('eventName'),
    eventType: query.string('eventType'),
    executionId: query.string('executionId'),
    processInstanceId: query.string('processInstanceId'),
    activityId: query.string('activityId'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    includeEventSubscriptionsWithoutTenantId: query.boolean('includeEventSubscriptionsWithoutTenantId'),
  });
}

export function eventSubscriptionDto(row: EventSubscriptionRow) {
  return {
    id: row.id,
    eventType: row.event_type,
    eventName: row.event_name,
    executionId: row.execution_id,
    processInstanceId: row.process_instance_id,
    activityId: row.activity_id,
    createdDate: dateValue(row.created),
    tenantId: row.tenant_id,
  };
}

export function eventSubscriptionRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, { path: '/event-subscription', readModel: readModels(ctx).eventSubscriptions, sortKeys: SORT_KEYS, filter: eventSubscriptionFilter, toDto: eventSubscriptionDto, post: false });
  return router;
}
