/** Jobs: firing a due timer as one command, recording failures with retries and incidents, and Camunda's job resource. */
import { CamundaError, InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { parseTimerSchedule, type TimerType } from '../core/timer-schedule.js';
import { elementIdOfExecution } from '../engine/index.js';
import { findOpenActivityInstances } from '../persistence/history-repository.js';
import { findJobDefinition, updateJobDefinitionSuspension } from '../persistence/job-definition-repository.js';
import type { Db } from '../persistence/database.js';
import { findProcessInstance } from '../persistence/process-instance-repository.js';
import { logJobSuccess } from '../persistence/job-log-repository.js';
import { acquireDueJobs, deleteJobs, failJobRow, findJob, jobQuery, listFailedJobsOfJobDefinition, lockJob, nextDueDate, releaseJobLocks, updateJob, updateJobSuspensionOfJobDefinition, type JobFilter, type JobRow } from '../persistence/job-repository.js';
import type { ListOptions } from '../persistence/query-options.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { hasIncidentOfConfiguration, type IncidentRow } from '../persistence/incident-repository.js';
import { runOnEntity } from './command-kernel.js';
import { manageIncidentsOnRetries } from './incident-lifecycle.js';
import { advanceInstance } from './instance-advancer.js';
import { announceJobDue } from './job-notifications.js';
import { runCommand, type CommandScope } from './run-command.js';
import { definitionTarget, logUserOperation, type OperationTarget } from './user-operation-log.js';
import { startInCommand } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { recordWork } from '../telemetry/committed-work.js';
import { ENGINE_ATTRIBUTES, ENGINE_SPANS, inSpan, untraced } from '../telemetry/engine-spans.js';

/** What became of a job the executor handed over: fired, or left alone because another node holds or ran it. */
export type JobOutcome = 'executed' | 'skipped';

function jobNotFound(id: string): CamundaError {
  return new InvalidRequestError(404, `Job with id ${id} does not exist`);
}

/** Another node took the job over after this one's lock expired, or it is gone: running it again would run it twice. */
function isOwnedBy(job: JobRow, lockOwner: string | null): boolean {
  return lockOwner === null || job.lock_owner === lockOwner;
}

/**
 * Fires the job's timer in one command (`job` as read before it: acquired, or looked up by id). For a timer of an instance the engine moves on, and the wait reconciler
 * removes the job (and creates the next one of a cycle that re-armed); for a timer start event a new instance starts,
 * and a cycle's job moves to its next due date in the same transaction.
 */
export function executeJob(ctx: ServiceContext, job: JobRow, lockOwner: string | null): Promise<JobOutcome> {
  return inSpan(`${ENGINE_SPANS.job} ${job.handler_type}`, () => ({
    [ENGINE_ATTRIBUTES.jobId]: job.id,
    [ENGINE_ATTRIBUTES.jobType]: job.handler_type,
    [ENGINE_ATTRIBUTES.jobRetries]: job.retries,
    [ENGINE_ATTRIBUTES.activityId]: job.activity_id,
    [ENGINE_ATTRIBUTES.definitionKey]: job.process_definition_key,
    ...(job.process_instance_id === null ? {} : { [ENGINE_ATTRIBUTES.processInstanceId]: job.process_instance_id }),
  }), () => runJob(ctx, job, lockOwner), { root: lockOwner !== null });
}

async function runJob(ctx: ServiceContext, job: JobRow, lockOwner: string | null): Promise<JobOutcome> {
  const id = job.id;
  if (job.process_instance_id === null) return runCommand(ctx, 'execute job', async (command) => countedRun(command, await startFromTimer(ctx, command, id, lockOwner)));
  const access = { find: findJob, instanceOf: (row: JobRow) => row.process_instance_id!, missing: () => jobNotFound(id) };
  return runOnEntity(ctx, 'execute job', id, access, async (command, locked, instance) => {
    if (!isOwnedBy(locked, lockOwner)) return 'skipped';
    const executionId = locked.engine_execution_id!;
    // An async continuation's wait is its own task in front of or behind the activity (engine/async-continuations.ts).
    const engineCommand = locked.handler_type === 'async-continuation'
      ? { kind: 'signal' as const, activityId: elementIdOfExecution(executionId), executionId }
      : { kind: 'fireTimer' as const, activityId: locked.activity_id, executionId };
    await logJobSuccess(command.tx, locked.id, ctx.clock.now());
    await advanceInstance(ctx, command, instance.running, engineCommand);
    return countedRun(command, 'executed');
  }, job);
}

/** A job that ran counts as successful for the metrics once its command commits. */
function countedRun(command: CommandScope, outcome: JobOutcome): JobOutcome {
  if (outcome === 'executed') recordWork(command.tx, { kind: 'jobExecution', outcome: 'successful' });
  return outcome;
}

async function startFromTimer(ctx: ServiceContext, command: CommandScope, id: string, lockOwner: string | null): Promise<JobOutcome> {
  const job = await lockJob(command.tx, id);
  if (!job || !isOwnedBy(job, lockOwner)) return 'skipped';
  const definition = await findProcessDefinition(command.tx, job.process_definition_id);
  if (!definition) throw jobNotFound(id);
  const now = ctx.clock.now();
  await logJobSuccess(command.tx, job.id, now);
  await startInCommand(ctx, command, definition, {}, undefined, job.activity_id);
  const next = job.repetitions_left === 1 ? null : parseTimerSchedule(job.timer_type as TimerType, job.timer_expression!, ctx.options.timeZone).dueAfter(now);
  if (job.timer_type !== 'timeCycle' || next === null) {
    await deleteJobs(command.tx, [job.id], now);
    return 'executed';
  }
  await updateJob(command.tx, job.id, {
    due_date: next,
    repetitions_left: job.repetitions_left === null ? null : job.repetitions_left - 1,
    lock_owner: null,
    lock_expiration_time: null,
    exception_message: null,
    exception_stacktrace: null,
  });
  await announceJobDue(command.tx, [next]);
  return 'executed';
}

/**
 * Records a failed run in its own transaction (the run's rolled back): one retry less, the exception, the lock
 * released; the last retry raises a failedJob incident on the job's activity. With `camunda:failedJobRetryTimeCycle`
 * (R5/PT10M) the first failure sets the retries the cycle allows, as Camunda does, and each retry waits its period.
 */
export async function recordJobFailure(ctx: ServiceContext, id: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const stacktrace = error instanceof Error ? error.stack ?? message : message;
  await runCommand(ctx, 'record job failure', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) return;
    const now = ctx.clock.now();
    const cycle = job.retry_time_cycle ? parseTimerSchedule('timeCycle', job.retry_time_cycle, ctx.options.timeZone) : null;
    const allowed = cycle && job.exception_message === null ? cycle.repetitions ?? job.retries : job.retries;
    const retries = Math.max(0, allowed - 1);
    const due = cycle?.dueAfter(now) ?? job.due_date;
    await failJobRow(tx, job, { retries, due_date: due, exception_message: message, exception_stacktrace: stacktrace, lock_owner: null, lock_expiration_time: null }, now);
    await manageJobIncidents(ctx, tx, job, retries, message);
    recordWork(tx, { kind: 'jobExecution', outcome: 'failed' });
  });
}

