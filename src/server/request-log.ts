/**
 * One log line per HTTP request (method, route, path without the query, status, duration, request id), and the
 * request id on every line logged while serving it. A caller's well-formed `X-Request-Id` is kept, else one is made;
 * the response echoes it. Query strings are never logged: they may hold business keys or variable values.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { parseTraceParent } from '../core/trace-parent.js';
import type { Logger } from '../services/service-context.js';
import { withLogContext } from '../telemetry/log-context.js';
import { currentTraceparent } from '../telemetry/trace-context.js';
import { HEALTH_BASE } from './health-router.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The matched route's pattern (`/engine-rest/task/:id/complete`) when a route answered. Express has reset the
 * router's mount path by the time the response finishes, so the path's leading segments stand in for it.
 */
function routeOf(req: Request, path: string): string | undefined {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return undefined;
  if (req.baseUrl || /[*{]/.test(pattern)) return `${req.baseUrl}${pattern}`;
  const segments = path.split('/');
  return `${segments.slice(0, Math.max(1, segments.length - (pattern.split('/').length - 1))).join('/')}${pattern}`;
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdOf(req);
    const started = process.hrtime.bigint();
    // Read now: the response may finish outside the request's async context.
    const traceId = parseTraceParent(currentTraceparent())?.traceId;
    const path = req.originalUrl.split('?', 1)[0]!;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once('finish', () => {
      const fields = { requestId, traceId, method: req.method, path, route: routeOf(req, path), status: res.statusCode, durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000 };
      // Probes come every few seconds: their lines only at debug.
      if (path.startsWith(`${HEALTH_BASE}/`)) logger.debug?.('HTTP request', fields);
      else logger.info('HTTP request', fields);
    });
    withLogContext({ requestId }, next);
  };
}
