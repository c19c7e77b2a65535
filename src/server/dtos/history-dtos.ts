/** Historic process, activity, variable, task and decision instance DTOs, and historic incidents. */
import { toWireValue, type StoredValue } from '../../core/typed-value.js';
import {
  storedValueOf,
  type HistoricActivityInstanceRow,
  type HistoricDecisionInputRow,
  type HistoricDecisionInstanceRow,
  type HistoricDetailRow,
  type ExternalTaskLogRow,
  type JobLogRow,
  type CleanableReportRow,
  type HistoricIncidentRow,
  type HistoricProcessInstanceRow,
  type HistoricTaskInstanceRow,
  type HistoricVariableInstanceRow,
  type UserOperationLogRow,
  type WithRootInstance,
} from '../../services/read-models.js';
import { dateValue, numberValue } from './date-value.js';
import { failedActivityIdOf } from './external-task-dtos.js';

export function historicProcessInstanceDto(row: HistoricProcessInstanceRow) {
  return {
    id: row.id,
    rootProcessInstanceId: row.root_process_instance_id,
    superProcessInstanceId: row.super_process_instance_id,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: row.process_definition_name,
    processDefinitionKey: row.process_definition_key,
    processDefinitionVersion: row.process_definition_version,
    processDefinitionId: row.process_definition_id,
    businessKey: row.business_key,
    startTime: dateValue(row.start_time),
    endTime: dateValue(row.end_time),
    removalTime: dateValue(row.removal_time),
    durationInMillis: numberValue(row.duration_in_millis),
    startUserId: row.start_user_id,
    startActivityId: row.start_activity_id,
    deleteReason: row.delete_reason,
    tenantId: row.tenant_id,
    state: row.state,
    restartedProcessInstanceId: null,
  };
}

export function historicActivityInstanceDto(row: WithRootInstance<HistoricActivityInstanceRow>) {
  return {
    id: row.id,
    parentActivityInstanceId: row.parent_activity_instance_id,
    activityId: row.activity_id,
    activityName: row.activity_name,
    activityType: row.activity_type,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    taskId: row.task_id,
    assignee: row.assignee,
    calledProcessInstanceId: row.called_process_instance_id,
    calledCaseInstanceId: null,
    startTime: dateValue(row.start_time),
    endTime: dateValue(row.end_time),
    durationInMillis: numberValue(row.duration_in_millis),
    canceled: row.canceled,
    completeScope: row.complete_scope,
    tenantId: row.tenant_id,
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
  };
}

export function historicVariableInstanceDto(row: WithRootInstance<HistoricVariableInstanceRow>, deserializeValues: boolean) {
  const wire = toWireValue(storedValueOf(row), { deserializeValues });
  return {
    id: row.id,
    name: row.name,
    type: wire.type,
    value: wire.value,
    valueInfo: wire.valueInfo,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    activityInstanceId: row.activity_instance_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: row.task_id,
    tenantId: row.tenant_id,
    errorMessage: null,
    state: row.state,
    createTime: dateValue(row.create_time),
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
  };
}

export function historicTaskInstanceDto(row: WithRootInstance<HistoricTaskInstanceRow>) {
  return {
    id: row.id,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: row.case_instance_id,
    caseExecutionId: null,
    activityInstanceId: row.activity_instance_id,
    name: row.name,
    description: row.description,
    deleteReason: row.delete_reason,
    owner: row.owner,
    assignee: row.assignee,
    startTime: dateValue(row.start_time),
    endTime: dateValue(row.end_time),
    duration: numberValue(row.duration_in_millis),
    taskDefinitionKey: row.task_definition_key,
    priority: row.priority,
    due: dateValue(row.due_date),
    parentTaskId: row.parent_task_id,
    followUp: dateValue(row.follow_up_date),
    tenantId: row.tenant_id,
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
    taskState: row.task_state,
  };
}

