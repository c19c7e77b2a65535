/** The job of a waiting async continuation: due at once, continued by the job executor in a transaction of its own. */
import { newId } from '../../core/ids.js';
import { asyncContinuationOf, failedJobRetryTimeCycleOf, type WaitingActivity } from '../../engine/index.js';
import { newJob, type JobRow } from '../../persistence/job-repository.js';
import { jobDefinitionId } from '../job-definitions.js';
import type { WaitReconciliation } from './wait-rows.js';

export function asyncContinuationJobOf(input: WaitReconciliation, wait: WaitingActivity): JobRow {
  const { identity, now } = input;
  const { activityId, side } = asyncContinuationOf(wait.activityId)!;
  return newJob({
    id: newId(),
    handler_type: 'async-continuation',
    process_instance_id: identity.processInstanceId,
    process_definition_id: identity.definition.id,
    process_definition_key: identity.definition.key,
    engine_execution_id: wait.executionId,
    execution_id: input.executionOf(wait),
    // The job belongs to the activity the continuation leads into or out of, as Camunda shows it.
    activity_id: activityId,
    job_definition_id: jobDefinitionId(identity.definition.id, activityId, `async-${side}`),
    timer_type: null,
    timer_expression: null,
    repetitions_left: null,
    retry_time_cycle: failedJobRetryTimeCycleOf(input.behaviourOf(activityId)),
    due_date: now,
    suspended: false,
    tenant_id: identity.tenantId,
    create_time: now,
  });
}