async function manageJobIncidents(ctx: ServiceContext, tx: CommandScope['tx'], job: JobRow, retries: number, message: string | null): Promise<void> {
  // Incidents belong to instances; a timer start event's job that runs out of retries keeps its exception only.
  const processInstanceId = job.process_instance_id;
  if (processInstanceId === null) return;
  const now = ctx.clock.now();
  const incident = async (): Promise<IncidentRow> => ({
    id: newId(),
    incident_type: 'failedJob',
    incident_message: message,
    incident_timestamp: now,
    process_instance_id: processInstanceId,
    execution_id: job.execution_id,
    process_definition_id: job.process_definition_id,
    activity_id: job.activity_id,
    activity_instance_id: (await findOpenActivityInstances(tx, processInstanceId)).find((row) => row.activity_id === job.activity_id)?.id ?? processInstanceId,
    configuration: job.id,
    job_definition_id: job.job_definition_id,
    tenant_id: job.tenant_id,
    annotation: null,
  });
  // Camunda raises at most one incident per job: one left open by job definition retries stays the one.
  if (retries <= 0 && (await hasIncidentOfConfiguration(tx, job.id))) return;
  await manageIncidentsOnRetries(tx, { configuration: job.id, from: job.retries, to: retries, now, incident, processDefinitionKey: job.process_definition_key });
}

