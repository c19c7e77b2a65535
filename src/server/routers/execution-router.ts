/** `/execution`: Camunda's executions of running instances (list, count, get) and their local variables. */
import { Router } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import { getMessageSubscription, triggerMessageSubscription } from '../../services/execution-trigger.js';
import { createCustomIncident } from '../../services/incident-operations.js';
import { readModels, type ExecutionFilter, type ExecutionListRow } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { createIncidentBody, triggerExecutionBody } from '../body-schemas.js';
import { incidentDto } from '../dtos/external-task-dtos.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';
import { eventSubscriptionDto } from './event-subscription-router.js';
import { mountScopeVariableRoutes } from './scope-variable-routes.js';

const SORT_KEYS = ['instanceId', 'definitionKey', 'definitionId', 'tenantId'] as const;

function executionFilter(query: QueryReader): ExecutionFilter {
  return definedOnly({
    executionId: query.string('executionId'),
    processInstanceId: query.string('processInstanceId'),
    businessKey: query.string('businessKey'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    activityId: query.string('activityId'),
    active: query.boolean('active') ? true : undefined,
    suspended: query.boolean('suspended') ? true : undefined,
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    incidentId: query.string('incidentId'),
    incidentType: query.string('incidentType'),
    variables: query.variableConditions('variables'),
    processVariables: query.variableConditions('processVariables', { variable: 'process variable', operators: ['eq', 'neq'] }),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
  });
}

function executionDto(row: ExecutionListRow) {
  return { id: row.id, processInstanceId: row.process_instance_id, ended: false, tenantId: row.tenant_id };
}

export function executionRouter(ctx: ServiceContext): Router {
  const router = Router();
  const executions = readModels(ctx).executions;
  mountListRoutes(router, { path: '/execution', readModel: executions, sortKeys: SORT_KEYS, filter: executionFilter, toDto: executionDto, post: true });
  router.get('/execution/:id', async (req, res) => {
    const [row] = await executions.list({ executionId: req.params.id }, {});
    if (!row) throw new InvalidRequestError(404, `Execution with id ${req.params.id} does not exist`);
    sendJson(res, executionDto(row));
  });
  mountScopeVariableRoutes(router, ctx, '/execution/:id/localVariables', 'execution');
  router.get('/execution/:id/messageSubscriptions/:messageName', async (req, res) => {
    sendJson(res, eventSubscriptionDto(await getMessageSubscription(ctx, req.params.id, req.params.messageName)));
  });
  router.post('/execution/:id/messageSubscriptions/:messageName/trigger', async (req, res) => {
    await triggerMessageSubscription(ctx, req.params.id, req.params.messageName, readBody(req, triggerExecutionBody).variables);
    sendNoContent(res);
  });
  router.post('/execution/:id/create-incident', async (req, res) => {
    sendJson(res, incidentDto(await createCustomIncident(ctx, req.params.id, readBody(req, createIncidentBody))));
  });
  return router;
}
