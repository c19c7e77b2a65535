/**
 * When a BPMN timer is due: ISO 8601 dates, durations and repeating intervals, and Quartz cron expressions, with months
 * and years counted as calendar units in a time zone. Pure arithmetic on a given instant; callers pass the clock's now.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, Duration } from 'luxon';

export type TimerType = 'timeDate' | 'timeDuration' | 'timeCycle';

export const TIMER_TYPES: readonly TimerType[] = ['timeDate', 'timeDuration', 'timeCycle'];

/** A timer definition that cannot be read; the message says what is wrong, for a parse problem or an incident. */
export class TimerDefinitionError extends Error {}

export interface TimerSchedule {
  readonly type: TimerType;
  readonly expression: string;
  /** How often a cycle fires in all (`R3/…` fires 3 times); null when it repeats forever; 1 for dates and durations. */
  readonly repetitions: number | null;
  /** The first due time after `after` (a date in the past is due at once: it returns the date itself). */
  dueAfter(after: Date): Date | null;
}

/** `${…}` or `#{…}`: resolved at runtime, so only checked once it has a value. */
export function isTimerExpression(text: string): boolean {
  return /[$#]\{/.test(text);
}

/** The ISO or cron text of a timer definition as a schedule in `zone` (an IANA name, or 'system'). */
export function parseTimerSchedule(type: TimerType, expression: string, zone = 'system'): TimerSchedule {
  const text = expression.trim();
  if (text === '') throw new TimerDefinitionError(`the ${type} is empty`);
  if (type === 'timeDate') {
    const date = parseDate(text, zone);
    return { type, expression: text, repetitions: 1, dueAfter: () => date };
  }
  if (type === 'timeDuration') {
    const duration = parseDuration(text);
    return { type, expression: text, repetitions: 1, dueAfter: (after) => plus(after, duration, zone) };
  }
  return /^R/i.test(text) ? repeatingInterval(text, zone) : cronSchedule(text, zone);
}

function parseDate(text: string, zone: string): Date {
  const date = DateTime.fromISO(text, { zone });
  if (!date.isValid) throw new TimerDefinitionError(`'${text}' is no ISO 8601 date (e.g. 2026-12-24T10:00:00 or 2026-12-24T10:00:00Z)`);
  return date.toJSDate();
}

function parseDuration(text: string): Duration {
  const duration = Duration.fromISO(text);
  if (!duration.isValid) throw new TimerDefinitionError(`'${text}' is no ISO 8601 duration (e.g. PT5M, P1DT2H, P1M)`);
  if (duration.toMillis() < 0) throw new TimerDefinitionError(`'${text}' is a negative duration`);
  return duration;
}

function plus(instant: Date, duration: Duration, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone }).plus(duration).toJSDate();
}

/** `R[n]/<duration>`, `R[n]/<start>/<duration>` or `R[n]/<duration>/<end>`, as Camunda reads them. */
function repeatingInterval(text: string, zone: string): TimerSchedule {
  const [repeat, ...parts] = text.split('/');
  const count = repeat!.slice(1);
  if (!/^\d*$/.test(count) || parts.length < 1 || parts.length > 2) throw new TimerDefinitionError(`'${text}' is no ISO 8601 repeating interval (e.g. R3/PT10M or R/2026-01-01T08:00:00/P1D)`);
  const repetitions = count === '' || Number(count) < 0 ? null : Number(count);
  const periodFirst = /^P/i.test(parts[0]!);
  const period = parseDuration(periodFirst ? parts[0]! : parts[1] ?? '');
  if (period.toMillis() === 0) throw new TimerDefinitionError(`'${text}' repeats every zero seconds`);
  const start = !periodFirst ? parseDate(parts[0]!, zone) : null;
  const end = periodFirst && parts[1] !== undefined ? parseDate(parts[1], zone) : null;
  return {
    type: 'timeCycle',
    expression: text,
    repetitions,
    dueAfter(after) {
      // Without a start, a period after each fire (or the arming); with one, the fires are start + k × period.
      if (!start) {
        const due = plus(after, period, zone);
        return end && due.getTime() > end.getTime() ? null : due;
      }
      const occurrence = (k: number) => DateTime.fromJSDate(start, { zone }).plus(period.mapUnits((x) => x * k)).toJSDate();
      // Jump close to `after` first: a start years ago with a period of seconds must not be walked one fire at a time.
      let k = Math.max(0, Math.floor((after.getTime() - start.getTime()) / period.toMillis()) - 2);
      while (occurrence(k).getTime() <= after.getTime()) k++;
      return repetitions !== null && k >= repetitions ? null : occurrence(k);
    },
  };
}

const QUARTZ_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Quartz cron: seconds, minutes, hours, day of month, month, day of week (1 = Sunday, or SUN–SAT), optional year.
 * cron-parser counts weekdays from 0 = Sunday, so numbers are read as Quartz's and passed on as names.
 */
function cronSchedule(text: string, zone: string): TimerSchedule {
  const fields = text.split(/\s+/);
  if (fields.length < 6 || fields.length > 7) throw new TimerDefinitionError(`'${text}' is neither an ISO 8601 repeating interval (R3/PT10M) nor a Quartz cron expression with 6 or 7 fields (0 0/5 * * * ?)`);
  if (fields.length === 7 && fields[6] !== '*' && fields[6] !== '?') throw new TimerDefinitionError(`'${text}' restricts the year, which this engine does not support; use * for the year`);
  if (/W/i.test(fields[3]!.replace(/^L$/i, ''))) throw new TimerDefinitionError(`'${text}' uses W (nearest weekday), which this engine does not support`);
  const weekday = fields[5]!.replace(/\d+/g, (match, offset: number, whole: string) => {
    // The number after # is the week of the month, not a day.
    if (whole[offset - 1] === '#') return match;
    const day = Number(match);
    if (day < 1 || day > 7) throw new TimerDefinitionError(`'${text}' has day of week ${match}; Quartz counts 1 (Sunday) to 7 (Saturday)`);
    return QUARTZ_DAYS[day - 1]!;
  });
  const expression = [...fields.slice(0, 5), weekday].join(' ');
  const options = (after: Date) => ({ currentDate: after, ...(zone === 'system' ? {} : { tz: zone }) });
  try {
    CronExpressionParser.parse(expression, options(new Date(0)));
  } catch (error) {
    throw new TimerDefinitionError(`'${text}' is no valid Quartz cron expression: ${(error as Error).message}`);
  }
  return {
    type: 'timeCycle',
    expression: text,
    repetitions: null,
    dueAfter: (after) => CronExpressionParser.parse(expression, options(after)).next().toDate(),
  };
}
