/** Camunda's operator actions on jobs and job definitions: bulk suspension, deletion, priorities and due dates. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import { parseTimerSchedule, type TimerType } from '../core/timer-schedule.js';
import { findJobDefinition, listJobDefinitionIdsOf, updateJobDefinitionSuspensionOf, updateOverridingJobPriority } from '../persistence/job-definition-repository.js';
import { deleteJobs, lockJob, updateJob, updateJobPriorityOfJobDefinition, updateJobSuspensionOf, type JobRow, type JobSelector } from '../persistence/job-repository.js';
import { removeIncidentsOfConfiguration } from './incident-lifecycle.js';
import { announceJobDue } from './job-notifications.js';
import { jobDefinitionTarget, jobTarget } from './job-service.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { definitionTarget, logUserOperation, type OperationTarget } from './user-operation-log.js';
import type { Db } from '../persistence/database.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { findProcessInstance } from '../persistence/process-instance-repository.js';

/** A selection by process definition key, with Camunda's tenant options (which apply to a key only). */
export interface ByDefinitionKey {
  processDefinitionKey: string;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
}

function tenantOf(selector: ByDefinitionKey): string | null | undefined {
  if (selector.processDefinitionWithoutTenantId === true) return null;
  return selector.processDefinitionTenantId ?? undefined;
}

/** The one selector a bulk suspension names; Camunda refuses none and more than one with these messages. */
function singleSelector<T extends object>(selectors: T, names: string): keyof T {
  const given = (Object.keys(selectors) as Array<keyof T>).filter((name) => selectors[name] !== undefined && selectors[name] !== null);
  if (given.length === 0) throw new InvalidRequestError(400, `Either ${names} should be set to update the suspension state.`);
  if (given.length > 1) throw new InvalidRequestError(400, `Only one of ${names} should be set to update the suspension state.`);
  return given[0]!;
}

export interface JobSuspensionRequest {
  jobDefinitionId?: string | null;
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
}

