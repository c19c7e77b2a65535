/** The functions Camunda registers for JUEL (`now()`, `dateTime()`, `S()`) and the wrapper values they return. */
import type { Clock } from '../core/clock.js';
import { EL_METHODS, type Arity, type ElObject } from './el-object.js';
import { ElEvaluationError } from './expression-error.js';
import { coerceToInteger, describe, typeName } from './juel-coercions.js';
import { SpinJsonNode } from './spin-json-node.js';

const MILLIS_PER_SECOND = 1000;
const MILLIS_PER_MINUTE = 60 * MILLIS_PER_SECOND;
const MILLIS_PER_HOUR = 60 * MILLIS_PER_MINUTE;
const MILLIS_PER_DAY = 24 * MILLIS_PER_HOUR;

const DATE_TIME_METHODS: ReadonlyMap<string, Arity> = new Map<string, Arity>([
  ...['Years', 'Months', 'Weeks', 'Days', 'Hours', 'Minutes', 'Seconds', 'Millis'].flatMap((unit): [string, Arity][] => [
    [`plus${unit}`, 1],
    [`minus${unit}`, 1],
  ]),
  ['toDate', 0],
  ['toString', 0],
  ['getMillis', 0],
  ['getYear', 0],
  ['getMonthOfYear', 0],
  ['getDayOfMonth', 0],
  ['getDayOfWeek', 0],
  ['getHourOfDay', 0],
  ['getMinuteOfHour', 0],
  ['getSecondOfMinute', 0],
  ['withTimeAtStartOfDay', 0],
  ['isBefore', 1],
  ['isAfter', 1],
  ['isEqual', 1],
  ['equals', 1],
  ['compareTo', 1],
]);

/**
 * An immutable instant in UTC with Joda-Time's DateTime API, as Camunda's `dateTime()` returns.
 * Month and year arithmetic clamps to the end of shorter months, as Joda does (Jan 31 + 1 month = Feb 28/29).
 */
export class JodaDateTime implements ElObject {
  readonly [EL_METHODS] = DATE_TIME_METHODS;
  readonly elTypeName = 'org.joda.time.DateTime';

  constructor(private readonly millis: number) {
    if (!Number.isFinite(millis)) throw new ElEvaluationError(`Invalid instant: ${millis}`);
  }

  static fromDate(date: Date): JodaDateTime {
    return new JodaDateTime(date.getTime());
  }

  plusYears(n: unknown): JodaDateTime {
    return this.withMonthsAdded(12 * coerceToInteger(n));
  }
  plusMonths(n: unknown): JodaDateTime {
    return this.withMonthsAdded(coerceToInteger(n));
  }
  plusWeeks(n: unknown): JodaDateTime {
    return this.withMillisAdded(7 * MILLIS_PER_DAY * coerceToInteger(n));
  }
  plusDays(n: unknown): JodaDateTime {
    return this.withMillisAdded(MILLIS_PER_DAY * coerceToInteger(n));
  }
  plusHours(n: unknown): JodaDateTime {
    return this.withMillisAdded(MILLIS_PER_HOUR * coerceToInteger(n));
  }
  plusMinutes(n: unknown): JodaDateTime {
    return this.withMillisAdded(MILLIS_PER_MINUTE * coerceToInteger(n));
  }
  plusSeconds(n: unknown): JodaDateTime {
    return this.withMillisAdded(MILLIS_PER_SECOND * coerceToInteger(n));
  }
  plusMillis(n: unknown): JodaDateTime {
    return this.withMillisAdded(coerceToInteger(n));
  }
  minusYears(n: unknown): JodaDateTime {
    return this.withMonthsAdded(-12 * coerceToInteger(n));
  }
  minusMonths(n: unknown): JodaDateTime {
    return this.withMonthsAdded(-coerceToInteger(n));
  }
  minusWeeks(n: unknown): JodaDateTime {
    return this.withMillisAdded(-7 * MILLIS_PER_DAY * coerceToInteger(n));
  }
  minusDays(n: unknown): JodaDateTime {
    return this.withMillisAdded(-MILLIS_PER_DAY * coerceToInteger(n));
  }
  minusHours(n: unknown): JodaDateTime {
    return this.withMillisAdded(-MILLIS_PER_HOUR * coerceToInteger(n));
  }
  minusMinutes(n: unknown): JodaDateTime {
    return this.withMillisAdded(-MILLIS_PER_MINUTE * coerceToInteger(n));
  }
  minusSeconds(n: unknown): JodaDateTime {
    return this.withMillisAdded(-MILLIS_PER_SECOND * coerceToInteger(n));
  }
  minusMillis(n: unknown): JodaDateTime {
    return this.withMillisAdded(-coerceToInteger(n));
  }