export function getJob(ctx: ServiceContext, id: string): Promise<JobRow> {
  return findJobOrFail(ctx, id, `Job with id ${id} does not exist`);
}

/** The job, or a 404 with `message`: Camunda words it differently per resource. */
export async function findJobOrFail(ctx: ServiceContext, id: string, message: string): Promise<JobRow> {
  const job = await findJob(ctx.database.knex, id);
  if (!job) throw new InvalidRequestError(404, message);
  return job;
}

export function listJobs(ctx: ServiceContext, filter: Omit<JobFilter, 'now'>, options: ListOptions): Promise<JobRow[]> {
  return jobQuery.list(ctx.database.knex, { ...filter, now: ctx.clock.now() }, options);
}

export function countJobs(ctx: ServiceContext, filter: Omit<JobFilter, 'now'>): Promise<number> {
  return jobQuery.count(ctx.database.knex, { ...filter, now: ctx.clock.now() });
}

/** The ids of a job's entries: its definition's, its instance's (a timer start job has none) and its own. */
export async function jobTarget(tx: Db, job: JobRow): Promise<OperationTarget> {
  const definition = await findProcessDefinition(tx, job.process_definition_id);
  const instance = job.process_instance_id === null ? undefined : await findProcessInstance(tx, job.process_instance_id);
  return {
    ...(definition ? definitionTarget(definition) : { processDefinitionId: job.process_definition_id, processDefinitionKey: job.process_definition_key }),
    processInstanceId: job.process_instance_id,
    rootProcessInstanceId: instance?.root_process_instance_id ?? null,
    jobId: job.id,
    jobDefinitionId: job.job_definition_id,
  };
}

/** The ids of a job definition's entries (and of a job definition's retries, which Camunda records on entity Job). */
export async function jobDefinitionTarget(tx: Db, jobDefinitionId: string): Promise<OperationTarget> {
  const jobDefinition = await findJobDefinition(tx, jobDefinitionId);
  const definition = jobDefinition && (await findProcessDefinition(tx, jobDefinition.process_definition_id));
  return { ...(definition ? definitionTarget(definition) : {}), jobDefinitionId };
}

function checkRetries(retries: number): void {
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidRequestError(400, `The number of job retries must be a non-negative Integer, but '${retries}' has been provided.`);
}

/** Camunda's PUT /job/{id}/retries: giving a job retries back resolves its failedJob incident. */
export async function setJobRetries(ctx: ServiceContext, id: string, retries: number): Promise<void> {
  checkRetries(retries);
  await runCommand(ctx, 'set job retries', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) throw new InvalidRequestError(500, `ENGINE-13053 No job found with id '${id}'.'`);
    const properties = [{ property: 'retries', orgValue: job.retries, newValue: retries }];
    await logUserOperation(ctx, tx, { operationType: 'SetJobRetries', entityType: 'Job', category: 'Operator', target: await jobTarget(tx, job), properties });
    await updateJob(tx, id, { retries });
    await manageJobIncidents(ctx, tx, job, retries, job.exception_message);
  });
}

/** Camunda's PUT /job/{id}/suspended: a suspended job is not acquired; an unknown id changes nothing. */
export async function setJobSuspended(ctx: ServiceContext, id: string, suspended: boolean): Promise<void> {
  await runCommand(ctx, suspended ? 'suspend job' : 'activate job', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) return;
    const properties = [{ property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' }];
    await logUserOperation(ctx, tx, { operationType: suspended ? 'SuspendJob' : 'ActivateJob', entityType: 'Job', category: 'Operator', target: await jobTarget(tx, job), properties });
    await updateJob(tx, id, { suspended });
  });
}

/**
 * Camunda's PUT /job-definition/{id}/suspended: jobs created for a suspended definition are created suspended, and
 * with `includeJobs` its existing jobs follow it.
 */
