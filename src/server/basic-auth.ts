/** HTTP Basic authentication for the REST API, answered as Camunda's engine-rest does: 401, an empty body, a challenge. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { withAuthentication } from '../services/authentication.js';

/** User name → password. */
export type BasicAuthUsers = ReadonlyMap<string, string>;

/** Failed attempts per user name and per client address within the window before that key is locked out. */
export const MAX_FAILED_ATTEMPTS = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Bounds the memory that failures under random user names can take; the oldest entries go first. */
const MAX_TRACKED_KEYS = 10_000;

export interface BasicAuthOptions {
  /** The clock the lockout window is measured on; tests pass their own. */
  now?: () => number;
}

/** Compared as SHA-256 digests, so neither the content nor the length of a password shows in the timing. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Stands in for the password of an unknown user, so an unknown name costs the same comparison as a known one. */
const UNKNOWN_USER_DIGEST = digest('\u0000unknown user');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function credentialsOf(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic +(\S+)$/i.exec(header ?? '');
  if (!match || !BASE64.test(match[1])) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Counts failures per key within a fixed window that starts with the first failure. */
class FailureCounter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number) {}

  isLocked(key: string): boolean {
    const entry = this.current(key);
    return entry !== undefined && entry.count >= MAX_FAILED_ATTEMPTS;
  }

  record(key: string): void {
    const entry = this.current(key);
    if (entry) {
      entry.count += 1;
      return;
    }
    if (this.failures.size >= MAX_TRACKED_KEYS) this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(key, { count: 1, since: this.now() });
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): { count: number; since: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.since >= FAILURE_WINDOW_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}

/**
 * Camunda Modeler and clients probe `GET /engine` before they authenticate, so it stays open, as in Camunda.
 * Like Camunda's login throttling, a user name or client address with MAX_FAILED_ATTEMPTS failures within the
 * window is answered 401 even with the right password until the window ends: clients see an ordinary failure.
 */
export function basicAuth(users: BasicAuthUsers, options: BasicAuthOptions = {}): RequestHandler {
  const digests = new Map([...users].map(([user, password]) => [user, digest(password)]));
  const counter = new FailureCounter(options.now ?? Date.now);
  return (req, res, next) => {
    if (req.method === 'GET' && req.path === '/engine') return next();
    const credentials = credentialsOf(req.headers.authorization);
    const addressKey = `address:${req.ip ?? req.socket.remoteAddress ?? ''}`;
    if (credentials) {
      const userKey = `user:${credentials.user}`;
      const locked = counter.isLocked(userKey) || counter.isLocked(addressKey);
      const expected = digests.get(credentials.user);
      const matches = timingSafeEqual(expected ?? UNKNOWN_USER_DIGEST, digest(credentials.password)) && expected !== undefined;
      if (matches && !locked) {
        counter.clear(userKey);
        return withAuthentication({ userId: credentials.user, groupIds: [] }, next);
      }
      if (!locked) counter.record(userKey);
    }
    if (req.headers.authorization !== undefined && !counter.isLocked(addressKey)) counter.record(addressKey);
    res.status(401);
    // A browser meeting the challenge shows its own login box (and holds the request until it closes); the web
    // app marks its requests so it can ask in the page instead. Other clients get Camunda's challenge.
    if (req.headers['x-requested-with'] !== 'XMLHttpRequest') res.setHeader('WWW-Authenticate', 'Basic realm="default"');
    res.end();
  };
}
