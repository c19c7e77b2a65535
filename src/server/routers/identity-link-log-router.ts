/** `/history/identity-link-log`: Camunda's log of identity links added to and deleted from tasks. */
import { Router } from 'express';
import { readModels, type IdentityLinkLogRow } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { dateValue } from '../dtos/date-value.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';

const SORT_KEYS = ['time', 'type', 'userId', 'groupId', 'taskId', 'processDefinitionId', 'processDefinitionKey', 'operationType', 'assignerId', 'tenantId'] as const;

function identityLinkLogFilter(query: QueryReader) {
  return definedOnly({
    type: query.string('type'),
    userId: query.string('userId'),
    groupId: query.string('groupId'),
    dateBefore: query.date('dateBefore'),
    dateAfter: query.date('dateAfter'),
    taskId: query.string('taskId'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    operationType: query.string('operationType'),
    assignerId: query.string('assignerId'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

export function identityLinkLogDto(row: IdentityLinkLogRow) {
  return {
    id: row.id,
    time: dateValue(row.time),
    type: row.type,
    userId: row.user_id,
    groupId: row.group_id,
    taskId: row.task_id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    operationType: row.operation_type,
    assignerId: row.assigner_id,
    tenantId: row.tenant_id,
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
  };
}

export function identityLinkLogRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, {
    path: '/history/identity-link-log',
    readModel: readModels(ctx).identityLinkLog,
    sortKeys: SORT_KEYS,
    filter: identityLinkLogFilter,
    toDto: identityLinkLogDto,
    post: false,
  });
  return router;
}