export function historicIncidentDto(row: WithRootInstance<HistoricIncidentRow>) {
  return {
    id: row.id,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    rootProcessInstanceId: row.root_process_instance_id,
    createTime: dateValue(row.create_time),
    endTime: dateValue(row.end_time),
    removalTime: dateValue(row.removal_time),
    incidentType: row.incident_type,
    activityId: row.activity_id,
    failedActivityId: failedActivityIdOf(row),
    causeIncidentId: row.id,
    rootCauseIncidentId: row.id,
    configuration: row.configuration,
    historyConfiguration: null,
    incidentMessage: row.incident_message,
    tenantId: row.tenant_id,
    jobDefinitionId: row.job_definition_id ?? null,
    open: row.state === 'open',
    deleted: row.state === 'deleted',
    resolved: row.state === 'resolved',
    annotation: row.annotation,
  };
}

/** An input or output value; createTime is the evaluation's time, as Camunda writes both in the same command. */
function decisionValueDto(row: WithRootInstance<HistoricDecisionInstanceRow>, entry: HistoricDecisionInputRow) {
  const wire = toWireValue({ type: entry.value.type as StoredValue['type'], text: entry.value.text, bytes: null, valueInfo: entry.value.valueInfo });
  return {
    id: entry.id,
    decisionInstanceId: row.id,
    clauseId: entry.clauseId,
    clauseName: entry.clauseName,
    errorMessage: null,
    type: wire.type,
    createTime: dateValue(row.evaluation_time),
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
    value: wire.value,
    valueInfo: wire.valueInfo,
  };
}

/** Camunda lists a decision's inputs ordered by clause id (its query's `order by CLAUSE_ID_`), not in table order. */
function byClauseId(a: HistoricDecisionInputRow, b: HistoricDecisionInputRow): number {
  if (a.clauseId === b.clauseId) return 0;
  if (a.clauseId === null) return 1;
  if (b.clauseId === null) return -1;
  return a.clauseId < b.clauseId ? -1 : 1;
}

/** Inputs and outputs only when asked for (`includeInputs`, `includeOutputs`), as Camunda; null otherwise. */
export function historicDecisionInstanceDto(row: WithRootInstance<HistoricDecisionInstanceRow>, include: { inputs: boolean; outputs: boolean }) {
  return {
    id: row.id,
    decisionDefinitionId: row.decision_definition_id,
    decisionDefinitionKey: row.decision_definition_key,
    decisionDefinitionName: row.decision_definition_name,
    evaluationTime: dateValue(row.evaluation_time),
    removalTime: dateValue(row.removal_time),
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    processInstanceId: row.process_instance_id,
    caseDefinitionId: null,
    caseDefinitionKey: null,
    caseInstanceId: null,
    activityId: row.activity_id,
    activityInstanceId: row.activity_instance_id,
    tenantId: row.tenant_id,
    userId: null,
    inputs: include.inputs ? [...row.inputs].sort(byClauseId).map((input) => decisionValueDto(row, input)) : null,
    outputs: include.outputs
      ? row.outputs.map((output) => ({ ...decisionValueDto(row, output), ruleId: output.ruleId, ruleOrder: output.ruleOrder, variableName: output.variableName }))
      : null,
    collectResultValue: row.collect_result_value,
    rootDecisionInstanceId: row.root_decision_instance_id,
    rootProcessInstanceId: row.root_process_instance_id,
    decisionRequirementsDefinitionId: row.decision_requirements_definition_id,
    decisionRequirementsDefinitionKey: row.decision_requirements_definition_key,
  };
}

/** A user operation log entry (UserOperationLogEntryDto); this engine has no cases or batches, so their ids are null. */
export function userOperationLogEntryDto(row: UserOperationLogRow) {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: row.task_id,
    jobId: row.job_id,
    jobDefinitionId: row.job_definition_id,
    batchId: row.batch_id,
    userId: row.user_id,
    timestamp: dateValue(row.timestamp),
    operationId: row.operation_id,
    externalTaskId: row.external_task_id,
    operationType: row.operation_type,
    entityType: row.entity_type,
    property: row.property,
    orgValue: row.org_value,
    newValue: row.new_value,
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
    category: row.category,
    annotation: row.annotation,
  };
}

