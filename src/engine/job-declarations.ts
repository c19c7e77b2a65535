/**
 * What a process declares for jobs, read once at deployment as Camunda's job declarations are: each timer event and
 * each async continuation, with the job type and configuration Camunda shows on their job definitions.
 */
import { TIMER_TYPES, type TimerType } from '../core/timer-schedule.js';
import { waitsAfter, waitsBefore, type ModdleElement } from './async-continuations.js';
import { failedJobRetryTimeCycleOf } from './failed-job-retry-time-cycle.js';

export type JobKind = 'timer' | 'async-before' | 'async-after';

export interface JobDeclaration {
  activityId: string;
  kind: JobKind;
  jobType: 'timer-start-event' | 'timer-start-event-subprocess' | 'timer-intermediate-transition' | 'timer-transition' | 'async-continuation';
  /** Camunda's job configuration: `DURATION: PT5M`, `CYCLE: R3/PT10M`, `async-before`. */
  configuration: string;
  /** A timer's one definition (checked at parse). */
  timer?: { timerType: TimerType; expression: string };
  /** `camunda:failedJobRetryTimeCycle` of the element. */
  retryTimeCycle: string | null;
}

const CAMUNDA_TIMER_NAMES: Record<TimerType, string> = { timeDate: 'DATE', timeDuration: 'DURATION', timeCycle: 'CYCLE' };

function timerJobType(element: ModdleElement): JobDeclaration['jobType'] {
  // An event sub-process's timer start event is armed with its scope, not at deployment.
  if (element.$type === 'bpmn:StartEvent') return (element.$parent as ModdleElement | undefined)?.triggeredByEvent ? 'timer-start-event-subprocess' : 'timer-start-event';
  return element.$type === 'bpmn:BoundaryEvent' ? 'timer-transition' : 'timer-intermediate-transition';
}

/** The job declarations of a process, sub-processes included. */
export function jobDeclarationsOf(scope: ModdleElement): JobDeclaration[] {
  const declarations: JobDeclaration[] = [];
  for (const element of scope.flowElements ?? []) {
    if (element.flowElements) declarations.push(...jobDeclarationsOf(element));
    if (!element.id) continue;
    const retryTimeCycle = failedJobRetryTimeCycleOf(element);
    const timer = ((element.eventDefinitions as ModdleElement[] | undefined) ?? []).find((definition) => definition.$type === 'bpmn:TimerEventDefinition');
    const timerType = TIMER_TYPES.find((type) => timer?.[type] !== undefined);
    if (timer && timerType) {
      const expression = String((timer[timerType] as { body?: unknown }).body ?? '');
      declarations.push({ activityId: element.id, kind: 'timer', jobType: timerJobType(element), configuration: `${CAMUNDA_TIMER_NAMES[timerType]}: ${expression}`, timer: { timerType, expression }, retryTimeCycle });
    }
    for (const kind of [waitsBefore(element) ? 'async-before' : null, waitsAfter(element) ? 'async-after' : null] as const) {
      if (kind) declarations.push({ activityId: element.id, kind, jobType: 'async-continuation', configuration: kind, retryTimeCycle });
    }
  }
  return declarations;
}
