/** `/history`: process, activity, variable, task and decision instances and incidents, each with `/count`; a process instance by id. */
import { Router } from 'express';
import { readModels, type HistoricProcessInstanceFilter, type HistoricTaskInstanceFilter } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import {
  historicActivityInstanceDto,
  historicDecisionInstanceDto,
  historicDetailDto,
  historicExternalTaskLogDto,
  historicJobLogDto,
  cleanableDecisionInstanceReportDto,
  cleanableProcessInstanceReportDto,
  historicIncidentDto,
  historicProcessInstanceDto,
  historicTaskInstanceDto,
  historicVariableInstanceDto,
  userOperationLogEntryDto,
} from '../dtos/history-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { BadUserRequestError, InvalidRequestError, NotAcceptableError, ProcessEngineError } from '../../core/errors.js';
import {
  deleteHistoricProcessInstance,
  deleteHistoricProcessInstances,
  deleteHistoricVariable,
  deleteHistoricVariablesOfProcessInstance,
  getHistoricActivityInstance,
  getHistoricDecisionInstance,
  getHistoricDetail,
  getHistoricDetailData,
  getHistoricProcessInstance,
  getHistoricVariableData,
  getHistoricVariableInstance,
  getExternalTaskLog,
  getJobLog,
  getHistoricActivityStatistics,
  getDecisionRequirementsStatistics,
  getProcessInstanceDurationReport,
  getTaskReport,
} from '../../services/history-service.js';
import { durationReportCsv } from '../dtos/duration-report-csv.js';
import { sendJson, sendNoContent, sendText } from '../respond.js';
import { requestQuery } from '../query-reader.js';
import { sendBinaryVariable } from './binary-variable.js';
import { batchDto } from '../dtos/batch-dto.js';
import { annotateOperation } from '../../services/user-operation-log.js';
import { annotationBody, deleteHistoricProcessInstancesBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';

const PROCESS_SORT = ['instanceId', 'definitionId', 'definitionKey', 'definitionName', 'definitionVersion', 'businessKey', 'startTime', 'endTime', 'duration', 'tenantId'] as const;
const ACTIVITY_SORT = ['activityInstanceId', 'instanceId', 'executionId', 'activityId', 'activityName', 'activityType', 'startTime', 'endTime', 'duration', 'definitionId', 'occurrence', 'tenantId'] as const;
const VARIABLE_SORT = ['instanceId', 'variableName', 'tenantId'] as const;
const TASK_SORT = [
  'taskId', 'activityInstanceId', 'processDefinitionId', 'processInstanceId', 'executionId', 'duration', 'endTime', 'startTime', 'taskName',
  'taskDescription', 'assignee', 'owner', 'dueDate', 'followUpDate', 'deleteReason', 'taskDefinitionKey', 'priority', 'tenantId',
] as const;
const INCIDENT_SORT = [
  'incidentId', 'incidentMessage', 'createTime', 'endTime', 'incidentType', 'executionId', 'activityId', 'processInstanceId', 'processDefinitionId',
  'processDefinitionKey', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'historyConfiguration', 'tenantId', 'incidentState',
] as const;
const DECISION_SORT = ['evaluationTime', 'tenantId'] as const;
const DETAIL_SORT = ['processInstanceId', 'variableName', 'variableType', 'variableRevision', 'formPropertyId', 'time', 'occurrence', 'tenantId'] as const;
const EXTERNAL_TASK_LOG_SORT = [
  'timestamp', 'externalTaskId', 'topicName', 'workerId', 'retries', 'priority', 'activityId', 'activityInstanceId', 'executionId', 'processInstanceId',
  'processDefinitionId', 'processDefinitionKey', 'tenantId',
] as const;
const JOB_LOG_SORT = [
  'timestamp', 'jobId', 'jobDefinitionId', 'jobDueDate', 'jobRetries', 'jobPriority', 'activityId', 'executionId', 'processInstanceId', 'processDefinitionId',
  'processDefinitionKey', 'deploymentId', 'hostname', 'occurrence', 'tenantId',
] as const;
const USER_OPERATION_SORT = ['timestamp'] as const;
const STATES = ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'EXTERNALLY_TERMINATED', 'INTERNALLY_TERMINATED'];
/** Camunda's flags for a historic process instance's state, in the order its query DTO applies them. */
const STATE_FLAGS = [['active', 'ACTIVE'], ['suspended', 'SUSPENDED'], ['completed', 'COMPLETED'], ['externallyTerminated', 'EXTERNALLY_TERMINATED'], ['internallyTerminated', 'INTERNALLY_TERMINATED']] as const;

