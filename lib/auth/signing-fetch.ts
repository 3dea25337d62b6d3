import type { Caller } from './identity';
import { IDENTITY_HEADERS, signRequest } from './signed-request';

type FetchInit = { method?: string; headers?: Record<string, string>; body?: string };
type FetchLike = (url: string, init?: FetchInit) => Promise<unknown>;

/**
 * The caller's claims, unsigned, for a request that will leave through identitySigningFetch. Apollo's data
 * source knows the caller (willSendRequest) but serialises the body later; the fetch sees the final bytes.
 * Claims that reach a subgraph unsigned are rejected there (anonymous), so a path that skips the signing fetch
 * fails closed.
 */
export function identityClaims(caller: Caller): Record<string, string> {
  return caller === null ? {} : { [IDENTITY_HEADERS.sub]: caller.sub, [IDENTITY_HEADERS.roles]: caller.roles.join(',') };
}

/**
 * Wraps a fetch so that a request carrying identity claims leaves signed over its method, request target and
 * exact body (signRequest). Place it outside a SigV4-signing fetch, so SigV4 covers the identity headers too.
 */
export function identitySigningFetch<F extends FetchLike>(base: F, secret: string, now: () => number = Date.now): F {
  const wrapped = async (url: string, init: FetchInit = {}) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    const sub = headers[IDENTITY_HEADERS.sub];
    const roles = headers[IDENTITY_HEADERS.roles];
    if (sub === undefined || roles === undefined) return base(url, init);
    const target = new URL(url);
    const signed = signRequest(
      { caller: { sub, roles: roles === '' ? [] : roles.split(',') }, method: init.method ?? 'GET', path: `${target.pathname}${target.search}`, body: init.body },
      secret,
      now(),
    );
    return base(url, { ...init, headers: { ...headers, ...signed } });
  };
  return wrapped as F;
}
