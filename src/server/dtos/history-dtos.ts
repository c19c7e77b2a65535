/** Historic process, activity, variable and task instance DTOs, and historic incidents. */
import { toWireValue } from '../../core/typed-value.js';
import {
  storedValueOf,
  type HistoricActivityInstanceRow,
  type HistoricIncidentRow,
  type HistoricProcessInstanceRow,
  type HistoricTaskInstanceRow,
  type HistoricVariableInstanceRow,
} from '../../services/read-models.js';
import { dateValue, numberValue } from './date-value.js';

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
    removalTime: null,
    durationInMillis: numberValue(row.duration_in_millis),
    startUserId: null,
    startActivityId: row.start_activity_id,
    deleteReason: row.delete_reason,
    tenantId: row.tenant_id,
    state: row.state,
    restartedProcessInstanceId: null,
  };
}

export function historicActivityInstanceDto(row: HistoricActivityInstanceRow) {
  return {
    id: row.id,
    parentActivityInstanceId: row.parent_activity_instance_id,
    activityId: row.activity_id,
    activityName: row.activity_name,
    activityType: row.activity_type,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.process_instance_id,
    taskId: row.task_id,
    assignee: row.assignee,
    calledProcessInstanceId: null,
    calledCaseInstanceId: null,
    startTime: dateValue(row.start_time),
    endTime: dateValue(row.end_time),
    durationInMillis: numberValue(row.duration_in_millis),
    canceled: row.canceled,
    completeScope: row.complete_scope,
    tenantId: row.tenant_id,
    removalTime: null,
    rootProcessInstanceId: row.process_instance_id,
  };
}

export function historicVariableInstanceDto(row: HistoricVariableInstanceRow, deserializeValues: boolean) {
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
    executionId: row.process_instance_id,
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
    rootProcessInstanceId: row.process_instance_id,
  };
}

export function historicTaskInstanceDto(row: HistoricTaskInstanceRow) {
  return {
    id: row.id,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.process_instance_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
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
    parentTaskId: null,
    followUp: dateValue(row.follow_up_date),
    tenantId: row.tenant_id,
    removalTime: null,
    rootProcessInstanceId: row.process_instance_id,
    taskState: row.task_state,
  };
}

export function historicIncidentDto(row: HistoricIncidentRow) {
  return {
    id: row.id,
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.process_instance_id,
    rootProcessInstanceId: row.process_instance_id,
    createTime: dateValue(row.create_time),
    endTime: dateValue(row.end_time),
    removalTime: null,
    incidentType: row.incident_type,
    activityId: row.activity_id,
    failedActivityId: row.activity_id,
    causeIncidentId: row.id,
    rootCauseIncidentId: row.id,
    configuration: row.configuration,
    historyConfiguration: null,
    incidentMessage: row.incident_message,
    tenantId: row.tenant_id,
    jobDefinitionId: null,
    open: row.state === 'open',
    deleted: row.state === 'deleted',
    resolved: row.state === 'resolved',
    annotation: row.annotation,
  };
}