/** Camunda's PUT /job/suspended: the jobs of a job definition, an instance or process definitions; none found changes nothing. */
export async function setJobsSuspended(ctx: ServiceContext, request: JobSuspensionRequest, suspended: boolean): Promise<void> {
  const { jobDefinitionId, processInstanceId, processDefinitionId, processDefinitionKey } = request;
  const by = singleSelector({ jobId: undefined, jobDefinitionId, processInstanceId, processDefinitionId, processDefinitionKey }, 'jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey');
  const selector: JobSelector = by === 'jobDefinitionId' ? { jobDefinitionIds: [jobDefinitionId!] }
    : by === 'processInstanceId' ? { processInstanceId: processInstanceId! }
      : by === 'processDefinitionId' ? { processDefinitionId: processDefinitionId! }
        : { processDefinitionKey: processDefinitionKey!, tenantId: tenantOf({ ...request, processDefinitionKey: processDefinitionKey! }) };
  await runCommand(ctx, suspended ? 'suspend jobs' : 'activate jobs', async ({ tx }) => {
    const properties = [{ property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' }];
    await logUserOperation(ctx, tx, { operationType: suspended ? 'SuspendJob' : 'ActivateJob', entityType: 'Job', category: 'Operator', target: await selectorTarget(tx, selector), properties });
    await updateJobSuspensionOf(tx, selector, suspended);
  });
}

/** The ids an entry of a bulk change names: those of the selected instance, job definition or process definition. */
async function selectorTarget(tx: Db, selector: JobSelector | { processDefinitionId: string } | { processDefinitionKey: string }): Promise<OperationTarget> {
  if ('jobDefinitionIds' in selector) return jobDefinitionTarget(tx, selector.jobDefinitionIds[0]!);
  if ('processInstanceId' in selector) {
    const instance = await findProcessInstance(tx, selector.processInstanceId);
    return { processInstanceId: selector.processInstanceId, processDefinitionId: instance?.process_definition_id ?? null, processDefinitionKey: instance?.process_definition_key ?? null };
  }
  if ('processDefinitionId' in selector) {
    const definition = await findProcessDefinition(tx, selector.processDefinitionId);
    return definition ? definitionTarget(definition) : { processDefinitionId: selector.processDefinitionId };
  }
  return { processDefinitionKey: selector.processDefinitionKey };
}

export interface JobDefinitionSuspensionRequest {
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
  includeJobs?: boolean | null;
  executionDate?: string | null;
}

/**
 * Camunda's PUT /job-definition/suspended: the job definitions of process definitions, with their jobs when
 * `includeJobs`. A later `executionDate` is refused: Camunda would schedule the change as a job, which this engine has not.
 */
export async function setJobDefinitionsSuspended(ctx: ServiceContext, request: JobDefinitionSuspensionRequest, suspended: boolean): Promise<void> {
  const { processDefinitionId, processDefinitionKey } = request;
  const by = singleSelector({ jobDefinitionId: undefined, processDefinitionId, processDefinitionKey }, 'jobDefinitionId, processDefinitionId or processDefinitionKey');
  refuseDelayedExecution(ctx, request.executionDate);
  const selector = by === 'processDefinitionId' ? { processDefinitionId: processDefinitionId! } : { processDefinitionKey: processDefinitionKey!, tenantId: tenantOf({ ...request, processDefinitionKey: processDefinitionKey! }) };
  await runCommand(ctx, suspended ? 'suspend job definitions' : 'activate job definitions', async ({ tx }) => {
    const ids = await listJobDefinitionIdsOf(tx, selector);
    const properties = [{ property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' }];
    const operationType = suspended ? 'SuspendJobDefinition' : 'ActivateJobDefinition';
    await logUserOperation(ctx, tx, { operationType, entityType: 'JobDefinition', category: 'Operator', target: await selectorTarget(tx, selector), properties });
    await updateJobDefinitionSuspensionOf(tx, ids, suspended);
    if (request.includeJobs === true && ids.length > 0) await updateJobSuspensionOf(tx, { jobDefinitionIds: ids }, suspended);
  });
}

function refuseDelayedExecution(ctx: ServiceContext, executionDate: string | null | undefined): void {
  if (executionDate === undefined || executionDate === null) return;
  const at = new Date(executionDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(at.getTime())) throw new InvalidRequestError(400, `Cannot parse executionDate '${executionDate}'`);
  if (at.getTime() > ctx.clock.now().getTime()) throw new InvalidRequestError(400, 'A suspension or activation at a later executionDate is not supported: leave executionDate out to change the state now');
}

function noJob(id: string): InvalidRequestError {
  return new InvalidRequestError(404, `No job found with id '${id}': job is null`);
}

/**
 * Camunda's DELETE /job/{id}: a job being executed is refused, and the job's incident ends as deleted. The job of a
 * waiting instance is refused too (an intended difference): its timer or continuation is part of the instance's
 * state, and the next command on the instance would create it again.
 */
export async function deleteJob(ctx: ServiceContext, id: string): Promise<void> {
  await runCommand(ctx, 'delete job', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) throw noJob(id);
    if (job.lock_owner !== null) throw new RestError(500, 'Cannot delete job when the job is being executed. Try again later.');
    if (job.process_instance_id !== null) {
      throw new RestError(500, `Cannot delete job ${id}: process instance ${job.process_instance_id} waits at it; delete or modify the process instance instead`);
    }
    const now = ctx.clock.now();
    await deleteJobs(tx, [id], now);
    await removeIncidentsOfConfiguration(tx, id, now, 'deleted');
  });
}

/** Camunda's PUT /job/{id}/priority. */
export async function setJobPriority(ctx: ServiceContext, id: string, priority: number | null | undefined): Promise<void> {
  if (priority === undefined || priority === null) throw new RestError(400, `Priority for job '${id}' cannot be null.`);
  await runCommand(ctx, 'set job priority', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) throw noJob(id);
    const properties = [{ property: 'priority', orgValue: Number(job.priority), newValue: priority }];
    await logUserOperation(ctx, tx, { operationType: 'SetPriority', entityType: 'Job', category: 'Operator', target: await jobTarget(tx, job), properties });
    await updateJob(tx, id, { priority });
  });
}

