import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../ddd';
import type { Identity } from './identity';

export interface JwtSettings {
  readonly secret: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

export type TokenVerifier = (token: string) => Promise<Identity>;

/**
 * Verifies bearer tokens: HS256 with a shared secret locally, or keys from a JWKS URL in production
 * (DESIGN.md 3). Anything wrong with a presented token is UNAUTHENTICATED, never a silent downgrade to anonymous.
 */
export function createTokenVerifier(settings: JwtSettings): TokenVerifier {
  const options = {
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  };
  let verify: (token: string) => Promise<JWTPayload>;
  if (settings.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl));
    verify = async (token) => (await jwtVerify(token, keys, options)).payload;
  } else if (settings.secret) {
    const key = new TextEncoder().encode(settings.secret);
    verify = async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
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
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || payload.sub.length > 200) {
      throw new UnauthenticatedError('invalid token: the "sub" claim must be a non-empty string');
    }
    const roles = payload['roles'] ?? [];
    if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string')) {
      throw new UnauthenticatedError('invalid token: the "roles" claim must be an array of strings');
    }
    return { sub: payload.sub, roles };
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim "${error.claim}" is not acceptable`;
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
