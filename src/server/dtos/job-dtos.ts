/** Jobs as Camunda's JobDto. */
import type { JobRow } from '../../services/job-service.js';
import { dateValue, numberValue } from './date-value.js';

export function jobDto(row: JobRow) {
  return {
    id: row.id,
    jobDefinitionId: null,
    dueDate: dateValue(row.due_date),
    processInstanceId: row.process_instance_id,
    // Executions are the instance itself until concurrent executions exist.
    executionId: row.process_instance_id,
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
