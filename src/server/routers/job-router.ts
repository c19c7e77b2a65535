/** `/job`: timers waiting for their due date, with Camunda's filters, retries, due date, execution and stack trace. */
import { Router } from 'express';
import { parseCamundaDate } from '../../core/camunda-date.js';
import { InvalidRequestError } from '../../core/errors.js';
import { countJobs, executeJobNow, findJobOrFail, getJob, listJobs, setJobDueDate, setJobRetries, setJobSuspended, type JobFilter } from '../../services/job-service.js';
import { deleteJob, recalculateJobDueDate, setJobPriority, setJobsSuspended } from '../../services/job-operations.js';
import type { ServiceContext } from '../../services/service-context.js';
import { dueDateBody, jobSuspensionBody, priorityBody, retriesBody, suspensionStateBody } from '../body-schemas.js';
import { jobDto } from '../dtos/job-dtos.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

const SORT_KEYS = ['jobId', 'executionId', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey', 'jobPriority', 'jobRetries', 'jobDueDate', 'jobDefinitionId', 'tenantId'] as const;

function jobFilter(query: QueryReader): Omit<JobFilter, 'now'> {
  return definedOnly({
    id: query.string('jobId'),
    jobIds: query.list('jobIds'),
    jobDefinitionId: query.string('jobDefinitionId'),
    processInstanceId: query.string('processInstanceId'),
    processInstanceIds: query.list('processInstanceIds'),
    executionId: query.string('executionId'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    activityId: query.string('activityId'),
    failedActivityId: query.string('failedActivityId'),
    withRetriesLeft: query.boolean('withRetriesLeft'),
    executable: query.boolean('executable'),
    timers: query.boolean('timers'),
    messages: query.boolean('messages'),
    dueDates: query.dateConditions('dueDates'),
    createTimes: query.dateConditions('createTimes'),
    withException: query.boolean('withException'),
    exceptionMessage: query.string('exceptionMessage'),
    acquired: query.boolean('acquired'),
    noRetriesLeft: query.boolean('noRetriesLeft'),
    active: query.boolean('active'),
    suspended: query.boolean('suspended'),
    priorityLowerThanOrEquals: query.integer('priorityLowerThanOrEquals'),
    priorityHigherThanOrEquals: query.integer('priorityHigherThanOrEquals'),
    tenantIdIn: query.list('tenantIdIn'),
    includeJobsWithoutTenantId: query.boolean('includeJobsWithoutTenantId'),
    withoutTenantId: query.boolean('withoutTenantId'),
  });
}

export function jobRouter(ctx: ServiceContext): Router {
  const router = Router();
  const jobs = { list: (filter: Omit<JobFilter, 'now'>, options: Parameters<typeof listJobs>[2]) => listJobs(ctx, filter, options), count: (filter: Omit<JobFilter, 'now'>) => countJobs(ctx, filter) };
  mountListRoutes(router, { path: '/job', readModel: jobs, sortKeys: SORT_KEYS, filter: jobFilter, toDto: jobDto, post: true });
  router.put('/job/suspended', async (req, res) => {
    const { suspended, ...selector } = readBody(req, jobSuspensionBody);
    await setJobsSuspended(ctx, selector, suspended === true);
    sendNoContent(res);
  });
  router.get('/job/:id', async (req, res) => sendJson(res, jobDto(await getJob(ctx, req.params.id))));
  router.get('/job/:id/stacktrace', async (req, res) => {
    const job = await findJobOrFail(ctx, req.params.id, `No job found with id ${req.params.id}: job is null`);
    if (job.exception_stacktrace === null) throw new InvalidRequestError(404, `Job with id ${req.params.id} has no stacktrace`);
    res.type('text/plain').send(job.exception_stacktrace);
  });
  router.put('/job/:id/retries', async (req, res) => {
    const { retries } = readBody(req, retriesBody);
    await setJobRetries(ctx, req.params.id, retries ?? Number.NaN);
    sendNoContent(res);
  });
  router.put('/job/:id/duedate', async (req, res) => {
    const { duedate } = readBody(req, dueDateBody);
    let due: Date | null = null;
    try {
      due = duedate ? parseCamundaDate(duedate) : null;
    } catch {
      throw new InvalidRequestError(400, `Cannot set due date of job ${req.params.id}: '${duedate}' is no date`);
    }
    await setJobDueDate(ctx, req.params.id, due);
    sendNoContent(res);
  });
  router.put('/job/:id/suspended', async (req, res) => {
    await setJobSuspended(ctx, req.params.id, readBody(req, suspensionStateBody).suspended === true);
    sendNoContent(res);
  });
  router.post('/job/:id/execute', async (req, res) => {
    await executeJobNow(ctx, req.params.id);
    sendNoContent(res);
  });
  router.delete('/job/:id', async (req, res) => {
    await deleteJob(ctx, req.params.id);
    sendNoContent(res);
  });
  router.put('/job/:id/priority', async (req, res) => {
    await setJobPriority(ctx, req.params.id, readBody(req, priorityBody).priority);
    sendNoContent(res);
  });
  router.post('/job/:id/duedate/recalculate', async (req, res) => {
    const creationDateBased = new QueryReader(req.query as Record<string, unknown>).boolean('creationDateBased') ?? false;
    await recalculateJobDueDate(ctx, req.params.id, creationDateBased);
    sendNoContent(res);
  });
  return router;
}
