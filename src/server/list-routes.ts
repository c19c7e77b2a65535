/** Mounts a Camunda list resource: `GET path` and `GET path/count`, plus the POST variants where Camunda has them. */
import type { Request, Router } from 'express';
import type { ReadModel } from '../services/read-models.js';
import { queryBody } from './body-schemas.js';
import { readBody } from './read-body.js';
import { requestQuery, type QueryReader } from './query-reader.js';
import { sendJson } from './respond.js';

export interface ListResource<F, R> {
  path: string;
  readModel: ReadModel<F, R>;
  /** Camunda's sortBy values for this resource. */
  sortKeys: readonly string[];
  filter(query: QueryReader): F;
  toDto(row: R, query: QueryReader): unknown;
  /** Replaces toDto where a page's DTOs need more than its rows (one more query for the whole page). */
  toDtos?(rows: R[], query: QueryReader): Promise<unknown[]>;
  /** Whether Camunda also accepts the query as a POST body. */
  post: boolean;
  /** Whether the POST variant has a `/count` too (default: yes; Camunda's historic details have none). */
  postCount?: boolean;
}

/** The query of a list request; a POST body of another shape than a query object is refused first. */
function queryOf(req: Request): QueryReader {
  if (req.method === 'POST') readBody(req, queryBody);
  return requestQuery(req);
}

export function mountListRoutes<F, R>(router: Router, resource: ListResource<F, R>): void {
  const methods = resource.post ? (['get', 'post'] as const) : (['get'] as const);
  for (const method of methods) {
    router[method](resource.path, async (req, res) => {
      const query = queryOf(req);
      const rows = await resource.readModel.list(resource.filter(query), query.listOptions(resource.sortKeys));
      sendJson(res, resource.toDtos ? await resource.toDtos(rows, query) : rows.map((row) => resource.toDto(row, query)));
    });
    if (method === 'post' && resource.postCount === false) continue;
    router[method](`${resource.path}/count`, async (req, res) => {
      const query = queryOf(req);
      query.sortingOptions(resource.sortKeys);
      sendJson(res, { count: await resource.readModel.count(resource.filter(query)) });
    });
  }
}