/**
 * Camunda's PUT /job-definition/{id}/jobPriority: the priority new jobs of the definition get, and with `includeJobs`
 * its existing jobs too; null clears the override (existing jobs keep theirs).
 */
export async function setJobDefinitionPriority(ctx: ServiceContext, id: string, priority: number | null | undefined, includeJobs: boolean): Promise<void> {
  const overriding = priority ?? null;
  if (overriding === null && includeJobs) throw new InvalidRequestError(400, `Cannot reset priority for job definition ${id} with includeJobs=true`);
  await runCommand(ctx, 'set job definition priority', async ({ tx }) => {
    const jobDefinition = await findJobDefinition(tx, id);
    if (!jobDefinition) throw new InvalidRequestError(404, `Job definition with id '${id}' does not exist: jobDefinition is null`);
    const target = await jobDefinitionTarget(tx, id);
    const previous = jobDefinition.overriding_job_priority === null ? null : Number(jobDefinition.overriding_job_priority);
    await logUserOperation(ctx, tx, { operationType: 'SetPriority', entityType: 'JobDefinition', category: 'Operator', target, properties: [{ property: 'overridingPriority', orgValue: previous, newValue: overriding }] });
    await updateOverridingJobPriority(tx, id, overriding);
    if (overriding !== null && includeJobs) {
      // The jobs' earlier priorities are not read, as in Camunda's one bulk update.
      await logUserOperation(ctx, tx, { operationType: 'SetPriority', entityType: 'Job', category: 'Operator', target, properties: [{ property: 'priority', orgValue: null, newValue: overriding }] });
      await updateJobPriorityOfJobDefinition(tx, id, overriding);
    }
  });
}

const TIMER_HANDLERS = new Set(['timer-transition', 'timer-intermediate-transition', 'timer-start-event', 'timer-start-event-subprocess']);

/**
 * Camunda's POST /job/{id}/duedate/recalculate: the timer's due date computed again from its definition, from now or
 * (`creationDateBased`) from when the job was created.
 */
export async function recalculateJobDueDate(ctx: ServiceContext, id: string, creationDateBased: boolean): Promise<void> {
  await runCommand(ctx, 'recalculate job due date', async ({ tx }) => {
    const job = await lockJob(tx, id);
    if (!job) throw noJob(id);
    if (!TIMER_HANDLERS.has(job.handler_type) || job.timer_type === null || job.timer_expression === null) {
      throw new InvalidRequestError(500, `Only timer jobs can be recalculated, but the job with id '${id}' is of type '${job.handler_type}'.`);
    }
    const due = dueDateOf(ctx, job, creationDateBased ? new Date(job.create_time) : ctx.clock.now());
    // As Camunda, the due dates in milliseconds since the epoch.
    const properties = [
      { property: 'duedate', orgValue: job.due_date === null ? null : new Date(job.due_date).getTime(), newValue: due === null ? null : due.getTime() },
      { property: 'creationDateBased', orgValue: null, newValue: creationDateBased },
    ];
    await logUserOperation(ctx, tx, { operationType: 'RecalculateDueDate', entityType: 'Job', category: 'Operator', target: await jobTarget(tx, job), properties });
    await updateJob(tx, id, { due_date: due });
    await announceJobDue(tx, [due]);
  });
}

function dueDateOf(ctx: ServiceContext, job: JobRow, base: Date): Date | null {
  return parseTimerSchedule(job.timer_type as TimerType, job.timer_expression!, ctx.options.timeZone).dueAfter(base);
}
