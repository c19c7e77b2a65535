/** Timer start events: a job per event of the latest version of a process, created when it is deployed (as in Camunda). */
import { newId } from '../core/ids.js';
import { parseTimerSchedule, TIMER_TYPES, type TimerType } from '../core/timer-schedule.js';
import type { Db } from '../persistence/database.js';
import { deleteStartEventJobsOfKey, insertJobs, newTimerJob, type JobRow } from '../persistence/job-repository.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { processModelOf } from './instance-advancer.js';
import { announceJobDue } from './job-notifications.js';
import type { ServiceContext } from './service-context.js';

interface StartEventElement {
  id: string;
  type: string;
  behaviour?: { eventDefinitions?: Array<{ type: string; behaviour?: Record<string, unknown> }> };
}

/** The timer start events of a definition's process, with their one timer definition each (checked at parse). */
function timerStartEvents(ctx: ServiceContext, definition: ProcessDefinitionRow): Array<{ activityId: string; timerType: TimerType; expression: string }> {
  const context = ctx.cache.get(processModelOf({ definition })) as unknown as { getActivities(scopeId: string): StartEventElement[] };
  return context.getActivities(definition.key).flatMap((activity) => {
    if (activity.type !== 'bpmn:StartEvent') return [];
    const timer = activity.behaviour?.eventDefinitions?.find((definition) => definition.type === 'bpmn:TimerEventDefinition');
    const timerType = TIMER_TYPES.find((type) => timer?.behaviour?.[type] !== undefined);
    if (!timer || !timerType) return [];
    const value = timer.behaviour![timerType];
    const expression = typeof value === 'object' && value !== null && 'body' in value ? String((value as { body: unknown }).body) : String(value);
    return [{ activityId: activity.id, timerType, expression }];
  });
}

/** Replaces the timer start jobs of earlier versions of each deployed definition's key with its own. */
export async function scheduleTimerStartEvents(ctx: ServiceContext, db: Db, definitions: readonly ProcessDefinitionRow[]): Promise<void> {
  const now = ctx.clock.now();
  const jobs: JobRow[] = [];
  for (const definition of definitions) {
    await deleteStartEventJobsOfKey(db, definition.key, definition.tenant_id, definition.id);
    for (const start of timerStartEvents(ctx, definition)) {
      const schedule = parseTimerSchedule(start.timerType, start.expression, ctx.options.timeZone);
      jobs.push(newTimerJob({
        id: newId(),
        handler_type: 'timer-start-event',
        process_instance_id: null,
        process_definition_id: definition.id,
        process_definition_key: definition.key,
        engine_execution_id: null,
        activity_id: start.activityId,
        timer_type: start.timerType,
        timer_expression: start.expression,
        repetitions_left: schedule.repetitions,
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
