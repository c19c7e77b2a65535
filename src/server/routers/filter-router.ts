/** `/filter`: Tasklist's saved task queries (create, read, update, delete) and running them as `GET /task` runs its query. */
import { Router, type Request } from 'express';
import { CamundaError, InvalidRequestError, ProcessEngineError } from '../../core/errors.js';
import { createFilter, deleteFilter, filterReadModel, getFilter, updateFilter, type FilterContent, type FilterRow } from '../../services/filter-service.js';
import { readModels } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { taskDto } from '../dtos/runtime-dtos.js';
import { resourceOptions } from '../dtos/links.js';
import { definedOnly, QueryReader, requestQuery } from '../query-reader.js';
import { bodySchema, readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';
import { extendingQueryBody, storedTaskQuery, taskQueryDto, taskQueryParameters, taskQuerySchema } from '../stored-task-query.js';
import { TASK_SORT_KEYS, taskFilter } from './task-router.js';

interface FilterBody {
  resourceType?: string | null;
  name?: string | null;
  owner?: string | null;
  query?: Record<string, unknown> | null;
  properties?: Record<string, unknown> | null;
}

const filterBody = bodySchema<FilterBody>({
  type: 'object',
  properties: {
    resourceType: { type: 'string', nullable: true },
    name: { type: 'string', nullable: true },
    owner: { type: 'string', nullable: true },
    query: taskQuerySchema,
    properties: { type: 'object', nullable: true },
  },
});

const SORT_KEYS = ['filterId', 'resourceType', 'name', 'owner'];
const INVALID_EXTENSION = 'Filter cannot be extended by an invalid query';
/** What Camunda's query says to a sorting whose sortBy it does not know. */
const UNORDERED_DIRECTION = 'You should call any of the orderBy methods first before specifying a direction: currentOrderingProperty is null';

/** FilterDto; `itemCount` only when asked for, as Camunda leaves it out otherwise. */
function filterDto(row: FilterRow, itemCount?: number) {
  return {
    id: row.id,
    resourceType: row.resource_type,
    name: row.name,
    owner: row.owner,
    query: taskQueryDto(row.query),
    properties: row.properties,
    ...(itemCount === undefined ? {} : { itemCount }),
  };
}

/** The filter's content from a body, or `invalid` (Camunda's NotValidException answer) for a missing name or query, or a query it cannot run. */
function filterContent(body: FilterBody, invalid: string): FilterContent {
  if (typeof body.name !== 'string' || body.name === '' || !body.query) throw new InvalidRequestError(400, invalid);
  // Camunda's own message for what it refuses too; the reason added where only this engine refuses.
  const query = storedTaskQuery(body.query, TASK_SORT_KEYS, (detail, kind) => new InvalidRequestError(400, kind === 'sorting' ? invalid : `${invalid}: ${detail}`));
  const properties = body.properties ?? {};
  for (const [name, value] of [['query', query], ['properties', properties]] as const) {
    if (!storableInJsonb(value)) throw new InvalidRequestError(400, `Property '${name}' holds text PostgreSQL cannot store as JSON: a NUL character (\\u0000) or an unpaired surrogate.`);
  }
  return { name: body.name, owner: body.owner ?? null, query, properties };
}

/** A NUL or a lone UTF-16 surrogate, which PostgreSQL's jsonb refuses in any string, keys included. */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function storableInJsonb(value: unknown): boolean {
  if (typeof value === 'string') return !UNSTORABLE_TEXT.test(value);
  if (Array.isArray(value)) return value.every(storableInJsonb);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([key, item]) => !UNSTORABLE_TEXT.test(key) && storableInJsonb(item));
  return true;
}

