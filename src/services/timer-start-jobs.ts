/** Timer start events: a job per event of the latest version of a process, created when it is deployed (as in Camunda). */
import { newId } from '../core/ids.js';
import { parseTimerSchedule } from '../core/timer-schedule.js';
import type { Db } from '../persistence/database.js';
import { deleteStartEventJobsReplacedBy, insertJobs, newJob, type JobRow } from '../persistence/job-repository.js';
import { jobDefinitionId, type DeployedDefinition } from './job-definitions.js';
import { announceJobDue } from './job-notifications.js';
import type { ServiceContext } from './service-context.js';

/** Replaces the timer start jobs of earlier versions of each deployed definition's key with its own. */
export async function scheduleTimerStartEvents(ctx: ServiceContext, db: Db, deployed: readonly DeployedDefinition[]): Promise<void> {
  await deleteStartEventJobsReplacedBy(db, deployed.map(({ definition }) => definition));
  const now = ctx.clock.now();
  const jobs: JobRow[] = deployed.flatMap(({ definition, jobs: declarations }) => declarations.filter((job) => job.jobType === 'timer-start-event').map((start) => {
    const { timerType, expression } = start.timer!;
    const schedule = parseTimerSchedule(timerType, expression, ctx.options.timeZone);
    return newJob({
      id: newId(),
      handler_type: 'timer-start-event',
      process_instance_id: null,
      process_definition_id: definition.id,
      process_definition_key: definition.key,
      engine_execution_id: null,
    execution_id: null,
      activity_id: start.activityId,
      job_definition_id: jobDefinitionId(definition.id, start.activityId, 'timer'),
      timer_type: timerType,
      timer_expression: expression,
      repetitions_left: schedule.repetitions,
      retry_time_cycle: start.retryTimeCycle,
      due_date: schedule.dueAfter(now),
      suspended: definition.suspended,
      tenant_id: definition.tenant_id,
      create_time: now,
    });
  }));
  await insertJobs(db, jobs, now);
  await announceJobDue(db, jobs.map((job) => job.due_date));
}
