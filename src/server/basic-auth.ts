/** HTTP Basic authentication for the REST API, answered as Camunda's engine-rest does: 401, an empty body, a challenge. */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** User name → password. */
export type BasicAuthUsers = ReadonlyMap<string, string>;

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function credentialsOf(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Camunda Modeler and clients probe `GET /engine` before they authenticate, so it stays open, as in Camunda. */
export function basicAuth(users: BasicAuthUsers): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' && req.path === '/engine') return next();
    const credentials = credentialsOf(req.headers.authorization);
    const password = credentials ? users.get(credentials.user) : undefined;
    if (credentials && password !== undefined && same(password, credentials.password)) return next();
    res.status(401);
    // A browser meeting the challenge shows its own login box (and holds the request until it closes); the web
    // app marks its requests so it can ask in the page instead. Other clients get Camunda's challenge.
    if (req.headers['x-requested-with'] !== 'XMLHttpRequest') res.setHeader('WWW-Authenticate', 'Basic realm="default"');
    res.end();
  };
}
