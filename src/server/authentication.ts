/**
 * Authentication of the REST API, answered as Camunda's engine-rest does (401, an empty body, a challenge): HTTP Basic
 * against the configured and database users, and optionally OIDC bearer tokens. The rest of an authenticated request
 * runs on behalf of that user and their groups.
 */
import type { RequestHandler } from 'express';
import { FailureCounter, userFailureKey } from '../core/failure-counter.js';
import { withAuthentication, type Authentication } from '../services/authentication.js';

/** Checks a user name and password; null when they do not match. */
export type PasswordAuthenticator = (userId: string, password: string) => Promise<Authentication | null>;
/** Checks a bearer token; null when it is not valid (bad signature, expired, wrong issuer or audience). */
export type TokenAuthenticator = (token: string) => Promise<Authentication | null>;

export { FAILURE_WINDOW_MS, MAX_FAILED_ATTEMPTS } from '../core/failure-counter.js';

export interface AuthenticationOptions {
  /** HTTP Basic: configured users first, then the database (IdentityService.authenticate). */
  authenticate: PasswordAuthenticator;
  /** `Authorization: Bearer …`, when OIDC is configured. */
  bearer?: TokenAuthenticator | null;
  /** The clock the lockout window is measured on; tests pass their own. */
  now?: () => number;
  /** The sign-in failures, shared with the identity service so an administrator can unlock a user. */
  failures?: FailureCounter;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bearerTokenOf(header: string | undefined): string | null {
  return /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header ?? '')?.[1] ?? null;
}

function credentialsOf(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic +(\S+)$/i.exec(header ?? '');
  if (!match || !BASE64.test(match[1])) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Camunda Modeler and clients probe `GET /engine` before they authenticate, so it stays open, as in Camunda.
 * Like Camunda's login throttling, a user name or client address with MAX_FAILED_ATTEMPTS failures within the
 * window is answered 401 even with the right password until the window ends: clients see an ordinary failure.
 */
export function authentication(options: AuthenticationOptions): RequestHandler {
  const counter = options.failures ?? new FailureCounter(options.now ?? Date.now);
  return async (req, res, next) => {
    if (req.method === 'GET' && req.path === '/engine') return next();
    const addressKey = `address:${req.ip ?? req.socket.remoteAddress ?? ''}`;
    const header = req.headers.authorization;
    let authenticated: Authentication | null = null;
    const token = options.bearer ? bearerTokenOf(header) : null;
    if (token !== null && !counter.isLocked(addressKey)) {
      authenticated = await options.bearer!(token);
    }
    const credentials = token === null ? credentialsOf(header) : null;
    if (credentials) {
      const userKey = userFailureKey(credentials.user);
      const locked = counter.isLocked(userKey) || counter.isLocked(addressKey);
      // A locked-out name is not checked at all: its answer says nothing about the password (a cached right one would
      // answer faster than a wrong one), and costs no password hashing.
      const checked = locked ? null : await options.authenticate(credentials.user, credentials.password);
      if (checked) {
        counter.clear(userKey);
        authenticated = checked;
      } else if (!locked) counter.record(userKey);
    }
    if (authenticated) return withAuthentication(authenticated, next);
    if (header !== undefined && !counter.isLocked(addressKey)) counter.record(addressKey);
    res.status(401);
    // A browser meeting the challenge shows its own login box (and holds the request until it closes); the web
    // app marks its requests so it can ask in the page instead. Other clients get Camunda's challenge.
    if (req.headers['x-requested-with'] !== 'XMLHttpRequest') res.setHeader('WWW-Authenticate', 'Basic realm="default"');
    res.end();
  };
}
