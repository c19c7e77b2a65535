/** `/task`: queries, get, claim, unclaim, assignee, complete and (local) variables; forms are form-router.ts's. */
import { Router } from 'express';
import { toWireValue } from '../../core/typed-value.js';
import { readModels, type TaskFilter, type TaskRow } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { commentAndAttachmentFlags } from '../../services/comment-service.js';
import {
  claimTask,
  completeTask,
  throwTaskBpmnError,
  throwTaskBpmnEscalation,
  deleteTaskVariable,
  getTask,
  getTaskIdentityLinks,
  getTaskVariable,
  getTaskVariableData,
  getTaskVariables,
  modifyTaskVariables,
  putTaskVariable,
  setTaskAssignee,
  unclaimTask,
} from '../../services/task-service.js';
import { taskDto } from '../dtos/runtime-dtos.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader, TASK_VARIABLE_CONDITIONS } from '../query-reader.js';
import { sendJson, sendNoContent } from '../respond.js';
import { sendBinaryVariable } from './binary-variable.js';
import { completeTaskBody, patchVariablesBody, taskBpmnErrorBody, taskBpmnEscalationBody, userIdBody, variableValueBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';
import { delegationStateOf } from '../delegation-state.js';

/** Camunda's task sortBy values; a filter's stored sorting is checked against them too. */
export const TASK_SORT_KEYS = [
  'instanceId', 'caseInstanceId', 'dueDate', 'executionId', 'caseExecutionId', 'assignee', 'created', 'lastUpdated', 'description',
  'id', 'name', 'nameCaseInsensitive', 'priority', 'processInstanceId', 'followUpDate', 'tenantId', 'taskDefinitionKey',
] as const;

/** `GET /task`'s filter parameters; a filter's stored query runs through the same reading. */
export function taskFilter(query: QueryReader): TaskFilter {
  return definedOnly({
    taskId: query.string('taskId'),
    taskIdIn: query.list('taskIdIn'),
    processInstanceId: query.string('processInstanceId'),
    processInstanceIdIn: query.list('processInstanceIdIn'),
    processInstanceBusinessKey: query.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyLike: query.string('processInstanceBusinessKeyLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    taskDefinitionKey: query.string('taskDefinitionKey'),
    taskDefinitionKeyIn: query.list('taskDefinitionKeyIn'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    assignee: query.string('assignee'),
    assigneeIn: query.list('assigneeIn'),
    assigneeLike: query.string('assigneeLike'),
    assigned: query.boolean('assigned'),
    unassigned: query.boolean('unassigned'),
    candidateUser: query.string('candidateUser'),
    candidateGroup: query.string('candidateGroup'),
    candidateGroups: query.list('candidateGroups'),
    withCandidateGroups: query.boolean('withCandidateGroups'),
    withoutCandidateGroups: query.boolean('withoutCandidateGroups'),
    includeAssignedTasks: query.boolean('includeAssignedTasks'),
    priority: query.integer('priority'),
    minPriority: query.integer('minPriority'),
    maxPriority: query.integer('maxPriority'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    active: query.boolean('active'),
    suspended: query.boolean('suspended'),
    owner: query.string('owner'),
    delegationState: delegationStateOf(query.string('delegationState')) ?? undefined,
    parentTaskId: query.string('parentTaskId'),
    processVariables: query.variableConditions('processVariables', TASK_VARIABLE_CONDITIONS.processVariables),
    taskVariables: query.variableConditions('taskVariables', TASK_VARIABLE_CONDITIONS.taskVariables),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
  });
}


/** Task DTOs, with Camunda's `attachment` and `comment` flags when the query asks withCommentAttachmentInfo. */
async function withCommentAttachmentInfo(ctx: ServiceContext, rows: TaskRow[], query: QueryReader): Promise<unknown[]> {
  if (query.boolean('withCommentAttachmentInfo') !== true) return rows.map(taskDto);
  const flags = await commentAndAttachmentFlags(ctx, rows.map((row) => row.id));
  return rows.map((row) => ({ ...taskDto(row), ...flags(row.id) }));
}

export function taskRouter(ctx: ServiceContext): Router {
  const router = Router();
  mountListRoutes(router, {
    path: '/task',
    readModel: readModels(ctx).tasks,
    sortKeys: TASK_SORT_KEYS,
    filter: taskFilter,
    toDto: taskDto,
    toDtos: (rows, query) => withCommentAttachmentInfo(ctx, rows, query),
    post: true,
  });

  router.get('/task/:id', async (req, res) => {
    const [task] = await withCommentAttachmentInfo(ctx, [await getTask(ctx, req.params.id)], new QueryReader(req.query as Record<string, unknown>));
    sendJson(res, task);
  });

  router.get('/task/:id/identity-links', async (req, res) => {
    const type = new QueryReader(req.query as Record<string, unknown>).string('type');
    const links = await getTaskIdentityLinks(ctx, req.params.id);
    sendJson(res, links.filter((link) => type === undefined || link.type === type));
  });

  router.post('/task/:id/claim', async (req, res) => {
    await claimTask(ctx, req.params.id, readBody(req, userIdBody).userId);
    sendNoContent(res);
  });
  router.post('/task/:id/unclaim', async (req, res) => {
    await unclaimTask(ctx, req.params.id);
    sendNoContent(res);
  });
  router.post('/task/:id/assignee', async (req, res) => {
    await setTaskAssignee(ctx, req.params.id, readBody(req, userIdBody).userId);
    sendNoContent(res);
  });

  router.post('/task/:id/complete', async (req, res) => {
    const body = readBody(req, completeTaskBody);
    const variables = await completeTask(ctx, req.params.id, body.variables, body.withVariablesInReturn === true);
    if (variables) sendJson(res, variablesDto(variables, false));
    else sendNoContent(res);
  });

  router.post('/task/:id/bpmnError', async (req, res) => {
    await throwTaskBpmnError(ctx, req.params.id, readBody(req, taskBpmnErrorBody));
    sendNoContent(res);
  });

  router.post('/task/:id/bpmnEscalation', async (req, res) => {
    await throwTaskBpmnEscalation(ctx, req.params.id, readBody(req, taskBpmnEscalationBody));
    sendNoContent(res);
  });

  for (const [segment, local] of [['variables', false], ['localVariables', true]] as const) {
    router.get(`/task/:id/${segment}`, async (req, res) => {
      const query = new QueryReader(req.query as Record<string, unknown>);
      sendJson(res, variablesDto(await getTaskVariables(ctx, req.params.id, { local }), query.boolean('deserializeValues') ?? true));
    });
    router.post(`/task/:id/${segment}`, async (req, res) => {
      const body = readBody(req, patchVariablesBody);
      await modifyTaskVariables(ctx, req.params.id, body.modifications, body.deletions, { local });
      sendNoContent(res);
    });
    router.get(`/task/:id/${segment}/:name`, async (req, res) => {
      const query = new QueryReader(req.query as Record<string, unknown>);
      sendJson(res, toWireValue(await getTaskVariable(ctx, req.params.id, req.params.name, { local }), { deserializeValues: query.boolean('deserializeValue') ?? true }));
    });
    router.get(`/task/:id/${segment}/:name/data`, async (req, res) => {
      await sendBinaryVariable(res, req.params.id, req.params.name, await getTaskVariableData(ctx, req.params.id, req.params.name, { local }));
    });
    router.put(`/task/:id/${segment}/:name`, async (req, res) => {
      await putTaskVariable(ctx, req.params.id, req.params.name, readBody(req, variableValueBody), { local });
      sendNoContent(res);
    });
    router.delete(`/task/:id/${segment}/:name`, async (req, res) => {
      await deleteTaskVariable(ctx, req.params.id, req.params.name, { local });
      sendNoContent(res);
    });
  }
  return router;
}
