/** Jobs and job definitions as Camunda's JobDto and JobDefinitionDto. */
import type { JobDefinitionRow } from '../../services/job-definitions.js';
import type { JobRow } from '../../services/job-service.js';
import { dateValue, numberValue } from './date-value.js';

export function jobDto(row: JobRow) {
  return {
    id: row.id,
    jobDefinitionId: row.job_definition_id,
    dueDate: dateValue(row.due_date),
    processInstanceId: row.process_instance_id,
    // Executions are the instance itself until concurrent executions exist.
    executionId: row.execution_id ?? row.process_instance_id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    retries: row.retries,
    exceptionMessage: row.exception_message,
    failedActivityId: row.exception_message === null ? null : row.activity_id,
    suspended: row.suspended,
    priority: numberValue(row.priority),
    tenantId: row.tenant_id,
    createTime: dateValue(row.create_time),
    batchId: null,
  };
}

export function jobDefinitionDto(row: JobDefinitionRow) {
  return {
    id: row.id,
    processDefinitionId: row.process_definition_id,
    processDefinitionKey: row.process_definition_key,
    activityId: row.activity_id,
    jobType: row.job_type,
    jobConfiguration: row.job_configuration,
    overridingJobPriority: numberValue(row.overriding_job_priority),
    suspended: row.suspended,
    tenantId: row.tenant_id,
    // Camunda 7 (Operaton too) answers null here, although the definition's deployment is known.
    deploymentId: null,
  };
}