export async function setJobDefinitionSuspended(ctx: ServiceContext, id: string, suspended: boolean, includeJobs: boolean): Promise<void> {
  await runCommand(ctx, suspended ? 'suspend job definition' : 'activate job definition', async ({ tx }) => {
    const properties = [{ property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' }];
    const operationType = suspended ? 'SuspendJobDefinition' : 'ActivateJobDefinition';
    if (await findJobDefinition(tx, id)) await logUserOperation(ctx, tx, { operationType, entityType: 'JobDefinition', category: 'Operator', target: await jobDefinitionTarget(tx, id), properties });
    await updateJobDefinitionSuspension(tx, id, suspended);
    if (includeJobs) await updateJobSuspensionOfJobDefinition(tx, id, suspended);
  });
}

/**
 * Camunda's PUT /job-definition/{id}/retries: every job of the definition that ran out of retries gets them back.
 * As in Camunda (one bulk update) their incidents stay open; a job failing again keeps that one incident.
 */
export async function setJobDefinitionRetries(ctx: ServiceContext, id: string, retries: number): Promise<void> {
  checkRetries(retries);
  await runCommand(ctx, 'set job definition retries', async ({ tx }) => {
    const properties = [{ property: 'retries', orgValue: null, newValue: retries }];
    if (await findJobDefinition(tx, id)) await logUserOperation(ctx, tx, { operationType: 'SetJobRetries', entityType: 'Job', category: 'Operator', target: await jobDefinitionTarget(tx, id), properties });
    for (const job of await listFailedJobsOfJobDefinition(tx, id)) await updateJob(tx, job.id, { retries });
  });
}

/** Camunda's PUT /job/{id}/duedate: a new due date (null: now), which the executors hear about. */
export async function setJobDueDate(ctx: ServiceContext, id: string, dueDate: Date | null): Promise<void> {
  await runCommand(ctx, 'set job due date', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) throw new InvalidRequestError(500, `No job found with id '${id}'.`);
    const due = dueDate ?? ctx.clock.now();
    // As Camunda, the due dates in milliseconds since the epoch.
    const properties = [{ property: 'duedate', orgValue: job.due_date === null ? null : new Date(job.due_date).getTime(), newValue: due.getTime() }];
    await logUserOperation(ctx, tx, { operationType: 'SetDueDate', entityType: 'Job', category: 'Operator', target: await jobTarget(tx, job), properties });
    await updateJob(tx, id, { due_date: due });
    await announceJobDue(tx, [due]);
  });
}

/** Camunda's POST /job/{id}/execute: runs the job now; a failure costs a retry and answers 500 with its message. */
export async function executeJobNow(ctx: ServiceContext, id: string): Promise<void> {
  const job = await findJobOrFail(ctx, id, `ENGINE-14026 No job found with id '${id}'`);
  try {
    await executeJob(ctx, job, null);
  } catch (error) {
    if (error instanceof CamundaError && error.status === 404) throw error;
    await recordJobFailure(ctx, id, error);
    throw error;
  }
}

/** Locks up to `limit` due jobs for `lockOwner` in one short transaction (the executor then runs each as a command). */
export async function acquireJobs(ctx: ServiceContext, lockOwner: string, lockDurationMs: number, limit: number): Promise<JobRow[]> {
  const now = ctx.clock.now();
  return untraced(() => runCommand(ctx, 'acquire jobs', ({ tx }) => acquireDueJobs(tx, { now, lockOwner, lockUntil: new Date(now.getTime() + lockDurationMs), limit })));
}

/** Hands back the jobs a stopping node acquired but did not run. */
export async function releaseJobs(ctx: ServiceContext, lockOwner: string): Promise<void> {
  await runCommand(ctx, 'release jobs', ({ tx }) => releaseJobLocks(tx, lockOwner));
}

/** When the earliest job that is not locked is due, if any. */
export function nextJobDueDate(ctx: ServiceContext): Promise<Date | null> {
  return nextDueDate(ctx.database.knex, ctx.clock.now());
}
export type { JobFilter, JobRow } from '../persistence/job-repository.js';
