/** External task, locked external task and incident DTOs. */
import type { ExternalTaskRow, IncidentRow, LockedExternalTask } from '../../services/read-models.js';
import { dateValue } from './date-value.js';
import { variablesDto } from './variable-dtos.js';

export function externalTaskDto(row: ExternalTaskRow) {
  return {
    activityId: row.activity_id,
    activityInstanceId: row.activity_instance_id,
    errorMessage: row.error_message,
    // No concurrent executions in the REST model: the execution is the process instance (as for user tasks).
    executionId: row.execution_id ?? row.process_instance_id,
    id: row.id,
    lockExpirationTime: dateValue(row.lock_expiration_time),
    createTime: dateValue(row.create_time),
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    processDefinitionVersionTag: row.process_definition_version_tag,
    processInstanceId: row.process_instance_id,
    tenantId: row.tenant_id,
    retries: row.retries,
    suspended: row.suspended,
    workerId: row.worker_id,
    topicName: row.topic_name,
    priority: Number(row.priority),
    businessKey: row.business_key,
  };
}

export function lockedExternalTaskDto(locked: LockedExternalTask) {
  return {
    ...externalTaskDto(locked.task),
    errorDetails: locked.task.error_details,
    variables: variablesDto(locked.variables, locked.deserializeValues),
    extensionProperties: locked.includeExtensionProperties ? locked.task.extension_properties : {},
  };
}

/** Camunda fills it for failed jobs only; an external task's incident leaves it null. */
export function failedActivityIdOf(incident: { incident_type: string; activity_id: string }): string | null {
  return incident.incident_type === 'failedJob' ? incident.activity_id : null;
}

export function incidentDto(row: IncidentRow) {
  return {
    id: row.id,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    executionId: row.execution_id ?? row.process_instance_id,
    incidentTimestamp: dateValue(row.incident_timestamp),
    incidentType: row.incident_type,
    activityId: row.activity_id,
    failedActivityId: failedActivityIdOf(row),
    causeIncidentId: row.id,
    rootCauseIncidentId: row.id,
    configuration: row.configuration,
    tenantId: row.tenant_id,
    incidentMessage: row.incident_message,
    jobDefinitionId: row.job_definition_id ?? null,
    annotation: row.annotation,
  };
}
