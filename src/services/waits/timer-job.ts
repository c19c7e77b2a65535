/** The job of a waiting timer: due when its definition says, counted with the command's clock and time zone. */
import { ProcessEngineError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseTimerSchedule, TimerDefinitionError } from '../../core/timer-schedule.js';
import { failedJobRetryTimeCycleOf, type WaitingActivity } from '../../engine/index.js';
import { newJob, type JobRow } from '../../persistence/job-repository.js';
import { jobDefinitionId } from '../job-definitions.js';
import type { WaitReconciliation } from './wait-rows.js';

export function timerJobOf(input: WaitReconciliation, wait: WaitingActivity): JobRow {
  const { identity, now } = input;
  const timer = wait.timer;
  if (!timer) throw new ProcessEngineError(`Timer '${wait.activityId}' of process instance ${identity.processInstanceId} has no timer definition`);
  let schedule;
  try {
    schedule = parseTimerSchedule(timer.timerType, timer.expression, input.timeZone);
  } catch (error) {
    if (!(error instanceof TimerDefinitionError)) throw error;
    throw new ProcessEngineError(`Invalid ${timer.timerType} of timer '${wait.activityId}': ${error.message}`, { cause: error });
  }
  // bpmn-elements counts a re-armed cycle's fires left; the first arming has the definition's own count.
  const repetitionsLeft = timer.repeat === undefined || timer.repeat < 0 ? schedule.repetitions : timer.repeat;
  return newJob({
    id: newId(),
    handler_type: wait.bpmnType === 'bpmn:BoundaryEvent' ? 'timer-transition' : wait.bpmnType === 'bpmn:StartEvent' ? 'timer-start-event-subprocess' : 'timer-intermediate-transition',
    process_instance_id: identity.processInstanceId,
    process_definition_id: identity.definition.id,
    process_definition_key: identity.definition.key,
    engine_execution_id: wait.executionId,
    execution_id: input.executionOf(wait),
    activity_id: wait.activityId,
    job_definition_id: jobDefinitionId(identity.definition.id, wait.activityId, 'timer'),
    timer_type: timer.timerType,
    timer_expression: timer.expression,
    repetitions_left: repetitionsLeft,
    retry_time_cycle: failedJobRetryTimeCycleOf(wait.behaviour),
    due_date: schedule.dueAfter(now),
    suspended: false,
    tenant_id: identity.tenantId,
    create_time: now,
  });
}