/** Camunda's HistoricVariableUpdateDto or HistoricFormFieldDto: the fields common to both, then each kind's own. */
export function historicDetailDto(row: WithRootInstance<HistoricDetailRow>, deserializeValues: boolean) {
  const common = {
    id: row.id,
    type: row.type,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    activityInstanceId: row.activity_instance_id,
    executionId: row.execution_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: row.task_id,
    tenantId: row.tenant_id,
    userOperationId: row.user_operation_id,
    time: dateValue(row.time),
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
  };
  if (row.type === 'formField') return { ...common, fieldId: row.name, fieldValue: row.text_value };
  const wire = toWireValue(storedValueOf({ type: row.type_name!, text_value: row.text_value, bytes_value: row.bytes_value, value_info: row.value_info }), { deserializeValues });
  return {
    ...common,
    variableName: row.name,
    variableInstanceId: row.variable_instance_id,
    variableType: wire.type,
    value: wire.value,
    valueInfo: wire.valueInfo,
    initial: row.initial,
    revision: row.revision,
    errorMessage: null,
  };
}

/** Camunda's four flags of an external task or job log entry, one of them set. */
function logStateFlags(state: string) {
  return { creationLog: state === 'created', failureLog: state === 'failed', successLog: state === 'successful', deletionLog: state === 'deleted' };
}

export function historicExternalTaskLogDto(row: WithRootInstance<ExternalTaskLogRow>) {
  return {
    id: row.id,
    timestamp: dateValue(row.timestamp),
    removalTime: dateValue(row.removal_time),
    externalTaskId: row.external_task_id,
    topicName: row.topic_name,
    workerId: row.worker_id,
    priority: numberValue(row.priority),
    retries: row.retries,
    errorMessage: row.error_message,
    activityId: row.activity_id,
    activityInstanceId: row.activity_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    processInstanceId: row.process_instance_id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    tenantId: row.tenant_id,
    rootProcessInstanceId: row.root_process_instance_id,
    ...logStateFlags(row.state),
  };
}

export function historicJobLogDto(row: WithRootInstance<JobLogRow>) {
  return {
    id: row.id,
    timestamp: dateValue(row.timestamp),
    removalTime: dateValue(row.removal_time),
    jobId: row.job_id,
    jobDueDate: dateValue(row.job_due_date),
    jobRetries: row.job_retries,
    jobPriority: numberValue(row.job_priority),
    jobExceptionMessage: row.job_exception_message,
    failedActivityId: row.failed_activity_id,
    jobDefinitionId: row.job_definition_id,
    jobDefinitionType: row.job_definition_type,
    jobDefinitionConfiguration: row.job_definition_configuration,
    activityId: row.activity_id,
    executionId: row.execution_id ?? row.process_instance_id,
    processInstanceId: row.process_instance_id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    deploymentId: row.deployment_id,
    rootProcessInstanceId: row.root_process_instance_id,
    tenantId: row.tenant_id,
    hostname: row.hostname,
    batchId: null,
    ...logStateFlags(row.state),
  };
}

export function cleanableProcessInstanceReportDto(row: CleanableReportRow) {
  return {
    processDefinitionId: row.id,
    processDefinitionKey: row.key,
    processDefinitionName: row.name,
    processDefinitionVersion: row.version,
    historyTimeToLive: row.history_time_to_live,
    finishedProcessInstanceCount: Number(row.finished),
    cleanableProcessInstanceCount: Number(row.cleanable),
    tenantId: row.tenant_id,
  };
}

export function cleanableDecisionInstanceReportDto(row: CleanableReportRow) {
  return {
    decisionDefinitionId: row.id,
    decisionDefinitionKey: row.key,
    decisionDefinitionName: row.name,
    decisionDefinitionVersion: row.version,
    historyTimeToLive: row.history_time_to_live,
    finishedDecisionInstanceCount: Number(row.finished),
    cleanableDecisionInstanceCount: Number(row.cleanable),
    tenantId: row.tenant_id,
  };
}
