/**
 * Job definitions, as Camunda creates them at deployment: one per timer event and per async continuation of a
 * process. Their ids are derived from what they define, so a job names its definition without a lookup.
 */
import { InvalidRequestError } from '../core/errors.js';
import { nameBasedId } from '../core/ids.js';
import { TIMER_TYPES, type TimerType } from '../core/timer-schedule.js';
import { asyncContinuationOf } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { findJobDefinition, insertJobDefinitions, jobDefinitionQuery, type JobDefinitionFilter, type JobDefinitionRow } from '../persistence/job-definition-repository.js';
import type { ListOptions } from '../persistence/query-options.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { processModelOf } from './instance-advancer.js';
import type { ServiceContext } from './service-context.js';

export type JobKind = 'timer' | 'async-before' | 'async-after';

/** The id of the job definition of `kind` for `activityId` of a process definition. */
export function jobDefinitionId(processDefinitionId: string, activityId: string, kind: JobKind): string {
  return nameBasedId('job-definition', processDefinitionId, activityId, kind);
}

interface SerializedActivity {
  id: string;
  type: string;
  parent?: { id?: string; type?: string };
  behaviour?: { eventDefinitions?: Array<{ type: string; behaviour?: Record<string, unknown> }>; [key: string]: unknown };
}

/** A timer event of a process: where it is, its one definition (checked at parse), and what kind of job fires it. */
export interface TimerEvent {
  activityId: string;
  jobType: 'timer-start-event' | 'timer-intermediate-transition' | 'timer-transition';
  timerType: TimerType;
  expression: string;
  behaviour: Record<string, unknown>;
}

function activitiesOf(ctx: ServiceContext, definition: ProcessDefinitionRow): SerializedActivity[] {
  return (ctx.cache.get(processModelOf({ definition })) as unknown as { getActivities(): SerializedActivity[] }).getActivities();
}

/** The timer events of a definition's process, sub-processes included. */
export function timerEventsOf(ctx: ServiceContext, definition: ProcessDefinitionRow): TimerEvent[] {
  return activitiesOf(ctx, definition).flatMap((activity) => {
    const timer = activity.behaviour?.eventDefinitions?.find((eventDefinition) => eventDefinition.type === 'bpmn:TimerEventDefinition');
    const timerType = TIMER_TYPES.find((type) => timer?.behaviour?.[type] !== undefined);
    if (!timer || !timerType) return [];
    const value = timer.behaviour![timerType];
    const expression = typeof value === 'object' && value !== null && 'body' in value ? String((value as { body: unknown }).body) : String(value);
    const jobType = activity.type === 'bpmn:StartEvent' ? 'timer-start-event' : activity.type === 'bpmn:BoundaryEvent' ? 'timer-transition' : 'timer-intermediate-transition';
    return [{ activityId: activity.id, jobType, timerType, expression, behaviour: activity.behaviour as Record<string, unknown> }];
  });
}

const CAMUNDA_TIMER_NAMES: Record<TimerType, string> = { timeDate: 'DATE', timeDuration: 'DURATION', timeCycle: 'CYCLE' };

/** Creates the job definitions of freshly deployed process definitions. */
export async function createJobDefinitions(ctx: ServiceContext, db: Db, definitions: readonly ProcessDefinitionRow[]): Promise<void> {
  const rows: JobDefinitionRow[] = [];
  for (const definition of definitions) {
    const row = (activityId: string, kind: JobKind, jobType: string, configuration: string): JobDefinitionRow => ({
      id: jobDefinitionId(definition.id, activityId, kind),
      process_definition_id: definition.id,
      process_definition_key: definition.key,
      activity_id: activityId,
      job_type: jobType,
      job_configuration: configuration,
      overriding_job_priority: null,
      suspended: false,
      tenant_id: definition.tenant_id,
      deployment_id: definition.deployment_id,
    });
    for (const timer of timerEventsOf(ctx, definition)) rows.push(row(timer.activityId, 'timer', timer.jobType, `${CAMUNDA_TIMER_NAMES[timer.timerType]}: ${timer.expression}`));
    for (const activity of activitiesOf(ctx, definition)) {
      const continuation = asyncContinuationOf(activity.id);
      if (!continuation) continue;
      const kind = `async-${continuation.side}` as const;
      rows.push(row(continuation.activityId, kind, 'async-continuation', kind));
    }
  }
  await insertJobDefinitions(db, rows);
}

export function listJobDefinitions(ctx: ServiceContext, filter: JobDefinitionFilter, options: ListOptions): Promise<JobDefinitionRow[]> {
  return jobDefinitionQuery.list(ctx.database.knex, filter, options);
}

export function countJobDefinitions(ctx: ServiceContext, filter: JobDefinitionFilter): Promise<number> {
  return jobDefinitionQuery.count(ctx.database.knex, filter);
}

export async function getJobDefinition(ctx: ServiceContext, id: string): Promise<JobDefinitionRow> {
  const row = await findJobDefinition(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Job Definition with id ${id} does not exist`);
  return row;
}

export type { JobDefinitionFilter, JobDefinitionRow };
