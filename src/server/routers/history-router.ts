/** `/history`: process instances, activity instances and variable instances, each with `/count`. */
import { Router, type Request, type Response } from 'express';
import type { ServiceContext } from '../../services/service-context.js';
import {
  countHistoricActivityInstances,
  countHistoricProcessInstances,
  countHistoricVariableInstances,
  listHistoricActivityInstances,
  listHistoricProcessInstances,
  listHistoricVariableInstances,
} from '../../services/history-service.js';
import { historicActivityInstanceDto, historicProcessInstanceDto, historicVariableInstanceDto } from '../dtos/history-dtos.js';
import { definedOnly, QueryReader, requestQuery } from '../query-reader.js';
import { sendJson } from '../respond.js';
import { InvalidRequestError } from '../../core/errors.js';

const PROCESS_SORT = ['instanceId', 'definitionId', 'definitionKey', 'definitionName', 'definitionVersion', 'businessKey', 'startTime', 'endTime', 'duration', 'tenantId'] as const;
const ACTIVITY_SORT = ['activityInstanceId', 'instanceId', 'executionId', 'activityId', 'activityName', 'activityType', 'startTime', 'endTime', 'duration', 'definitionId', 'occurrence', 'tenantId'] as const;
const VARIABLE_SORT = ['instanceId', 'variableName', 'tenantId'] as const;
const STATES = ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'EXTERNALLY_TERMINATED', 'INTERNALLY_TERMINATED'];


function processFilter(query: QueryReader) {
  const state = query.string('state');
  if (state !== undefined && !STATES.includes(state)) throw new InvalidRequestError(400, `Cannot set query parameter 'state' to value '${state}'`);
  return definedOnly({
    processInstanceId: query.string('processInstanceId'),
    processInstanceIds: query.list('processInstanceIds'),
    processInstanceBusinessKey: query.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyLike: query.string('processInstanceBusinessKeyLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    processDefinitionName: query.string('processDefinitionName'),
    finished: query.boolean('finished'),
    unfinished: query.boolean('unfinished'),
    state,
    startedBefore: query.date('startedBefore'),
    startedAfter: query.date('startedAfter'),
    finishedBefore: query.date('finishedBefore'),
    finishedAfter: query.date('finishedAfter'),
    superProcessInstanceId: query.string('superProcessInstanceId'),
    rootProcessInstances: query.boolean('rootProcessInstances'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

function activityFilter(query: QueryReader) {
  return definedOnly({
    activityInstanceId: query.string('activityInstanceId'),
    processInstanceId: query.string('processInstanceId'),
    processDefinitionId: query.string('processDefinitionId'),
    activityId: query.string('activityId'),
    activityName: query.string('activityName'),
    activityType: query.string('activityType'),
    taskAssignee: query.string('taskAssignee'),
    finished: query.boolean('finished'),
    unfinished: query.boolean('unfinished'),
    canceled: query.boolean('canceled'),
    completeScope: query.boolean('completeScope'),
    startedBefore: query.date('startedBefore'),
    startedAfter: query.date('startedAfter'),
    finishedBefore: query.date('finishedBefore'),
    finishedAfter: query.date('finishedAfter'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

function variableFilter(query: QueryReader) {
  return definedOnly({
    variableName: query.string('variableName'),
    variableNameLike: query.string('variableNameLike'),
    processInstanceId: query.string('processInstanceId'),
    processInstanceIdIn: query.list('processInstanceIdIn'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    taskIdIn: query.list('taskIdIn'),
    activityInstanceIdIn: query.list('activityInstanceIdIn'),
    variableTypeIn: query.list('variableTypeIn'),
    includeDeleted: query.boolean('includeDeleted'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

export function historyRouter(ctx: ServiceContext): Router {
  const router = Router();
  const db = ctx.database.knex;

  const routes = [
    {
      path: '/history/process-instance',
      list: async (query: QueryReader) => (await listHistoricProcessInstances(db, processFilter(query), query.listOptions(PROCESS_SORT))).map(historicProcessInstanceDto),
      count: (query: QueryReader) => countHistoricProcessInstances(db, processFilter(query)),
    },
    {
      path: '/history/activity-instance',
      list: async (query: QueryReader) => (await listHistoricActivityInstances(db, activityFilter(query), query.listOptions(ACTIVITY_SORT))).map(historicActivityInstanceDto),
      count: (query: QueryReader) => countHistoricActivityInstances(db, activityFilter(query)),
    },
    {
      path: '/history/variable-instance',
      list: async (query: QueryReader) => {
        const deserialize = query.boolean('deserializeValues') ?? true;
        return (await listHistoricVariableInstances(db, variableFilter(query), query.listOptions(VARIABLE_SORT))).map((row) => historicVariableInstanceDto(row, deserialize));
      },
      count: (query: QueryReader) => countHistoricVariableInstances(db, variableFilter(query)),
    },
  ];
  for (const route of routes) {
    const list = async (req: Request, res: Response) => sendJson(res, await route.list(requestQuery(req)));
    const count = async (req: Request, res: Response) => sendJson(res, { count: await route.count(requestQuery(req)) });
    router.get(route.path, list);
    router.post(route.path, list);
    router.get(`${route.path}/count`, count);
    router.post(`${route.path}/count`, count);
  }
  return router;
}
