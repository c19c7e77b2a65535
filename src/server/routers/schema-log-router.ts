/** `/schema/log`: the database schema's history as Camunda's schema log, one entry per applied migration. */
import { Router } from 'express';
import { schemaLog } from '../../services/schema-log-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { queryBody } from '../body-schemas.js';
import { dateValue } from '../dtos/date-value.js';
import { QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson } from '../respond.js';

export function schemaLogRouter(ctx: ServiceContext): Router {
  const router = Router();
  // Camunda reads `version` from the query string on GET and from the body on POST; paging is in the query string both ways.
  for (const method of ['get', 'post'] as const) {
    router[method]('/schema/log', async (req, res) => {
      const paging = new QueryReader(req.query as Record<string, unknown>);
      const query = method === 'post' ? new QueryReader({ ...readBody(req, queryBody), firstResult: paging.integer('firstResult'), maxResults: paging.integer('maxResults') }) : paging;
      const entries = await schemaLog(ctx, { version: query.string('version') }, query.listOptions(['timestamp']));
      sendJson(res, entries.map((entry) => ({ id: String(entry.id), timestamp: dateValue(entry.migration_time), version: entry.name })));
    });
  }
  return router;
}
