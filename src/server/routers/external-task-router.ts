/** `/external-task`: fetchAndLock with long polling, complete, failure, bpmnError, locks, retries, priority, queries. */
import { Router } from 'express';
import { BadUserRequestError, CamundaError, InvalidRequestError, NullValueError, RestError } from '../../core/errors.js';
import { toExactJson } from '../../core/exact-json.js';
import type { TopicClaim, TopicVariables } from '../../services/external-task-service.js';
import {
  completeExternalTask,
  extendExternalTaskLock,
  externalTaskTopicNames,
  failExternalTask,
  getExternalTask,
  getExternalTaskErrorDetails,
  lockExternalTask,
  setExternalTaskPriority,
  setExternalTaskRetries,
  throwExternalTaskBpmnError,
  unlockExternalTask,
} from '../../services/external-task-service.js';
import type { FetchAndLockWaiter } from '../../services/fetch-and-lock-waiter.js';
import { readModels, type ExternalTaskFilter } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { externalTaskDto, lockedExternalTaskDto } from '../dtos/external-task-dtos.js';
import {
  completeExternalTaskBody,
  extendLockBody,
  externalTaskBpmnErrorBody,
  externalTaskFailureBody,
  fetchAndLockBody,
  lockExternalTaskBody,
  priorityBody,
  retriesBody,
  type FetchAndLockBody,
} from '../body-schemas.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

/** `Prefer: traceparent` (RFC 7240) on fetchAndLock: the answer adds each task's `traceparent`. */
export const TRACEPARENT_PREFERENCE = 'traceparent';

function prefersTraceparent(header: string | undefined): boolean {
  return header !== undefined && header.split(',').some((preference) => preference.split(';')[0]!.split('=')[0]!.trim().toLowerCase() === TRACEPARENT_PREFERENCE);
}

const SORT_KEYS = ['id', 'lockExpirationTime', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey', 'tenantId', 'taskPriority', 'createTime'] as const;

/** A process variable filter value compared as the variable table's text form (how typed values are stored). */
function variableText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? toExactJson(value) : String(value);
}

function parseFetch(body: FetchAndLockBody): { workerId: string; maxTasks: number; usePriority: boolean; createTimeOrder?: 'asc' | 'desc'; claims: TopicClaim[]; topics: TopicVariables[]; asyncResponseTimeout: number } {
  if (!body.workerId) throw new NullValueError('workerId is null');
  const maxTasks = body.maxTasks ?? 10;
  if (!Number.isInteger(maxTasks) || maxTasks < 0) throw new BadUserRequestError('maxResults is not greater than or equal to 0');
  const asyncResponseTimeout = body.asyncResponseTimeout ?? 0;
  if (typeof asyncResponseTimeout !== 'number' || asyncResponseTimeout < 0) throw new InvalidRequestError(400, 'asyncResponseTimeout must be a number of milliseconds ≥ 0');
  const claims = (body.topics ?? []).map((topic) => {
    if (!topic.topicName) throw new NullValueError('topicName is null');
    if (typeof topic.lockDuration !== 'number' || topic.lockDuration <= 0) throw new BadUserRequestError('lockTime is not greater than 0');
    // A filter sent as null is no filter, as with Jackson.
    return definedOnly({
      topicName: topic.topicName,
      lockDuration: topic.lockDuration,
      businessKey: topic.businessKey ?? undefined,
      processDefinitionId: topic.processDefinitionId ?? undefined,
      processDefinitionIdIn: topic.processDefinitionIdIn ?? undefined,
      processDefinitionKey: topic.processDefinitionKey ?? undefined,
      processDefinitionKeyIn: topic.processDefinitionKeyIn ?? undefined,
      processDefinitionVersionTag: topic.processDefinitionVersionTag ?? undefined,
      tenantIdIn: topic.tenantIdIn ?? undefined,
      withoutTenantId: topic.withoutTenantId ?? undefined,
      processVariables: topic.processVariables ? Object.fromEntries(Object.entries(topic.processVariables).map(([name, value]) => [name, variableText(value)])) : undefined,
    });
  });
  const sort = body.sorting?.find((s) => s?.sortBy === 'createTime');
  return {
    workerId: body.workerId,
    maxTasks,
    usePriority: body.usePriority ?? false,
    createTimeOrder: sort?.sortOrder === 'desc' ? 'desc' : sort ? 'asc' : undefined,
    claims,
    topics: (body.topics ?? []).map((topic) => ({
      topicName: topic.topicName!,
      variables: topic.variables ?? null,
      localVariables: topic.localVariables ?? false,
      deserializeValues: topic.deserializeValues ?? false,
      includeExtensionProperties: topic.includeExtensionProperties ?? false,
    })),
    asyncResponseTimeout,
  };
}

/** What the engine refuses as the caller's mistake: a wrong worker, a suspended task, a duration or retries out of range. */
const REFUSALS = new Set(['BadUserRequestException', 'SuspendedEntityInteractionException']);

/** Camunda's external task resource answers a worker's refused report or lock as a 400 RestException with the engine's message. */
async function refusedAsRestException(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CamundaError && REFUSALS.has(error.type)) throw new RestError(400, error.message, { cause: error });
    throw error;
  }
}

