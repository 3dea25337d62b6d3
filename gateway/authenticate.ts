import { bearerToken, type TokenVerifier, type VerifiedIdentity } from '../lib/auth';

/**
 * The caller behind a request: anonymous without an Authorization header; a verified identity with a valid
 * bearer token; UNAUTHENTICATED (thrown) for a malformed, forged or expired one. A bad token never falls back
 * to anonymous access.
 */
export async function authenticate(verify: TokenVerifier, authorization: string | undefined | null): Promise<VerifiedIdentity | null> {
  const token = bearerToken(authorization);
  return token === undefined ? null : verify(token);
}