export function filterRouter(ctx: ServiceContext): Router {
  const router = Router();
  const filters = filterReadModel(ctx);
  const tasks = readModels(ctx).tasks;

  /**
   * The stored query extended by a POST body (`{}` extends nothing), as `GET /task` parameters. An invalid extension
   * answers Camunda's message; its list fails on a bad sorting with the engine's own NotValidException (it reads the
   * extension before it catches anything).
   */
  function executedQuery(row: FilterRow, req: Request, rawSortingError = false): QueryReader {
    let extension: Record<string, unknown> | null = null;
    if (req.method === 'POST') {
      const body = readBody(req, extendingQueryBody) ?? {};
      extension = Object.keys(body).length === 0 ? null : storedTaskQuery(body, TASK_SORT_KEYS, (detail, kind) => {
        if (kind === 'unsupported') return new InvalidRequestError(400, `${INVALID_EXTENSION}: ${detail}`);
        return rawSortingError ? new CamundaError(400, 'NotValidException', UNORDERED_DIRECTION) : new InvalidRequestError(400, INVALID_EXTENSION);
      });
    }
    const paging = new QueryReader(req.query as Record<string, unknown>);
    return new QueryReader({ ...taskQueryParameters(row.query, extension), firstResult: paging.integer('firstResult'), maxResults: paging.integer('maxResults') });
  }

  async function itemCount(row: FilterRow): Promise<number> {
    return tasks.count(taskFilter(new QueryReader(taskQueryParameters(row.query, null))));
  }

  const listFilters = (query: QueryReader) => definedOnly({
    filterId: query.string('filterId'),
    resourceType: query.string('resourceType'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    owner: query.string('owner'),
  });

  router.get('/filter', async (req, res) => {
    const query = requestQuery(req);
    const rows = await filters.list(listFilters(query), query.listOptions(SORT_KEYS));
    const withCount = query.boolean('itemCount') === true;
    const dtos = [];
    for (const row of rows) dtos.push(filterDto(row, withCount ? await itemCount(row) : undefined));
    sendJson(res, dtos);
  });
  router.get('/filter/count', async (req, res) => sendJson(res, { count: await filters.count(listFilters(requestQuery(req))) }));

  router.options('/filter', (req, res) => {
    sendJson(res, resourceOptions(req, '/filter', [['GET', '', 'list'], ['GET', '/count', 'count'], ['POST', '/create', 'create']]));
  });

  router.post('/filter/create', async (req, res) => {
    const body = readBody(req, filterBody);
    if (body.resourceType !== 'Task') throw new InvalidRequestError(400, `Unable to create filter with invalid resource type '${body.resourceType ?? 'null'}'`);
    sendJson(res, filterDto(await createFilter(ctx, filterContent(body, 'Unable to create filter with invalid content'))));
  });

  router.options('/filter/:id', (req, res) => {
    const path = `/filter/${encodeURIComponent(req.params.id)}`;
    sendJson(res, resourceOptions(req, path, [
      ['GET', '', 'self'], ['GET', '/singleResult', 'singleResult'], ['POST', '/singleResult', 'singleResult'], ['GET', '/list', 'list'],
      ['POST', '/list', 'list'], ['GET', '/count', 'count'], ['POST', '/count', 'count'], ['DELETE', '', 'delete'], ['PUT', '', 'update'],
    ]));
  });

  router.get('/filter/:id', async (req, res) => {
    const row = await getFilter(ctx, req.params.id);
    const withCount = new QueryReader(req.query as Record<string, unknown>).boolean('itemCount') === true;
    sendJson(res, filterDto(row, withCount ? await itemCount(row) : undefined));
  });

  router.put('/filter/:id', async (req, res) => {
    const body = readBody(req, filterBody);
    const row = await getFilter(ctx, req.params.id);
    if (body.resourceType !== undefined && body.resourceType !== null && body.resourceType !== row.resource_type) {
      throw new InvalidRequestError(400, `Unable to update filter from resource type '${row.resource_type}' to '${body.resourceType}'`);
    }
    await updateFilter(ctx, row.id, filterContent(body, 'Unable to update filter with invalid content'));
    sendNoContent(res);
  });

  router.delete('/filter/:id', async (req, res) => {
    await deleteFilter(ctx, req.params.id);
    sendNoContent(res);
  });

  for (const method of ['get', 'post'] as const) {
    router[method]('/filter/:id/list', async (req, res) => {
      const query = executedQuery(await getFilter(ctx, req.params.id), req, true);
      const rows = await tasks.list(taskFilter(query), query.listOptions(TASK_SORT_KEYS));
      sendJson(res, rows.map((row) => taskDto(row)));
    });

    router[method]('/filter/:id/count', async (req, res) => {
      const query = executedQuery(await getFilter(ctx, req.params.id), req);
      sendJson(res, { count: await tasks.count(taskFilter(query)) });
    });

    router[method]('/filter/:id/singleResult', async (req, res) => {
      const row = await getFilter(ctx, req.params.id);
      let found;
      try {
        const query = executedQuery(row, req);
        found = await tasks.list(taskFilter(query), { ...query.listOptions(TASK_SORT_KEYS), firstResult: 0, maxResults: 2 });
      } catch (error) {
        // As Camunda: an engine failure running the query, like a query with more than one result, is the client's 400.
        if (error instanceof ProcessEngineError) throw new InvalidRequestError(400, 'Filter does not returns a valid single result');
        throw error;
      }
      if (found.length > 1) throw new InvalidRequestError(400, 'Filter does not returns a valid single result');
      if (found.length === 0) sendNoContent(res);
      else sendJson(res, taskDto(found[0]!));
    });
  }
  return router;
}