export function externalTaskFilter(query: QueryReader, now: Date): ExternalTaskFilter {
  return definedOnly({
    externalTaskId: query.string('externalTaskId'),
    externalTaskIdIn: query.list('externalTaskIdIn'),
    topicName: query.string('topicName'),
    workerId: query.string('workerId'),
    locked: query.boolean('locked'),
    notLocked: query.boolean('notLocked'),
    withRetriesLeft: query.boolean('withRetriesLeft'),
    noRetriesLeft: query.boolean('noRetriesLeft'),
    lockExpirationAfter: query.date('lockExpirationAfter'),
    lockExpirationBefore: query.date('lockExpirationBefore'),
    activityId: query.string('activityId'),
    activityIdIn: query.list('activityIdIn'),
    executionId: query.string('executionId'),
    processInstanceId: query.string('processInstanceId'),
    processInstanceIdIn: query.list('processInstanceIdIn'),
    processDefinitionId: query.string('processDefinitionId'),
    processDefinitionKey: query.string('processDefinitionKey'),
    processDefinitionKeyIn: query.list('processDefinitionKeyIn'),
    processDefinitionName: query.string('processDefinitionName'),
    processDefinitionNameLike: query.string('processDefinitionNameLike'),
    processVariables: query.variableConditions('processVariables'),
    variableNamesIgnoreCase: query.boolean('variableNamesIgnoreCase'),
    variableValuesIgnoreCase: query.boolean('variableValuesIgnoreCase'),
    active: query.boolean('active'),
    suspended: query.boolean('suspended'),
    priorityHigherThanOrEquals: query.integer('priorityHigherThanOrEquals'),
    priorityLowerThanOrEquals: query.integer('priorityLowerThanOrEquals'),
    tenantIdIn: query.list('tenantIdIn'),
    now,
  });
}

export function externalTaskRouter(ctx: ServiceContext, waiter: FetchAndLockWaiter): Router {
  const router = Router();

  router.post('/external-task/fetchAndLock', async (req, res) => {
    const fetch = parseFetch(readBody(req, fetchAndLockBody));
    const aborted = new AbortController();
    // A client that disconnects while parked frees its slot at once.
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const locked = await waiter.fetchAndLock({
      claim: {
        workerId: fetch.workerId,
        maxTasks: fetch.maxTasks,
        usePriority: fetch.usePriority,
        createTimeOrder: fetch.createTimeOrder,
        topics: fetch.claims,
      },
      topics: fetch.topics,
      asyncResponseTimeout: fetch.asyncResponseTimeout,
      signal: aborted.signal,
    });
    if (aborted.signal.aborted) return;
    if (!prefersTraceparent(req.get('prefer'))) return sendJson(res, locked.map(lockedExternalTaskDto));
    // Opted in (our worker SDK): each task also carries the trace context its worker continues. Camunda clients never ask.
    res.setHeader('Preference-Applied', TRACEPARENT_PREFERENCE);
    sendJson(res, locked.map((task) => ({ ...lockedExternalTaskDto(task), traceparent: task.task.traceparent })));
  });

  mountListRoutes(router, {
    path: '/external-task',
    readModel: readModels(ctx).externalTasks,
    sortKeys: SORT_KEYS,
    filter: (query) => externalTaskFilter(query, ctx.clock.now()),
    toDto: externalTaskDto,
    post: true,
  });

  router.get('/external-task/topic-names', async (req, res) => {
    const query = new QueryReader(req.query as Record<string, unknown>);
    sendJson(res, await externalTaskTopicNames(ctx, definedOnly({ withLockedTasks: query.boolean('withLockedTasks'), withUnlockedTasks: query.boolean('withUnlockedTasks'), withRetriesLeft: query.boolean('withRetriesLeft') })));
  });

  router.get('/external-task/:id', async (req, res) => sendJson(res, externalTaskDto(await getExternalTask(ctx, req.params.id))));

  router.get('/external-task/:id/errorDetails', async (req, res) => {
    const details = await getExternalTaskErrorDetails(ctx, req.params.id);
    if (details === null) {
      sendNoContent(res);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/plain');
    // A Buffer, so Express adds no charset to the content type.
    res.send(Buffer.from(details, 'utf8'));
  });

  router.post('/external-task/:id/complete', async (req, res) => {
    await refusedAsRestException(() => completeExternalTask(ctx, req.params.id, readBody(req, completeExternalTaskBody)));
    sendNoContent(res);
  });
  router.post('/external-task/:id/failure', async (req, res) => {
    await refusedAsRestException(() => failExternalTask(ctx, req.params.id, readBody(req, externalTaskFailureBody)));
    sendNoContent(res);
  });
  router.post('/external-task/:id/bpmnError', async (req, res) => {
    await refusedAsRestException(() => throwExternalTaskBpmnError(ctx, req.params.id, readBody(req, externalTaskBpmnErrorBody)));
    sendNoContent(res);
  });
  router.post('/external-task/:id/extendLock', async (req, res) => {
    const { workerId, newDuration } = readBody(req, extendLockBody);
    await refusedAsRestException(() => extendExternalTaskLock(ctx, req.params.id, workerId, newDuration));
    sendNoContent(res);
  });
  router.post('/external-task/:id/lock', async (req, res) => {
    const { workerId, lockDuration } = readBody(req, lockExternalTaskBody);
    await refusedAsRestException(() => lockExternalTask(ctx, req.params.id, workerId, lockDuration));
    sendNoContent(res);
  });
  router.post('/external-task/:id/unlock', async (req, res) => {
    await unlockExternalTask(ctx, req.params.id);
    sendNoContent(res);
  });
  router.put('/external-task/:id/retries', async (req, res) => {
    await setExternalTaskRetries(ctx, req.params.id, readBody(req, retriesBody).retries);
    sendNoContent(res);
  });
  router.put('/external-task/:id/priority', async (req, res) => {
    await setExternalTaskPriority(ctx, req.params.id, readBody(req, priorityBody).priority);
    sendNoContent(res);
  });
  return router;
}
