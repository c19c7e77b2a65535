/** OIDC bearer tokens for service-to-service calls: a JWT checked against the configured JWKS, issuer and audience. */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Authentication } from '../services/authentication.js';
import type { Logger } from '../services/service-context.js';
import { errorFields } from '../telemetry/error-fields.js';
import type { TokenAuthenticator } from './authentication.js';

export interface OidcOptions {
  /** The keys themselves (OIDC_JWKS_FILE), or where to fetch them (OIDC_JWKS_URL; fetched again on an unknown key id). */
  jwks: JSONWebKeySet | URL;
  issuer: string;
  audience: string;
  /** The claim holding the user id (`sub`) and the one holding the group ids (`groups`). */
  userIdClaim: string;
  groupsClaim: string;
}

/** Group ids from a claim: an array of strings, or one space-separated string as some providers send it. */
function groupsOf(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return [];
}

/** Public-key signatures only: a shared-secret (HS*) key in a JWKS would let whoever reads the JWKS mint tokens. */
const SIGNATURE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * A token is refused (null) for a bad signature, an unknown key, a wrong issuer or audience, an expired or not yet
 * valid one, one without an expiry (`exp`), one signed with a shared secret, or one without the user id claim;
 * `alg: none` never verifies. Only a JWKS that cannot be fetched is an
 * error of the server, logged, and still answered 401: the caller cannot tell a broken provider from a bad token.
 */
export function oidcBearer(options: OidcOptions, logger: Logger): TokenAuthenticator {
  const keys = options.jwks instanceof URL ? createRemoteJWKSet(options.jwks) : createLocalJWKSet(options.jwks);
  return async (token: string): Promise<Authentication | null> => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: options.issuer, audience: options.audience, algorithms: SIGNATURE_ALGORITHMS, requiredClaims: ['exp'] });
      const userId = payload[options.userIdClaim];
      if (typeof userId !== 'string' || userId === '') return null;
      return { userId, groupIds: groupsOf(payload, options.groupsClaim) };
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || (error instanceof Error && !(error instanceof errors.JOSEError))) {
        logger.warn('Bearer token not checked: the JWKS could not be read', { err: errorFields(error) });
      }
      return null;
    }
  };
}