/** The one state asked for, by our `state` parameter or Camunda's flags; a second one is refused as Camunda refuses it. */
function processState(query: QueryReader): string | undefined {
  const state = query.string('state');
  if (state !== undefined && !STATES.includes(state)) throw new InvalidRequestError(400, `Cannot set query parameter 'state' to value '${state}'`);
  const states = [...new Set([state, ...STATE_FLAGS.filter(([flag]) => query.boolean(flag) === true).map(([, flagged]) => flagged)].filter((value) => value !== undefined))];
  if (states.length > 1) throw new BadUserRequestError(`Already querying for historic process instance with another state: ${states[0]} is not empty`);
  return states[0];
}


export function processFilter(query: QueryReader): HistoricProcessInstanceFilter {
  const state = processState(query);
  return definedOnly({
    processInstanceId: query.string('processInstanceId'),
    processInstanceIds: query.list('processInstanceIds'),
    processInstanceIdNotIn: query.list('processInstanceIdNotIn'),
    processInstanceBusinessKey: query.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyIn: query.list('processInstanceBusinessKeyIn'),
    processInstanceBusinessKeyLike: query.string('processInstanceBusinessKeyLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    processDefinitionKeyNotIn: query.list('processDefinitionKeyNotIn'),
    processDefinitionName: query.string('processDefinitionName'),
    processDefinitionNameLike: query.string('processDefinitionNameLike'),
    startedBy: query.string('startedBy'),
    activeActivityIdIn: query.list('activeActivityIdIn'),
    executedActivityIdIn: query.list('executedActivityIdIn'),
    variables: query.variableConditions('variables'),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
    orQueries: query.orQueries()?.map(processFilter),
    rootProcessInstanceId: query.string('rootProcessInstanceId'),
    subProcessInstanceId: query.string('subProcessInstanceId'),
    withIncidents: query.boolean('withIncidents') || query.boolean('withRootIncidents') || undefined,
    incidentIdIn: query.list('incidentIdIn'),
    incidentType: query.string('incidentType'),
    incidentStatus: incidentStatus(query),
    incidentMessage: query.string('incidentMessage'),
    incidentMessageLike: query.string('incidentMessageLike'),
    executedActivityAfter: query.date('executedActivityAfter'),
    executedActivityBefore: query.date('executedActivityBefore'),
    caseCriteria: ['caseInstanceId', 'superCaseInstanceId', 'subCaseInstanceId'].some((name) => query.string(name) !== undefined) || undefined,
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
    executionId: query.string('executionId'),
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

/** `variableValue` as sent: JSON keeps its type; a scalar only (Camunda cannot compare objects). */
function variableValue(query: QueryReader): string | number | boolean | undefined {
  const value = query.raw('variableValue');
  if (value === undefined || value === null) return undefined;
  if (value !== null && typeof value === 'object') throw new InvalidRequestError(400, `Cannot set query parameter 'variableValue' to value '${JSON.stringify(value)}'`);
  return value as string | number | boolean;
}

const COMPARATOR_REFUSED = 'Invalid variable comparator specified: ';

/** A historic task query's `taskVariables`: Camunda compares them for equality only. */
function taskVariableConditions(query: QueryReader) {
  const conditions = query.variableConditions('taskVariables');
  const other = conditions?.find((condition) => condition.operator !== 'eq');
  if (other) throw new InvalidRequestError(400, `${COMPARATOR_REFUSED}${other.operator}`);
  return conditions;
}

/** A historic task query's `processVariables`, an unknown comparator refused with Camunda's wording for them. */
function processVariableConditions(query: QueryReader) {
  try {
    return query.variableConditions('processVariables');
  } catch (error) {
    if (error instanceof InvalidRequestError && error.message.startsWith(COMPARATOR_REFUSED)) {
      throw new InvalidRequestError(400, `Invalid process variable comparator specified: ${error.message.slice(COMPARATOR_REFUSED.length)}`);
    }
    throw error;
  }
}

/** Camunda's `incidentStatus`: `open` or `resolved`; any other matches no incident, as in Camunda. */
function incidentStatus(query: QueryReader): 'open' | 'resolved' | 'none' | undefined {
  const status = query.string('incidentStatus');
  if (status === undefined || status === 'open' || status === 'resolved') return status;
  return 'none';
}

function variableFilter(query: QueryReader) {
  return definedOnly({
    variableName: query.string('variableName'),
    variableNameIn: query.list('variableNameIn'),
    variableNameLike: query.string('variableNameLike'),
    executionIdIn: query.list('executionIdIn'),
    variableValue: variableValue(query),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
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

function taskFilter(query: QueryReader): HistoricTaskInstanceFilter {
  const withoutTaskDueDate = query.boolean('withoutTaskDueDate');
  if (withoutTaskDueDate && ['taskDueDate', 'taskDueDateBefore', 'taskDueDateAfter'].some((name) => query.string(name) !== undefined)) {
    throw new ProcessEngineError('Invalid query usage: cannot set both task due date (equal to, before, or after) and withoutTaskDueDate filters.');
  }
  return definedOnly({
    taskId: query.string('taskId'),
    processInstanceId: query.string('processInstanceId'),
    processInstanceBusinessKey: query.string('processInstanceBusinessKey'),
    processInstanceBusinessKeyIn: query.list('processInstanceBusinessKeyIn'),
    processInstanceBusinessKeyLike: query.string('processInstanceBusinessKeyLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionName: query.string('processDefinitionName'),
    activityInstanceIdIn: query.list('activityInstanceIdIn'),
    taskName: query.string('taskName'),
    taskNameLike: query.string('taskNameLike'),
    taskDefinitionKey: query.string('taskDefinitionKey'),
    taskDefinitionKeyIn: query.list('taskDefinitionKeyIn'),
    taskDeleteReason: query.string('taskDeleteReason'),
    taskAssignee: query.string('taskAssignee'),
    taskAssigneeLike: query.string('taskAssigneeLike'),
    taskOwner: query.string('taskOwner'),
    taskOwnerLike: query.string('taskOwnerLike'),
    processVariables: processVariableConditions(query),
    taskVariables: taskVariableConditions(query),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
    orQueries: query.orQueries()?.map(taskFilter),
    executionId: query.string('executionId'),
    rootProcessInstanceId: query.string('rootProcessInstanceId'),
    taskParentTaskId: query.string('taskParentTaskId'),
    taskDescription: query.string('taskDescription'),
    taskDescriptionLike: query.string('taskDescriptionLike'),
    taskDeleteReasonLike: query.string('taskDeleteReasonLike'),
    taskDueDate: query.date('taskDueDate'),
    taskDueDateBefore: query.date('taskDueDateBefore'),
    taskDueDateAfter: query.date('taskDueDateAfter'),
    withoutTaskDueDate,
    taskFollowUpDate: query.date('taskFollowUpDate'),
    taskFollowUpDateBefore: query.date('taskFollowUpDateBefore'),
    taskFollowUpDateAfter: query.date('taskFollowUpDateAfter'),
    taskInvolvedUser: query.string('taskInvolvedUser'),
    taskInvolvedGroup: query.string('taskInvolvedGroup'),
    taskHadCandidateUser: query.string('taskHadCandidateUser'),
    taskHadCandidateGroup: query.string('taskHadCandidateGroup'),
    withCandidateGroups: query.boolean('withCandidateGroups'),
    withoutCandidateGroups: query.boolean('withoutCandidateGroups'),
    caseInstanceId: query.string('caseInstanceId'),
    caseDefinitionCriteria: ['caseExecutionId', 'caseDefinitionId', 'caseDefinitionKey', 'caseDefinitionName'].some((name) => query.string(name) !== undefined) || undefined,
    taskPriority: query.integer('taskPriority'),
    assigned: query.boolean('assigned'),
    unassigned: query.boolean('unassigned'),
    finished: query.boolean('finished'),
    unfinished: query.boolean('unfinished'),
    processFinished: query.boolean('processFinished'),
    processUnfinished: query.boolean('processUnfinished'),
    startedBefore: query.date('startedBefore'),
    startedAfter: query.date('startedAfter'),
    finishedBefore: query.date('finishedBefore'),
    finishedAfter: query.date('finishedAfter'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

function incidentFilter(query: QueryReader) {
  return definedOnly({
    incidentId: query.string('incidentId'),
    incidentType: query.string('incidentType'),
    incidentMessage: query.string('incidentMessage'),
    incidentMessageLike: query.string('incidentMessageLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    processInstanceId: query.string('processInstanceId'),
    executionId: query.string('executionId'),
    createTimeBefore: query.date('createTimeBefore'),
    createTimeAfter: query.date('createTimeAfter'),
    endTimeBefore: query.date('endTimeBefore'),
    endTimeAfter: query.date('endTimeAfter'),
    activityId: query.string('activityId'),
    failedActivityId: query.string('failedActivityId'),
    causeIncidentId: query.string('causeIncidentId'),
    rootCauseIncidentId: query.string('rootCauseIncidentId'),
    configuration: query.string('configuration'),
    open: query.boolean('open'),
    resolved: query.boolean('resolved'),
    deleted: query.boolean('deleted'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

function decisionFilter(query: QueryReader) {
  return definedOnly({
    decisionInstanceId: query.string('decisionInstanceId'),
    decisionInstanceIdIn: query.list('decisionInstanceIdIn'),
    decisionDefinitionId: query.string('decisionDefinitionId'),
    decisionDefinitionIdIn: query.list('decisionDefinitionIdIn'),
    decisionDefinitionKey: query.string('decisionDefinitionKey'),
    decisionDefinitionKeyIn: query.list('decisionDefinitionKeyIn'),
    decisionDefinitionName: query.string('decisionDefinitionName'),
    decisionDefinitionNameLike: query.string('decisionDefinitionNameLike'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processInstanceId: query.string('processInstanceId'),
    activityIdIn: query.list('activityIdIn'),
    activityInstanceIdIn: query.list('activityInstanceIdIn'),
    evaluatedBefore: query.date('evaluatedBefore'),
    evaluatedAfter: query.date('evaluatedAfter'),
    rootDecisionInstanceId: query.string('rootDecisionInstanceId'),
    rootDecisionInstancesOnly: query.boolean('rootDecisionInstancesOnly'),
    decisionRequirementsDefinitionId: query.string('decisionRequirementsDefinitionId'),
    decisionRequirementsDefinitionKey: query.string('decisionRequirementsDefinitionKey'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

function detailFilter(query: QueryReader) {
  return definedOnly({
    processInstanceId: query.string('processInstanceId'),
    processInstanceIdIn: query.list('processInstanceIdIn'),
    executionId: query.string('executionId'),
    taskId: query.string('taskId'),
    activityInstanceId: query.string('activityInstanceId'),
    caseId: query.string('caseInstanceId') ?? query.string('caseExecutionId'),
    variableInstanceId: query.string('variableInstanceId'),
    variableTypeIn: query.list('variableTypeIn'),
    variableNameLike: query.string('variableNameLike'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    userOperationId: query.string('userOperationId'),
    formFields: query.boolean('formFields'),
    variableUpdates: query.boolean('variableUpdates'),
    excludeTaskDetails: query.boolean('excludeTaskDetails'),
    initial: query.boolean('initial'),
    occurredBefore: query.date('occurredBefore'),
    occurredAfter: query.date('occurredAfter'),
  });
}

/** The log kinds asked for (creationLog, failureLog, …); all when none is. */
function logStates(query: QueryReader) {
  const kinds = [['creationLog', 'created'], ['failureLog', 'failed'], ['successLog', 'successful'], ['deletionLog', 'deleted']] as const;
  const states = kinds.filter(([flag]) => query.boolean(flag) === true).map(([, state]) => state);
  return states.length > 0 ? states : undefined;
}

function externalTaskLogFilter(query: QueryReader) {
  return definedOnly({
    logId: query.string('logId'),
    externalTaskId: query.string('externalTaskId'),
    topicName: query.string('topicName'),
    workerId: query.string('workerId'),
    errorMessage: query.string('errorMessage'),
    activityIdIn: query.list('activityIdIn'),
    activityInstanceIdIn: query.list('activityInstanceIdIn'),
    executionIdIn: query.list('executionIdIn'),
    processInstanceId: query.string('processInstanceId'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    priorityLowerThanOrEquals: query.integer('priorityLowerThanOrEquals'),
    priorityHigherThanOrEquals: query.integer('priorityHigherThanOrEquals'),
    states: logStates(query),
  });
}

function jobLogFilter(query: QueryReader) {
  return definedOnly({
    logId: query.string('logId'),
    jobId: query.string('jobId'),
    jobExceptionMessage: query.string('jobExceptionMessage'),
    jobDefinitionId: query.string('jobDefinitionId'),
    jobDefinitionType: query.string('jobDefinitionType'),
    jobDefinitionConfiguration: query.string('jobDefinitionConfiguration'),
    activityIdIn: query.list('activityIdIn'),
    failedActivityIdIn: query.list('failedActivityIdIn'),
    executionIdIn: query.list('executionIdIn'),
    processInstanceId: query.string('processInstanceId'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    deploymentId: query.string('deploymentId'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
    hostname: query.string('hostname'),
    jobPriorityLowerThanOrEquals: query.integer('jobPriorityLowerThanOrEquals'),
    jobPriorityHigherThanOrEquals: query.integer('jobPriorityHigherThanOrEquals'),
    states: logStates(query),
  });
}

function userOperationFilter(query: QueryReader) {
  const caseIds = [query.string('caseDefinitionId'), query.string('caseInstanceId'), query.string('caseExecutionId')];
  return definedOnly({
    deploymentId: query.string('deploymentId'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processInstanceId: query.string('processInstanceId'),
    executionId: query.string('executionId'),
    taskId: query.string('taskId'),
    externalTaskId: query.string('externalTaskId'),
    batchId: query.string('batchId'),
    jobId: query.string('jobId'),
    jobDefinitionId: query.string('jobDefinitionId'),
    userId: query.string('userId'),
    operationId: query.string('operationId'),
    operationType: query.string('operationType'),
    entityType: query.string('entityType'),
    entityTypeIn: query.list('entityTypeIn'),
    category: query.string('category'),
    categoryIn: query.list('categoryIn'),
    property: query.string('property'),
    afterTimestamp: query.date('afterTimestamp'),
    beforeTimestamp: query.date('beforeTimestamp'),
    caseId: caseIds.find((id) => id !== undefined),
  });
}

export function historyRouter(ctx: ServiceContext): Router {
  const router = Router();
  const reads = readModels(ctx);
  router.get('/history/process-instance/report', async (req, res) => {
    // Camunda negotiates JSON or CSV (no Accept header means JSON) before it reads the parameters.
    const mediaType = req.accepts(['application/json', 'application/csv', 'text/csv']);
    if (!mediaType) throw new NotAcceptableError();
    const query = requestQuery(req);
    const report = await getProcessInstanceDurationReport(ctx, {
      reportType: query.string('reportType'),
      periodUnit: query.string('periodUnit'),
      processDefinitionIdIn: query.list('processDefinitionIdIn'),
      processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
      startedBefore: query.date('startedBefore'),
      startedAfter: query.date('startedAfter'),
    });
    if (mediaType === 'application/json') {
      sendJson(res, report);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', mediaType);
    res.setHeader('Content-Disposition', "attachment; filename=\"process-instance-report.csv\"; filename*=UTF-8''process-instance-report.csv");
    // A Buffer, so Express adds no charset to the content type.
    res.send(Buffer.from(durationReportCsv(report), 'utf8'));
  });
  mountListRoutes(router, {
    path: '/history/process-instance',
    readModel: reads.historicProcessInstances,
    sortKeys: PROCESS_SORT,
    filter: processFilter,
    toDto: historicProcessInstanceDto,
    post: true,
  });
  // Mounted before `/history/process-definition/:id/statistics`, which does not match these paths anyway.
  const cleanableFilter = (kind: 'process' | 'decision') => (query: QueryReader) => ({
    now: ctx.clock.now(),
    ...definedOnly({
      definitionIdIn: query.list(`${kind}DefinitionIdIn`),
      definitionKeyIn: query.list(`${kind}DefinitionKeyIn`),
      tenantIdIn: query.list('tenantIdIn'),
      withoutTenantId: query.boolean('withoutTenantId'),
      compact: query.boolean('compact'),
    }),
  });
  mountListRoutes(router, {
    path: '/history/process-definition/cleanable-process-instance-report',
    readModel: reads.cleanableProcessInstances,
    sortKeys: ['finished'],
    filter: cleanableFilter('process'),
    toDto: cleanableProcessInstanceReportDto,
    post: false,
  });
  mountListRoutes(router, {
    path: '/history/decision-definition/cleanable-decision-instance-report',
    readModel: reads.cleanableDecisionInstances,
    sortKeys: ['finished'],
    filter: cleanableFilter('decision'),
    toDto: cleanableDecisionInstanceReportDto,
    post: false,
  });
  router.get('/history/process-definition/:id/statistics', async (req, res) => {
    const query = requestQuery(req);
    const sorting = query.listOptions(['activityId']).sorting ?? [];
    const statistics = await getHistoricActivityStatistics(ctx, {
      processDefinitionId: req.params.id,
      ...definedOnly({
        startedBefore: query.date('startedBefore'),
        startedAfter: query.date('startedAfter'),
        finishedBefore: query.date('finishedBefore'),
        finishedAfter: query.date('finishedAfter'),
        processInstanceIdIn: query.list('processInstanceIdIn'),
      }),
      sortOrder: sorting[0]?.sortOrder ?? 'asc',
    }, {
      canceled: query.boolean('canceled') ?? false,
      finished: query.boolean('finished') ?? false,
      completeScope: query.boolean('completeScope') ?? false,
      incidents: query.boolean('incidents') ?? false,
    });
    sendJson(res, statistics);
  });
  router.get('/history/decision-requirements-definition/:id/statistics', async (req, res) => {
    sendJson(res, await getDecisionRequirementsStatistics(ctx, req.params.id, requestQuery(req).string('decisionInstanceId')));
  });
  router.post('/history/process-instance/delete', async (req, res) => {
    const body = readBody(req, deleteHistoricProcessInstancesBody);
    const query = body.historicProcessInstanceQuery ? processFilter(requestQuery({ method: 'POST', query: {}, body: body.historicProcessInstanceQuery })) : null;
    sendJson(res, batchDto(await deleteHistoricProcessInstances(ctx, { ids: body.historicProcessInstanceIds ?? null, query })));
  });
  router.get('/history/process-instance/:id', async (req, res) => sendJson(res, historicProcessInstanceDto(await getHistoricProcessInstance(ctx, req.params.id))));
  router.delete('/history/process-instance/:id', async (req, res) => {
    await deleteHistoricProcessInstance(ctx, req.params.id, requestQuery(req).boolean('failIfNotExists') ?? true);
    sendNoContent(res);
  });
  router.delete('/history/process-instance/:id/variable-instances', async (req, res) => {
    await deleteHistoricVariablesOfProcessInstance(ctx, req.params.id);
    sendNoContent(res);
  });
  mountListRoutes(router, {
    path: '/history/activity-instance',
    readModel: reads.historicActivityInstances,
    sortKeys: ACTIVITY_SORT,
    filter: activityFilter,
    toDto: historicActivityInstanceDto,
    post: true,
  });
  mountListRoutes(router, {
    path: '/history/variable-instance',
    readModel: reads.historicVariableInstances,
    sortKeys: VARIABLE_SORT,
    filter: variableFilter,
    toDto: (row, query) => historicVariableInstanceDto(row, query.boolean('deserializeValues') ?? true),
    post: true,
  });
  router.get('/history/variable-instance/:id', async (req, res) => {
    sendJson(res, historicVariableInstanceDto(await getHistoricVariableInstance(ctx, req.params.id), requestQuery(req).boolean('deserializeValues') ?? true));
  });
  router.get('/history/variable-instance/:id/data', async (req, res) => {
    await sendBinaryVariable(res, req.params.id, req.params.id, await getHistoricVariableData(ctx, req.params.id));
  });
  router.delete('/history/variable-instance/:id', async (req, res) => {
    await deleteHistoricVariable(ctx, req.params.id);
    sendNoContent(res);
  });
  router.get('/history/activity-instance/:id', async (req, res) => sendJson(res, historicActivityInstanceDto(await getHistoricActivityInstance(ctx, req.params.id))));
  mountListRoutes(router, {
    path: '/history/detail',
    readModel: reads.historicDetails,
    sortKeys: DETAIL_SORT,
    filter: detailFilter,
    toDto: (row, query) => historicDetailDto(row, query.boolean('deserializeValues') ?? true),
    post: true,
    postCount: false,
  });
  router.get('/history/detail/:id', async (req, res) => sendJson(res, historicDetailDto(await getHistoricDetail(ctx, req.params.id), requestQuery(req).boolean('deserializeValues') ?? true)));
  router.get('/history/detail/:id/data', async (req, res) => {
    await sendBinaryVariable(res, req.params.id, req.params.id, await getHistoricDetailData(ctx, req.params.id));
  });
  mountListRoutes(router, {
    path: '/history/external-task-log',
    readModel: reads.externalTaskLog,
    sortKeys: EXTERNAL_TASK_LOG_SORT,
    filter: externalTaskLogFilter,
    toDto: historicExternalTaskLogDto,
    post: true,
  });
  router.get('/history/external-task-log/:id', async (req, res) => sendJson(res, historicExternalTaskLogDto(await getExternalTaskLog(ctx, req.params.id))));
  router.get('/history/external-task-log/:id/error-details', async (req, res) => {
    sendText(res, (await getExternalTaskLog(ctx, req.params.id, 'errorDetails')).error_details);
  });
  mountListRoutes(router, {
    path: '/history/job-log',
    readModel: reads.jobLog,
    sortKeys: JOB_LOG_SORT,
    filter: jobLogFilter,
    toDto: historicJobLogDto,
    post: true,
  });
  router.get('/history/job-log/:id', async (req, res) => sendJson(res, historicJobLogDto(await getJobLog(ctx, req.params.id))));
  router.get('/history/job-log/:id/stacktrace', async (req, res) => sendText(res, (await getJobLog(ctx, req.params.id, 'stacktrace')).job_exception_stacktrace));
  router.get('/history/task/report', async (req, res) => {
    const query = requestQuery(req);
    sendJson(res, await getTaskReport(ctx, {
      reportType: query.string('reportType'),
      periodUnit: query.string('periodUnit'),
      groupBy: query.string('groupBy'),
      completedBefore: query.date('completedBefore'),
      completedAfter: query.date('completedAfter'),
    }));
  });
  mountListRoutes(router, {
    path: '/history/task',
    readModel: reads.historicTaskInstances,
    sortKeys: TASK_SORT,
    filter: taskFilter,
    toDto: historicTaskInstanceDto,
    post: true,
  });
  mountListRoutes(router, {
    path: '/history/incident',
    readModel: reads.historicIncidents,
    sortKeys: INCIDENT_SORT,
    filter: incidentFilter,
    toDto: historicIncidentDto,
    post: false,
  });
  mountListRoutes(router, {
    path: '/history/decision-instance',
    readModel: reads.historicDecisionInstances,
    sortKeys: DECISION_SORT,
    filter: decisionFilter,
    toDto: (row, query) => historicDecisionInstanceDto(row, { inputs: query.boolean('includeInputs') ?? false, outputs: query.boolean('includeOutputs') ?? false }),
    post: false,
  });
  // After the list: `/history/decision-instance/count` is no id.
  router.get('/history/decision-instance/:id', async (req, res) => {
    const query = requestQuery(req);
    sendJson(res, historicDecisionInstanceDto(await getHistoricDecisionInstance(ctx, req.params.id), { inputs: query.boolean('includeInputs') ?? false, outputs: query.boolean('includeOutputs') ?? false }));
  });
  mountListRoutes(router, {
    path: '/history/user-operation',
    readModel: reads.userOperationLog,
    sortKeys: USER_OPERATION_SORT,
    filter: userOperationFilter,
    toDto: userOperationLogEntryDto,
    post: false,
  });
  router.put('/history/user-operation/:operationId/set-annotation', async (req, res) => {
    await annotateOperation(ctx, req.params.operationId, { set: true, annotation: readBody(req, annotationBody).annotation ?? null });
    sendNoContent(res);
  });
  router.put('/history/user-operation/:operationId/clear-annotation', async (req, res) => {
    await annotateOperation(ctx, req.params.operationId, { set: false });
    sendNoContent(res);
  });
  return router;
}
