/** `/process-instance`: queries, get, delete, suspension, variables and the activity instance tree. */
import { Router } from 'express';
import { readModels, type ProcessInstanceFilter } from '../../services/read-models.js';
import { getActivityInstanceTree } from '../../services/activity-instance-tree.js';
import { deleteProcessInstance, getProcessInstance, setProcessInstanceSuspended } from '../../services/runtime-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { activityInstanceDto, processInstanceDto, processInstanceView } from '../dtos/runtime-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { sendJson, sendNoContent } from '../respond.js';
import { mountScopeVariableRoutes } from './scope-variable-routes.js';
import { suspensionStateBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';

const SORT_KEYS = ['instanceId', 'definitionKey', 'definitionId', 'tenantId', 'businessKey'] as const;

export function instanceFilter(query: QueryReader): ProcessInstanceFilter {
  return definedOnly({
    processInstanceIds: query.list('processInstanceIds'),
    businessKey: query.string('businessKey'),
    businessKeyLike: query.string('businessKeyLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    processDefinitionKeyNotIn: query.list('processDefinitionKeyNotIn'),
    deploymentId: query.string('deploymentId'),
    superProcessInstance: query.string('superProcessInstance'),
    subProcessInstance: query.string('subProcessInstance'),
    rootProcessInstances: query.boolean('rootProcessInstances'),
    active: query.boolean('active'),
    suspended: query.boolean('suspended'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    activityIdIn: query.list('activityIdIn'),
    withIncident: query.boolean('withIncident'),
    incidentType: query.string('incidentType'),
    variables: query.variableConditions('variables'),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
  });
}


export function processInstanceRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, {
    path: '/process-instance',
    readModel: readModels(ctx).processInstances,
    sortKeys: SORT_KEYS,
    filter: instanceFilter,
    toDto: (row) => processInstanceDto(processInstanceView(row)),
    post: true,
  });

  router.get('/process-instance/:id', async (req, res) => {
    sendJson(res, processInstanceDto(processInstanceView(await getProcessInstance(ctx, req.params.id))));
  });

  router.delete('/process-instance/:id', async (req, res) => {
    const query = new QueryReader(req.query as Record<string, unknown>);
    await deleteProcessInstance(ctx, req.params.id, { failIfNotExists: query.boolean('failIfNotExists') ?? true });
    sendNoContent(res);
  });

  router.put('/process-instance/:id/suspended', async (req, res) => {
    // Camunda's SuspensionStateDto holds a primitive boolean: anything but true activates.
    await setProcessInstanceSuspended(ctx, req.params.id, readBody(req, suspensionStateBody).suspended === true);
    sendNoContent(res);
  });

  router.get('/process-instance/:id/activity-instances', async (req, res) => {
    sendJson(res, activityInstanceDto(await getActivityInstanceTree(ctx, req.params.id)));
  });

  mountScopeVariableRoutes(router, ctx, '/process-instance/:id/variables', 'process instance');
  return router;
}
