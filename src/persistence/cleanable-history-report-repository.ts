/**
 * Camunda's cleanable history reports: per process (decision) definition, its finished instances (evaluations) and
 * how many of them are past their removal time, that is, what a history cleanup would remove now.
 */
import type { Db } from './database.js';
import { pagedQuery } from './query-options.js';

export interface CleanableReportRow {
  id: string;
  key: string;
  name: string | null;
  version: number;
  history_time_to_live: number | null;
  tenant_id: string | null;
  finished: string | number;
  cleanable: string | number;
}

export interface CleanableReportFilter {
  /** The time the report is made at: history whose removal time has passed is cleanable. */
  now: Date;
  definitionIdIn?: string[];
  definitionKeyIn?: string[];
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  /** Only definitions with finished history. */
  compact?: boolean;
}

/** The report over `definitions`, counting `history` rows by `definition_column`; `finishedOnly` narrows them to ended ones. */
function reportOf(definitions: string, history: string, definitionColumn: string, finishedOnly: string) {
  return (db: Db, filter: CleanableReportFilter) => {
    const ofDefinition = () => db(`${history} as h`).whereRaw(`h.${definitionColumn} = d.id ${finishedOnly}`);
    const report = db(`${definitions} as d`).select('d.id', 'd.key', 'd.name', 'd.version', 'd.history_time_to_live', 'd.tenant_id', {
      finished: ofDefinition().count('*'),
      cleanable: ofDefinition().where('h.removal_time', '<=', filter.now).count('*'),
    });
    if (filter.definitionIdIn) report.whereIn('d.id', filter.definitionIdIn);
    if (filter.definitionKeyIn) report.whereIn('d.key', filter.definitionKeyIn);
    if (filter.tenantIdIn) report.whereIn('d.tenant_id', filter.tenantIdIn);
    if (filter.withoutTenantId) report.whereNull('d.tenant_id');
    const query = db.from(report.as('report'));
    if (filter.compact) query.where('finished', '>', 0);
    return query;
  };
}

const SORT_COLUMNS: Record<string, string> = { finished: 'finished' };

export const cleanableProcessInstanceReport = pagedQuery<CleanableReportFilter, CleanableReportRow>({
  filtered: reportOf('process_definition', 'hist_process_instance', 'process_definition_id', 'and h.end_time is not null'),
  columns: '*',
  sortColumns: SORT_COLUMNS,
  tieBreaker: 'id',
});

export const cleanableDecisionInstanceReport = pagedQuery<CleanableReportFilter, CleanableReportRow>({
  filtered: reportOf('decision_definition', 'hist_decision_instance', 'decision_definition_id', ''),
  columns: '*',
  sortColumns: SORT_COLUMNS,
  tieBreaker: 'id',
});
