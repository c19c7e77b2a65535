/** Camunda's REST date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ): written in UTC, read in Camunda's form and in ISO 8601. */
import { InvalidRequestError } from './errors.js';

// One pattern covers both forms: Camunda's `+hhmm` offset and ISO's `Z`/`+hh:mm`/`+hh`, with or without a fraction.
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`; always UTC so the output does not depend on the server's time zone. */
export function formatCamundaDate(d: Date): string {
  const time = d.getTime();
  if (Number.isNaN(time)) throw new RangeError('Cannot format an invalid Date');
  const year = d.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
  return `${yearText}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; setUTCFullYear keeps years < 100 literal.
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function invalid(s: string): InvalidRequestError {
  return new InvalidRequestError(400, `Cannot parse date '${s}': expected yyyy-MM-dd'T'HH:mm:ss.SSSZ or ISO 8601`);
}

/**
 * Parses Camunda's format and ISO 8601. A missing offset means UTC (never the server's zone, so results are deterministic);
 * fraction digits are a decimal fraction, truncated to milliseconds. Rejects out-of-range fields instead of rolling them over.
 */
export function parseCamundaDate(s: string): Date {
  const m = DATE_PATTERN.exec(s);
  if (!m) throw invalid(s);
  const [, y, mo, d, h, mi, sec, fraction, offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw invalid(s);
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (offset !== undefined && offset !== 'Z') {
    const digits = offset.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMins > 59) throw invalid(s);
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const result = new Date(0);
  result.setUTCFullYear(year, month - 1, day);
  result.setUTCHours(hour, minute, second, millis);
  return new Date(result.getTime() - offsetMinutes * 60_000);
}
