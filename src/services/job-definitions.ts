/**
 * Job definitions, as Camunda creates them at deployment: one per timer event and per async continuation of a
 * process (its job declarations, read by the parser). Their ids are derived from what they define, so a job names its
 * definition without a lookup.
 */
import { InvalidRequestError } from '../core/errors.js';
import { nameBasedId } from '../core/ids.js';
import type { EventStartDeclaration, JobDeclaration, JobKind } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import { findJobDefinition, insertJobDefinitions, jobDefinitionQuery, type JobDefinitionFilter, type JobDefinitionRow } from '../persistence/job-definition-repository.js';
import type { ListOptions } from '../persistence/query-options.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import type { ServiceContext } from './service-context.js';

/** A freshly deployed process definition with the job declarations of its process. */
export interface DeployedDefinition {
  definition: ProcessDefinitionRow;
  jobs: readonly JobDeclaration[];
  eventStarts: readonly EventStartDeclaration[];
}

/** The id of the job definition of `kind` for `activityId` of a process definition. */
export function jobDefinitionId(processDefinitionId: string, activityId: string, kind: JobKind): string {
  return nameBasedId('job-definition', processDefinitionId, activityId, kind);
}

/** Creates the job definitions of freshly deployed process definitions. */
export async function createJobDefinitions(db: Db, deployed: readonly DeployedDefinition[]): Promise<void> {
  await insertJobDefinitions(db, deployed.flatMap(({ definition, jobs }) => jobs.map((job): JobDefinitionRow => ({
    id: jobDefinitionId(definition.id, job.activityId, job.kind),
    process_definition_id: definition.id,
    process_definition_key: definition.key,
    activity_id: job.activityId,
    job_type: job.jobType,
    job_configuration: job.configuration,
    overriding_job_priority: null,
    suspended: false,
    tenant_id: definition.tenant_id,
    deployment_id: definition.deployment_id,
  }))));
}

export function listJobDefinitions(ctx: ServiceContext, filter: JobDefinitionFilter, options: ListOptions): Promise<JobDefinitionRow[]> {
  return jobDefinitionQuery.list(ctx.database.knex, filter, options);
}

export function countJobDefinitions(ctx: ServiceContext, filter: JobDefinitionFilter): Promise<number> {
  return jobDefinitionQuery.count(ctx.database.knex, filter);
}

export async function getJobDefinition(ctx: ServiceContext, id: string): Promise<JobDefinitionRow> {
  const row = await findJobDefinition(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Job Definition with id ${id} does not exist`);
  return row;
}

export type { JobDefinitionFilter, JobDefinitionRow };
