/** Camunda's duration reports: shortest, longest and average duration per month or quarter (UTC) of a timestamp. */
import type { Knex } from 'knex';
import type { Db } from './database.js';

export type PeriodUnit = 'MONTH' | 'QUARTER';

export interface DurationReportRow {
  period: string | number;
  minimum: string | number;
  maximum: string | number;
  average: string | number;
}

/**
 * Aggregates the `duration_in_millis` of the rows `finished` selects, grouped by the period of `timeColumn`.
 * Camunda reads its AVG into a long, which its H2 rounds half up; `round` on numeric does the same.
 */
export async function durationReport(db: Db, finished: Knex.QueryBuilder, timeColumn: string, unit: PeriodUnit): Promise<DurationReportRow[]> {
  const periods = finished.select(db.raw("date_part(?, ?? at time zone 'UTC')::int as period", [unit.toLowerCase(), timeColumn]), 'duration_in_millis');
  return db.from(periods.as('r'))
    .select('period')
    .min({ minimum: 'duration_in_millis' })
    .max({ maximum: 'duration_in_millis' })
    .select(db.raw('round(avg(duration_in_millis))::bigint as average'))
    .groupBy('period')
    .orderBy('period') as unknown as Promise<DurationReportRow[]>;
}