  withTimeAtStartOfDay(): JodaDateTime {
    return new JodaDateTime(this.millis - (((this.millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY));
  }

  toDate(): Date {
    return new Date(this.millis);
  }
  getMillis(): number {
    return this.millis;
  }
  getYear(): number {
    return this.toDate().getUTCFullYear();
  }
  getMonthOfYear(): number {
    return this.toDate().getUTCMonth() + 1;
  }
  getDayOfMonth(): number {
    return this.toDate().getUTCDate();
  }
  /** ISO numbering, as Joda: Monday is 1, Sunday is 7. */
  getDayOfWeek(): number {
    return this.toDate().getUTCDay() || 7;
  }
  getHourOfDay(): number {
    return this.toDate().getUTCHours();
  }
  getMinuteOfHour(): number {
    return this.toDate().getUTCMinutes();
  }
  getSecondOfMinute(): number {
    return this.toDate().getUTCSeconds();
  }

  isBefore(other: unknown): boolean {
    return this.millis < instantOf(other);
  }
  isAfter(other: unknown): boolean {
    return this.millis > instantOf(other);
  }
  isEqual(other: unknown): boolean {
    return this.millis === instantOf(other);
  }
  equals(other: unknown): boolean {
    return other instanceof JodaDateTime && other.millis === this.millis;
  }
  compareTo(other: unknown): number {
    return Math.sign(this.millis - instantOf(other));
  }

  /** ISO-8601 with milliseconds in UTC, as Joda prints a UTC DateTime. */
  toString(): string {
    return this.toDate().toISOString();
  }

  private withMillisAdded(delta: number): JodaDateTime {
    return new JodaDateTime(this.millis + delta);
  }

  private withMonthsAdded(months: number): JodaDateTime {
    const date = this.toDate();
    const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
    const result = new Date(this.millis);
    // setUTCFullYear rather than Date.UTC, which would map years 0–99 onto the 1900s.
    result.setUTCFullYear(year, month, day);
    return new JodaDateTime(result.getTime());
  }
}

function daysInMonth(year: number, month: number): number {
  const probe = new Date(0);
  probe.setUTCFullYear(year, month + 1, 0);
  return probe.getUTCDate();
}

function instantOf(value: unknown): number {
  if (value instanceof JodaDateTime) return value.getMillis();
  if (value instanceof Date) return value.getTime();
  throw new ElEvaluationError(`Expected a date or DateTime, got '${describe(value)}' of ${typeName(value)}`);
}

export interface BuiltinFunction {
  readonly arity: Arity;
  call(args: readonly unknown[], clock: Clock): unknown;
}

/** Functions callable without a prefix, as Camunda's function mapper provides them. */
export const JUEL_BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  ['now', { arity: 0, call: (_args, clock) => new Date(clock.now().getTime()) }],
  ['dateTime', { arity: 0, call: (_args, clock) => JodaDateTime.fromDate(clock.now()) }],
  ['S', { arity: 1, call: (args) => SpinJsonNode.of(args[0]) }],
  // Spin's JSON() is S() restricted to JSON, the only format supported here.
  ['JSON', { arity: 1, call: (args) => SpinJsonNode.of(args[0]) }],
]);
