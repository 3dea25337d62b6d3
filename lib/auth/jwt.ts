import { createSecretKey } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { UnauthenticatedError } from '../ddd';
import { ROLES_RULE, SUB_RULE, isWellFormedRoles, isWellFormedSub, type Identity } from './identity';

/** The longest token lifetime accepted when the settings name none (JWT_MAX_TTL_SECONDS). */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 86_400;

export interface JwtSettings {
  readonly secret: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  /** The longest lifetime a token may have: exp - iat, or exp - now when it has no iat. */
  readonly maxTtlSeconds?: number;
}

/** A caller proven by a token, with the moment the token expires (subscriptions end then). */
export interface VerifiedIdentity extends Identity {
  /** The token's `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

/**
 * Verifies bearer tokens: HS256 with a shared secret locally, or keys from a JWKS URL in production
 * (docs/architecture.md §3). Anything wrong with a presented token is UNAUTHENTICATED, never a silent downgrade to anonymous.
 */
export function createTokenVerifier(settings: JwtSettings): TokenVerifier {
  const maxTtlSeconds = settings.maxTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS;
  // A token that never expires cannot be revoked by time (RFC 8725 2.x: bound token lifetime).
  const options: JWTVerifyOptions = {
    requiredClaims: ['exp'],
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  };
  let verify: (token: string) => Promise<JWTPayload>;
  if (settings.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl));
    verify = async (token) => (await jwtVerify(token, keys, options)).payload;
  } else if (settings.secret) {
    // Imported once: given raw bytes, jose imports the key again on every verification.
    const key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
    const hs256: JWTVerifyOptions = { ...options, algorithms: ['HS256'] };
    verify = async (token) => (await jwtVerify(token, key, hs256)).payload;
  } else {
    throw new Error('JWT verification needs JWT_SECRET or JWT_JWKS_URL');
  }

  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      throw new UnauthenticatedError(`invalid token: ${describeJoseError(error)}`);
    }
    const expiresAt = payload.exp as number;
    const lifetime = expiresAt - (typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000));
    if (lifetime > maxTtlSeconds) {
      throw new UnauthenticatedError(`invalid token: its lifetime of ${lifetime} s exceeds the maximum of ${maxTtlSeconds} s`);
    }
    // Checked here, where a bad claim is still the caller's mistake (UNAUTHENTICATED), rather than failing later
    // as a header the HTTP client refuses (identity.ts says why these shapes).
    if (!isWellFormedSub(payload.sub)) throw new UnauthenticatedError(`invalid token: the "sub" claim must be ${SUB_RULE}`);
    const roles = payload['roles'] === undefined ? [] : payload['roles'];
    if (!isWellFormedRoles(roles)) throw new UnauthenticatedError(`invalid token: the "roles" claim must be ${ROLES_RULE}`);
    return { sub: payload.sub, roles, expiresAt };
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return error.reason === 'missing' ? `it has no "${error.claim}" claim` : `claim "${error.claim}" is not acceptable`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'it is not a well-formed JWT';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its signing algorithm is not accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no signing key matches it';
  return 'it could not be verified';
}

/** Reads `Authorization: Bearer <token>`; undefined when absent, UNAUTHENTICATED when present but malformed. */
export function bearerToken(authorization: string | undefined | null): string | undefined {
  if (authorization === undefined || authorization === null || authorization.trim() === '') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization.trim());
  if (!match?.[1]) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** A development token signed with the local HS256 secret (`npm run token`, tests). */
export async function signDevToken(
  claims: { sub: string; roles?: readonly string[]; ttlSeconds?: number },
  secret: string,
  settings: Pick<JwtSettings, 'issuer' | 'audience'> = { issuer: undefined, audience: undefined },
): Promise<string> {
  let jwt = new SignJWT({ roles: [...(claims.roles ?? [])] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`);
  if (settings.issuer) jwt = jwt.setIssuer(settings.issuer);
  if (settings.audience) jwt = jwt.setAudience(settings.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
