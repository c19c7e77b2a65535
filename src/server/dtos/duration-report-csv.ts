/** Camunda's CSV form of a duration report: a header line, then one line per period, separated by bare newlines. */

export interface DurationReportLine {
  period: number;
  periodUnit: string;
  minimum: number;
  maximum: number;
  average: number;
}

export function durationReportCsv(report: DurationReportLine[]): string {
  const lines = report.map((row) => [row.period, row.periodUnit, row.minimum, row.maximum, row.average].join(','));
  return ['PERIOD,PERIOD_UNIT,MINIMUM,MAXIMUM,AVERAGE', ...lines].join('\n');
}
