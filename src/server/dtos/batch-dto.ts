/** Camunda's BatchDto for an operation this engine carries out in the request: the batch is done when answered. */
import type { DeletionBatch } from '../../services/history-service.js';
import { dateValue } from './date-value.js';

export function batchDto(batch: DeletionBatch) {
  return {
    id: batch.id,
    type: batch.type,
    totalJobs: batch.totalJobs,
    jobsCreated: 0,
    batchJobsPerSeed: 100,
    invocationsPerBatchJob: 1,
    seedJobDefinitionId: batch.jobDefinitionIds[0],
    monitorJobDefinitionId: batch.jobDefinitionIds[1],
    batchJobDefinitionId: batch.jobDefinitionIds[2],
    suspended: false,
    tenantId: null,
    createUserId: null,
    startTime: dateValue(batch.startTime),
    executionStartTime: null,
  };
}
