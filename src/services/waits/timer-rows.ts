/** Timer rows: a job per waiting timer, due when its definition says, counted with the command's clock and time zone. */
import { ProcessEngineError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseTimerSchedule, TimerDefinitionError } from '../../core/timer-schedule.js';
import type { WaitingActivity } from '../../engine/index.js';
import { deleteJobs, deleteJobsOfInstance, insertJobs, newTimerJob, listJobsOfInstance, type JobRow } from '../../persistence/job-repository.js';
import { removeIncidentsOfConfiguration } from '../incident-lifecycle.js';
import { announceJobDue } from '../job-notifications.js';
import type { WaitReconciliation, WaitRows } from './wait-rows.js';

function jobOf(input: WaitReconciliation, wait: WaitingActivity): JobRow {
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
  return newTimerJob({
    id: newId(),
    handler_type: wait.bpmnType === 'bpmn:BoundaryEvent' ? 'timer-transition' : 'timer-intermediate-transition',
    process_instance_id: identity.processInstanceId,
    process_definition_id: identity.definition.id,
    process_definition_key: identity.definition.key,
    engine_execution_id: wait.executionId,
    activity_id: wait.activityId,
    timer_type: timer.timerType,
    timer_expression: timer.expression,
    repetitions_left: repetitionsLeft,
    due_date: schedule.dueAfter(now),
    suspended: false,
    tenant_id: identity.tenantId,
    create_time: now,
  });
}

export const timerRows: WaitRows<JobRow> = {
  kind: 'timer',
  list: listJobsOfInstance,

  async create(db, input, waits) {
    const jobs = waits.map((wait) => jobOf(input, wait));
    await insertJobs(db, jobs);
    await announceJobDue(db, jobs.map((job) => job.due_date));
  },

  async remove(db, input, jobs) {
    await deleteJobs(db, jobs.map((job) => job.id));
    for (const job of jobs) await removeIncidentsOfConfiguration(db, job.id, input.now);
  },

  async removeAll(db, processInstanceId) {
    await deleteJobsOfInstance(db, processInstanceId);
  },
};
