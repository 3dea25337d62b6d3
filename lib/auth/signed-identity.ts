import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Caller, Identity } from './identity';

/**
 * The gateway tells subgraphs who the caller is in these headers, signed with HMAC-SHA256 over the values and
 * a timestamp (DESIGN.md 3). Subgraphs trust nothing else: a missing, forged or stale signature makes the
 * request anonymous.
 */
export const IDENTITY_HEADERS = {
  sub: 'x-identity-sub',
  roles: 'x-identity-roles',
  timestamp: 'x-identity-timestamp',
  signature: 'x-identity-signature',
} as const;

export const IDENTITY_MAX_AGE_SECONDS = 60;

type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function canonical(sub: string, roles: string, timestamp: string): string {
  return `v1\n${sub}\n${roles}\n${timestamp}`;
}

function hmac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** Headers to attach to a subgraph request for `identity` (none for an anonymous caller). */
export function signIdentity(identity: Caller, secret: string, nowMs = Date.now()): Record<string, string> {
  if (identity === null) return {};
  const roles = identity.roles.join(',');
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [IDENTITY_HEADERS.sub]: identity.sub,
    [IDENTITY_HEADERS.roles]: roles,
    [IDENTITY_HEADERS.timestamp]: timestamp,
    [IDENTITY_HEADERS.signature]: hmac(secret, canonical(identity.sub, roles, timestamp)).toString('base64url'),
  };
}

export type IdentityVerification =
  | { readonly status: 'anonymous' }
  | { readonly status: 'verified'; readonly identity: Identity }
  | { readonly status: 'rejected'; readonly reason: string };

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Checks the signed identity headers of an incoming subgraph request. */
export function verifyIdentity(headers: HeaderBag, secret: string, nowMs = Date.now()): IdentityVerification {
  const sub = header(headers, IDENTITY_HEADERS.sub);
  const roles = header(headers, IDENTITY_HEADERS.roles);
  const timestamp = header(headers, IDENTITY_HEADERS.timestamp);
  const signature = header(headers, IDENTITY_HEADERS.signature);
  if (sub === undefined && roles === undefined && timestamp === undefined && signature === undefined) {
    return { status: 'anonymous' };
  }
  if (!sub || roles === undefined || !timestamp || !signature) {
    return { status: 'rejected', reason: 'incomplete identity headers' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { status: 'rejected', reason: 'malformed identity timestamp' };
  const ageSeconds = nowMs / 1000 - Number(timestamp);
  if (ageSeconds > IDENTITY_MAX_AGE_SECONDS || ageSeconds < -IDENTITY_MAX_AGE_SECONDS) {
    return { status: 'rejected', reason: `identity signature is ${Math.round(ageSeconds)} s old` };
  }
  const expected = hmac(secret, canonical(sub, roles, timestamp));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { status: 'rejected', reason: 'identity signature does not match' };
  }
  return { status: 'verified', identity: { sub, roles: roles === '' ? [] : roles.split(',') } };
}
