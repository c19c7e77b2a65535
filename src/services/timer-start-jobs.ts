/** Timer start events: a job per event of the latest version of a process, created when it is deployed (as in Camunda). */
import { newId } from '../core/ids.js';
import { parseTimerSchedule } from '../core/timer-schedule.js';
import { failedJobRetryTimeCycleOf } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { deleteStartEventJobsOfKey, insertJobs, newJob, type JobRow } from '../persistence/job-repository.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { jobDefinitionId, timerEventsOf } from './job-definitions.js';
import { announceJobDue } from './job-notifications.js';
import type { ServiceContext } from './service-context.js';

/** Replaces the timer start jobs of earlier versions of each deployed definition's key with its own. */
export async function scheduleTimerStartEvents(ctx: ServiceContext, db: Db, definitions: readonly ProcessDefinitionRow[]): Promise<void> {
  const now = ctx.clock.now();
  const jobs: JobRow[] = [];
  for (const definition of definitions) {
    await deleteStartEventJobsOfKey(db, definition.key, definition.tenant_id, definition.id);
    for (const start of timerEventsOf(ctx, definition).filter((timer) => timer.jobType === 'timer-start-event')) {
      const schedule = parseTimerSchedule(start.timerType, start.expression, ctx.options.timeZone);
      jobs.push(newJob({
        id: newId(),
        handler_type: 'timer-start-event',
        process_instance_id: null,
        process_definition_id: definition.id,
        process_definition_key: definition.key,
        engine_execution_id: null,
        activity_id: start.activityId,
        job_definition_id: jobDefinitionId(definition.id, start.activityId, 'timer'),
        timer_type: start.timerType,
        timer_expression: start.expression,
        repetitions_left: schedule.repetitions,
        retry_time_cycle: failedJobRetryTimeCycleOf(start.behaviour),
        due_date: schedule.dueAfter(now),
        suspended: definition.suspended,
        tenant_id: definition.tenant_id,
        create_time: now,
      }));
    }
  }
  await insertJobs(db, jobs);
  await announceJobDue(db, jobs.map((job) => job.due_date));
}
