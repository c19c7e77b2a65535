/** `/job-definition`: what each timer event and async continuation of a deployed process defines for its jobs. */
import { Router } from 'express';
import { countJobDefinitions, getJobDefinition, listJobDefinitions, type JobDefinitionFilter } from '../../services/job-definitions.js';
import { setJobDefinitionRetries, setJobDefinitionSuspended } from '../../services/job-service.js';
import { setJobDefinitionPriority, setJobDefinitionsSuspended } from '../../services/job-operations.js';
import type { ServiceContext } from '../../services/service-context.js';
import { jobDefinitionPriorityBody, jobDefinitionsSuspensionBody, jobDefinitionSuspensionBody, retriesBody } from '../body-schemas.js';
import { jobDefinitionDto } from '../dtos/job-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

const SORT_KEYS = ['jobDefinitionId', 'activityId', 'processDefinitionId', 'processDefinitionKey', 'jobType', 'jobConfiguration', 'tenantId'] as const;

function jobDefinitionFilter(query: QueryReader): JobDefinitionFilter {
  return definedOnly({
    jobDefinitionId: query.string('jobDefinitionId'),
    activityIdIn: query.list('activityIdIn'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    jobType: query.string('jobType'),
    jobConfiguration: query.string('jobConfiguration'),
    active: query.boolean('active'),
    suspended: query.boolean('suspended'),
    withOverridingJobPriority: query.boolean('withOverridingJobPriority'),
    tenantIdIn: query.list('tenantIdIn'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

export function jobDefinitionRouter(ctx: ServiceContext): Router {
  const router = Router();
  const readModel = { list: (filter: JobDefinitionFilter, options: Parameters<typeof listJobDefinitions>[2]) => listJobDefinitions(ctx, filter, options), count: (filter: JobDefinitionFilter) => countJobDefinitions(ctx, filter) };
  mountListRoutes(router, { path: '/job-definition', readModel, sortKeys: SORT_KEYS, filter: jobDefinitionFilter, toDto: jobDefinitionDto, post: true });
  router.put('/job-definition/suspended', async (req, res) => {
    const { suspended, ...request } = readBody(req, jobDefinitionsSuspensionBody);
    await setJobDefinitionsSuspended(ctx, request, suspended === true);
    sendNoContent(res);
  });
  router.get('/job-definition/:id', async (req, res) => sendJson(res, jobDefinitionDto(await getJobDefinition(ctx, req.params.id))));
  router.put('/job-definition/:id/suspended', async (req, res) => {
    const body = readBody(req, jobDefinitionSuspensionBody);
    await setJobDefinitionSuspended(ctx, req.params.id, body.suspended === true, body.includeJobs === true);
    sendNoContent(res);
  });
  router.put('/job-definition/:id/retries', async (req, res) => {
    await setJobDefinitionRetries(ctx, req.params.id, readBody(req, retriesBody).retries ?? Number.NaN);
    sendNoContent(res);
  });
  router.put('/job-definition/:id/jobPriority', async (req, res) => {
    const { priority, includeJobs } = readBody(req, jobDefinitionPriorityBody);
    await setJobDefinitionPriority(ctx, req.params.id, priority, includeJobs === true);
    sendNoContent(res);
  });
  return router;
}
