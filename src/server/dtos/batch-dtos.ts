/** Camunda's Batch DTO, for batch operations this engine completes before it answers. */
import type { CompletedBatch } from '../../services/instance-bulk-operations.js';
import { dateValue } from './date-value.js';

/**
 * As Operaton answers a new batch of one invocation per job, but done: every job created and the execution started
 * when the batch did. No seed, monitor or batch job definitions exist, so their ids are null.
 */
export function batchDto(batch: CompletedBatch) {
  return {
    id: batch.id,
    type: batch.type,
    totalJobs: batch.totalJobs,
    jobsCreated: batch.totalJobs,
    batchJobsPerSeed: 100,
    invocationsPerBatchJob: 1,
    seedJobDefinitionId: null,
    monitorJobDefinitionId: null,
    batchJobDefinitionId: null,
    suspended: false,
    tenantId: null,
    createUserId: batch.createUserId,
    startTime: dateValue(batch.startTime),
    executionStartTime: dateValue(batch.startTime),
  };
}
