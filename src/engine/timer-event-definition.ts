/**
 * Timer event definitions that never fire by themselves: bpmn-elements computes due times from the real clock, so a
 * timer only announces its (resolved) definition, and the server's job fires it with `cancelActivity` when its due
 * time, computed with the injected clock, has come (DESIGN §4).
 */
import * as Elements from 'bpmn-elements';
import { TIMER_TYPES, type TimerType } from '../core/timer-schedule.js';
import { TIMER_CYCLE_REPEATS_SETTING } from './event-sub-processes.js';

/** Larger than any delay, so that a resumed timer is never overdue in bpmn-elements' eyes (0 or less fires it). */
const NEVER = 2 ** 31 - 1;

interface ExecuteMessage {
  content: Record<string, unknown> & { inbound?: Array<{ repeat?: number }> };
}

interface StockTimer {
  activity?: { type?: string; parent?: { id?: string } };
  environment: { settings?: Record<string, unknown>; resolveExpression(expression: unknown, message: ExecuteMessage): unknown };
}

/** What `activity.timer` announces: the definition's resolved text per type, the type that applies, fires left. */
export interface AnnouncedTimer {
  timerType: TimerType;
  expression: string;
  /** For a cycle, the fires left including this one, as bpmn-elements counts them (-1: forever). */
  repeat?: number;
}

/** The timer an `activity.timer` event's content announces (see `_getTimers`), if it has a definition. */
export function announcedTimer(content: Record<string, unknown>): AnnouncedTimer | undefined {
  const timerType = content.timerType as TimerType | undefined;
  if (!timerType) return undefined;
  return { timerType, expression: String(content[timerType] ?? ''), ...(typeof content.repeat === 'number' ? { repeat: content.repeat } : {}) };
}

const StockTimerEventDefinition = Elements.TimerEventDefinition as unknown as new (activity: unknown, eventDefinition: unknown) => StockTimer;

/** `R3/…` fires 3 times, `R/…` and cron expressions forever (-1, as bpmn-elements counts). */
function repeatOf(cycle: string): number {
  const count = /^R(\d*)\//i.exec(cycle.trim());
  return count && count[1] !== '' ? Number(count[1]) : -1;
}

function asText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value ?? '');
}

export class ServerTimerEventDefinition extends StockTimerEventDefinition {
  _getTimers(executeMessage: ExecuteMessage): Record<string, unknown> {
    const content = executeMessage.content;
    const resolved: Partial<Record<TimerType, string>> = {};
    for (const type of TIMER_TYPES) {
      if (type in content) resolved[type] = asText(content[type]);
      else if (type in this) resolved[type] = asText(this.environment.resolveExpression((this as unknown as Record<string, unknown>)[type], executeMessage));
    }
    const timerType = TIMER_TYPES.find((type) => resolved[type] !== undefined);
    const result: Record<string, unknown> = { ...resolved, timerType, timeout: NEVER };
    const inbound = content.inbound?.[0];
    // A non-interrupting event sub-process's timer cycle goes on where its previous arming left off.
    const left = this.activity?.type === 'bpmn:StartEvent' ? (this.environment.settings?.[TIMER_CYCLE_REPEATS_SETTING] as Record<string, number> | undefined)?.[this.activity.parent?.id ?? ''] : undefined;
    if (inbound && 'repeat' in inbound) result.repeat = inbound.repeat;
    else if (timerType === 'timeCycle' && typeof left === 'number') result.repeat = left;
    else if (timerType === 'timeCycle') result.repeat = repeatOf(resolved.timeCycle!);
    return result;
  }
}
