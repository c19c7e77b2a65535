/** Single reads of history and incidents by id, with Camunda's 404s, and the deletion of history. */
import { InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import {
  deleteHistoricVariableInstance,
  deleteHistoricVariablesOfInstance,
  deleteHistoryOfInstance,
  findHistoricContentHeader,
  findHistoricProcessInstance,
  historicActivityInstanceQuery,
  historicProcessInstanceQuery,
  historicVariableInstanceQuery,
  processInstanceDurationReport,
  type HistoricActivityInstanceRow,
  type HistoricProcessInstanceFilter,
  type HistoricProcessInstanceRow,
  type HistoricVariableInstanceRow,
} from '../persistence/history-repository.js';
import { findHistoricDetail, type HistoricDetailRow } from '../persistence/historic-detail-repository.js';
import { findExternalTaskLog, type ExternalTaskLogRow } from '../persistence/external-task-log-repository.js';
import { findJobLog, type JobLogRow } from '../persistence/job-log-repository.js';
import { historicActivityStatistics, type HistoricActivityStatisticsQuery } from '../persistence/historic-activity-statistics-repository.js';
import { decisionEvaluationStatistics, historicDecisionInstanceQuery, type HistoricDecisionInstanceRow } from '../persistence/historic-decision-repository.js';
import { findIncident, type IncidentRow } from '../persistence/incident-repository.js';
import { taskCountReport, taskDurationReport } from '../persistence/historic-task-repository.js';
import type { DurationReportRow, PeriodUnit } from '../persistence/duration-report.js';
import { storedValueOf } from '../persistence/variable-repository.js';
import type { ServiceContext } from './service-context.js';
import { contentDataOf, type VariableData } from './variable-data.js';
import type { WithRootInstance } from '../persistence/root-instance-column.js';

export async function getHistoricProcessInstance(ctx: ServiceContext, id: string): Promise<HistoricProcessInstanceRow> {
  const row = await findHistoricProcessInstance(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Historic process instance with id ${id} does not exist`);
  return row;
}

export async function getIncident(ctx: ServiceContext, id: string): Promise<IncidentRow> {
  const row = await findIncident(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `No matching incident with id ${id}`);
  return row;
}

export async function getHistoricActivityInstance(ctx: ServiceContext, id: string): Promise<WithRootInstance<HistoricActivityInstanceRow>> {
  const [row] = await historicActivityInstanceQuery.list(ctx.database.knex, { activityInstanceId: id }, {});
  if (!row) throw new InvalidRequestError(404, `Historic activity instance with id '${id}' does not exist`);
  return row;
}

/** A variable's history (a deleted one too, as Camunda's single read does not filter by state). */
export async function getHistoricVariableInstance(ctx: ServiceContext, id: string): Promise<WithRootInstance<HistoricVariableInstanceRow>> {
  const [row] = await historicVariableInstanceQuery.list(ctx.database.knex, { variableInstanceId: id, includeDeleted: true }, {});
  if (!row) throw new InvalidRequestError(404, `Historic variable instance with Id '${id}' does not exist.`);
  return row;
}

export async function getHistoricDecisionInstance(ctx: ServiceContext, id: string): Promise<WithRootInstance<HistoricDecisionInstanceRow>> {
  const [row] = await historicDecisionInstanceQuery.list(ctx.database.knex, { decisionInstanceId: id }, {});
  if (!row) throw new InvalidRequestError(404, `Historic decision instance with id '${id}' does not exist`);
  return row;
}

export async function getHistoricDetail(ctx: ServiceContext, id: string): Promise<WithRootInstance<HistoricDetailRow>> {
  const row = await findHistoricDetail(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Historic detail with Id '${id}' does not exist.`);
  return row;
}

/** A historic variable's binary content for `…/data`, read in pieces. */
export async function getHistoricVariableData(ctx: ServiceContext, id: string): Promise<VariableData> {
  const header = await findHistoricContentHeader(ctx.database.knex, 'hist_variable_instance', id);
  if (!header) throw new InvalidRequestError(404, `Historic variable instance with Id '${id}' does not exist.`);
  return contentDataOf(ctx.database.knex, { table: 'hist_variable_instance', id, name: header.name, value: storedValueOf(header), length: header.content_length ?? 0 });
}

/** A variable update's binary content for `…/data`, read in pieces; a form field has none. */
export async function getHistoricDetailData(ctx: ServiceContext, id: string): Promise<VariableData> {
  const header = await findHistoricContentHeader(ctx.database.knex, 'hist_detail', id);
  if (!header) throw new InvalidRequestError(404, `Historic detail with Id '${id}' does not exist.`);
  if (header.kind !== 'variableUpdate') throw new InvalidRequestError(400, `Historic detail with Id '${id}' is not a variable update.`);
  return contentDataOf(ctx.database.knex, { table: 'hist_detail', id, name: header.name, value: storedValueOf(header), length: header.content_length ?? 0 });
}

/** A log entry; asked for its error details, a missing one gets the engine's message (Camunda asks the engine for them). */
export async function getExternalTaskLog(ctx: ServiceContext, id: string, part: 'entry' | 'errorDetails' = 'entry'): Promise<WithRootInstance<ExternalTaskLogRow>> {
  const row = await findExternalTaskLog(ctx.database.knex, id);
  if (!row && part === 'errorDetails') throw new InvalidRequestError(404, `No historic external task log found with id ${id}: historicExternalTaskLog is null`);
  if (!row) throw new InvalidRequestError(404, `Historic external task log with id ${id} does not exist`);
  return row;
}

/** A job log entry; asked for its stacktrace, a missing one gets the engine's message (Camunda asks the engine for it). */
export async function getJobLog(ctx: ServiceContext, id: string, part: 'entry' | 'stacktrace' = 'entry'): Promise<WithRootInstance<JobLogRow>> {
  const row = await findJobLog(ctx.database.knex, id);
  if (!row && part === 'stacktrace') throw new InvalidRequestError(404, `No historic job log found with id ${id}: historicJobLog is null`);
  if (!row) throw new InvalidRequestError(404, `Historic job log with id ${id} does not exist`);
  return row;
}

export interface ActivityStatistics {
  id: string;
  instances: number;
  canceled: number;
  finished: number;
  completeScope: number;
  openIncidents: number;
  resolvedIncidents: number;
  deletedIncidents: number;
}

/**
 * Camunda's historic activity statistics: the running instances of each activity, and what `include` asks for besides
 * (counts not asked for are 0); an activity shows when one of the counts asked for is not.
 */
export async function getHistoricActivityStatistics(
  ctx: ServiceContext,
  query: HistoricActivityStatisticsQuery,
  include: { canceled: boolean; finished: boolean; completeScope: boolean; incidents: boolean },
): Promise<ActivityStatistics[]> {
  const rows = await historicActivityStatistics(ctx.database.knex, query);
  const counted = rows.map((row) => ({
    id: row.activity_id,
    instances: Number(row.instances),
    canceled: include.canceled ? Number(row.canceled) : 0,
    finished: include.finished ? Number(row.finished) : 0,
    completeScope: include.completeScope ? Number(row.complete_scope) : 0,
    openIncidents: include.incidents ? Number(row.open_incidents) : 0,
    resolvedIncidents: include.incidents ? Number(row.resolved_incidents) : 0,
    deletedIncidents: include.incidents ? Number(row.deleted_incidents) : 0,
  }));
  return counted.filter((row) => row.instances + row.canceled + row.finished + row.completeScope + row.openIncidents + row.resolvedIncidents + row.deletedIncidents > 0);
}

/** Camunda's HistoricDecisionInstanceStatistics of a decision requirements definition: evaluations per decision. */
export async function getDecisionRequirementsStatistics(ctx: ServiceContext, id: string, rootDecisionInstanceId?: string): Promise<Array<{ decisionDefinitionKey: string; evaluations: number }>> {
  const rows = await decisionEvaluationStatistics(ctx.database.knex, id, rootDecisionInstanceId);
  return rows.map((row) => ({ decisionDefinitionKey: row.decision_definition_key, evaluations: Number(row.evaluations) }));
}

/** The raw query parameters of Camunda's duration reports; they are checked here as Camunda's report DTOs do. */
export interface ReportRequest {
  reportType?: string;
  periodUnit?: string;
}

const REPORT_TYPES = ['duration', 'count'];

/** Camunda rejects an unknown report type or period unit while it reads the query parameters, before anything else. */
function checkReportParameters(request: ReportRequest): void {
  if (request.reportType !== undefined && !REPORT_TYPES.includes(request.reportType)) {
    throw new InvalidRequestError(400, `Cannot set query parameter 'reportType' to value '${request.reportType}'`);
  }
  if (request.periodUnit !== undefined && periodUnitOf(request.periodUnit) === undefined) {
    throw new InvalidRequestError(400, `Cannot set query parameter 'periodUnit' to value '${request.periodUnit}': Cannot convert value ${request.periodUnit} to java enum type org.camunda.bpm.engine.query.PeriodUnit`);
  }
}

function periodUnitOf(value: string): PeriodUnit | undefined {
  const unit = value.toUpperCase();
  return unit === 'MONTH' || unit === 'QUARTER' ? unit : undefined;
}

function requiredPeriodUnit(request: ReportRequest): PeriodUnit {
  const unit = request.periodUnit === undefined ? undefined : periodUnitOf(request.periodUnit);
  if (!unit) throw new InvalidRequestError(400, 'periodUnit is null');
  return unit;
}

/** Camunda's DurationReportResultDto. */
function durationReportDto(unit: PeriodUnit) {
  return (row: DurationReportRow) => ({
    period: Number(row.period),
    periodUnit: unit,
    minimum: Number(row.minimum),
    maximum: Number(row.maximum),
    average: Number(row.average),
  });
}

/** `GET /history/process-instance/report`: finished instances' durations per month or quarter of their start. */
export async function getProcessInstanceDurationReport(ctx: ServiceContext, request: ReportRequest & {
  processDefinitionIdIn?: string[]; processDefinitionKeyIn?: string[]; startedBefore?: Date; startedAfter?: Date;
}) {
  checkReportParameters(request);
  if (request.reportType !== 'duration') throw new InvalidRequestError(400, `Unknown report type ${request.reportType ?? null}`);
  const periodUnit = requiredPeriodUnit(request);
  const rows = await processInstanceDurationReport(ctx.database.knex, { ...request, periodUnit });
  return rows.map(durationReportDto(periodUnit));
}

/** `GET /history/task/report`: completed tasks' durations per period, or their count by task name or process definition. */
export async function getTaskReport(ctx: ServiceContext, request: ReportRequest & { groupBy?: string; completedBefore?: Date; completedAfter?: Date }) {
  checkReportParameters(request);
  if (request.reportType === undefined) throw new InvalidRequestError(400, 'Parameter reportType is not set.');
  if (request.reportType === 'duration') {
    const periodUnit = requiredPeriodUnit(request);
    const rows = await taskDurationReport(ctx.database.knex, { periodUnit, completedBefore: request.completedBefore, completedAfter: request.completedAfter });
    return rows.map(durationReportDto(periodUnit));
  }
  if (request.groupBy !== 'taskName' && request.groupBy !== 'processDefinition') throw new InvalidRequestError(400, `groupBy parameter has invalid value: ${request.groupBy ?? null}`);
  const rows = await taskCountReport(ctx.database.knex, { groupBy: request.groupBy, completedBefore: request.completedBefore, completedAfter: request.completedAfter });
  return rows.map((row) => ({
    count: Number(row.count),
    processDefinitionKey: row.process_definition_key,
    processDefinitionId: row.process_definition_id,
    processDefinitionName: row.process_definition_name,
    taskName: row.task_name,
    tenantId: row.tenant_id,
  }));
}

/**
 * Deletes the history of a finished process instance. Camunda's REST resource answers 404 "does not exist" for a
 * running one too (it maps the engine's refusal so); with `failIfNotExists: false` an unknown id is no error.
 */
export async function deleteHistoricProcessInstance(ctx: ServiceContext, id: string, failIfNotExists: boolean): Promise<void> {
  await ctx.database.knex.transaction(async (tx) => {
    const instance = await findHistoricProcessInstance(tx, id);
    if (!instance ? failIfNotExists : instance.end_time === null) throw new InvalidRequestError(404, `Historic process instance with id ${id} does not exist`);
    if (instance) await deleteHistoryOfInstance(tx, id);
  });
}

/** What `POST /history/process-instance/delete` asks for: ids, a query, or both. */
export interface HistoricProcessInstanceDeletion {
  ids: string[] | null;
  query: HistoricProcessInstanceFilter | null;
}

/** Camunda's batch that the deletion would be; this engine deletes in the request, so the batch is already done. */
export interface DeletionBatch {
  id: string;
  type: string;
  totalJobs: number;
  startTime: Date;
  /** Its seed, monitor and batch job definitions, which Camunda names; they exist only as ids here. */
  jobDefinitionIds: [string, string, string];
}

/**
 * Deletes the history of finished process instances chosen by ids and/or a query, in one transaction (Camunda runs a
 * batch for it). Like Camunda, it refuses an empty choice.
 */
export async function deleteHistoricProcessInstances(ctx: ServiceContext, request: HistoricProcessInstanceDeletion): Promise<DeletionBatch> {
  return ctx.database.knex.transaction(async (tx) => {
    const chosen = new Set(request.ids ?? []);
    if (request.query) for (const row of await historicProcessInstanceQuery.list(tx, request.query, {})) chosen.add(row.id);
    if (chosen.size === 0) throw new InvalidRequestError(400, 'historicProcessInstanceIds is empty');
    // Camunda's batch jobs would fail on unknown and running instances later; here they are left alone.
    const found = await historicProcessInstanceQuery.list(tx, { processInstanceIds: [...chosen], finished: true }, {});
    for (const instance of found) await deleteHistoryOfInstance(tx, instance.id);
    return { id: newId(), type: 'historic-instance-deletion', totalJobs: chosen.size, startTime: ctx.clock.now(), jobDefinitionIds: [newId(), newId(), newId()] };
  });
}

export async function deleteHistoricVariable(ctx: ServiceContext, id: string): Promise<void> {
  const deleted = await ctx.database.knex.transaction((tx) => deleteHistoricVariableInstance(tx, id));
  if (!deleted) throw new InvalidRequestError(404, `No historic variable instance found with id: ${id}: variable is null`);
}

export async function deleteHistoricVariablesOfProcessInstance(ctx: ServiceContext, processInstanceId: string): Promise<void> {
  await ctx.database.knex.transaction(async (tx) => {
    if (!(await findHistoricProcessInstance(tx, processInstanceId))) throw new InvalidRequestError(404, `No historic process instance found with id: ${processInstanceId}: instance is null`);
    await deleteHistoricVariablesOfInstance(tx, processInstanceId);
  });
}
