/** `/variable-instance`: runtime variables of every scope (process instance, execution, task), queried, by id, and their binary content. */
import { Router } from 'express';
import { toWireValue } from '../../core/typed-value.js';
import { storedValueOf } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { getVariableInstance, getVariableInstanceData, variableInstanceReadModel, type VariableInstanceFilter, type VariableInstanceRow } from '../../services/variable-instance-service.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { sendJson } from '../respond.js';
import { sendBinaryVariable } from './binary-variable.js';

const SORT_KEYS = ['variableName', 'variableType', 'activityInstanceId', 'tenantId'];

function variableInstanceFilter(query: QueryReader): VariableInstanceFilter {
  return definedOnly({
    variableName: query.string('variableName'),
    variableNameLike: query.string('variableNameLike'),
    processInstanceIdIn: query.list('processInstanceIdIn'),
    executionIdIn: query.list('executionIdIn'),
    caseInstanceIdIn: query.list('caseInstanceIdIn'),
    caseExecutionIdIn: query.list('caseExecutionIdIn'),
    batchIdIn: query.list('batchIdIn'),
    taskIdIn: query.list('taskIdIn'),
    activityInstanceIdIn: query.list('activityInstanceIdIn'),
    tenantIdIn: query.list('tenantIdIn'),
    variableScopeIdIn: query.list('variableScopeIdIn'),
    variableValues: query.variableConditions('variableValues'),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
  });
}

/** VariableInstanceDto. */
function variableInstanceDto(row: VariableInstanceRow, deserializeValues: boolean) {
  const wire = toWireValue(storedValueOf(row), { deserializeValues });
  return {
    id: row.id,
    name: row.name,
    type: wire.type,
    value: wire.value,
    valueInfo: wire.valueInfo,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: row.task_id,
    batchId: null,
    activityInstanceId: row.activity_instance_id,
    tenantId: row.tenant_id,
    errorMessage: null,
  };
}

export function variableInstanceRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, {
    path: '/variable-instance',
    readModel: variableInstanceReadModel(ctx),
    sortKeys: SORT_KEYS,
    filter: variableInstanceFilter,
    toDto: (row, query) => variableInstanceDto(row, query.boolean('deserializeValues') ?? true),
    post: true,
  });
  router.get('/variable-instance/:id', async (req, res) => {
    const deserializeValue = new QueryReader(req.query as Record<string, unknown>).boolean('deserializeValue') ?? true;
    sendJson(res, variableInstanceDto(await getVariableInstance(ctx, req.params.id), deserializeValue));
  });
  router.get('/variable-instance/:id/data', async (req, res) => {
    await sendBinaryVariable(res, req.params.id, req.params.id, await getVariableInstanceData(ctx, req.params.id));
  });
  return router;
}
