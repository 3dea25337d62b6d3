import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES_RULE, SUB_RULE, isWellFormedRoles, isWellFormedSub, type Identity } from './identity';

/**
 * Who is calling, bound to the one request it was signed for (docs/architecture.md §3, issue 9). The gateway (and any
 * service sending an internal command to another) sends the caller in these headers with an HMAC-SHA256 over
 *
 *   ["v2", METHOD, request target, sub, roles, timestamp (ms), base64url(SHA-256(body bytes))]   (as JSON text)
 *
 * so a captured header set is worthless for any other operation (another body, method or path), and only for a
 * few seconds (SIGNED_REQUEST_WINDOW_SECONDS, clock skew bounded both ways). The receiver hashes the exact bytes
 * it received, never a re-serialisation. Subgraphs trust nothing else: missing, forged, stale or mismatched
 * identity makes the request anonymous.
 *
 * Replaying the same request (same body, same caller) inside the window is not prevented: that needs shared
 * state per request. It repeats a read, which is harmless, or a mutation whose repeat the domain already absorbs
 * (idempotency keys, state transitions that cannot happen twice). Capturing headers at all needs a position on
 * the private network between the gateway and the subgraphs.
 */
export const IDENTITY_HEADERS = {
  sub: 'x-identity-sub',
  roles: 'x-identity-roles',
  timestamp: 'x-identity-timestamp',
  signature: 'x-identity-signature',
} as const;

/** The default of SIGNED_REQUEST_WINDOW_SECONDS: how far the timestamp may be from the receiver's clock, either way. */
export const DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS = 5;

/** What a signature is bound to besides the caller. `path` is the request target as sent: path and query string. */
export interface SignedRequestTarget {
  readonly method: string;
  readonly path: string;
  /** The body's exact bytes (a string is taken as UTF-8); empty or absent for a request without a body. */
  readonly body?: string | Uint8Array | undefined;
}

export interface SignRequestInput extends SignedRequestTarget {
  readonly caller: Identity;
}

export interface VerifyRequestOptions {
  /** The receiver's clock, ms since the epoch. */
  readonly now?: number;
  readonly windowSeconds?: number;
}

export type IdentityVerification =
  | { readonly status: 'anonymous' }
  | { readonly status: 'verified'; readonly identity: Identity }
  | { readonly status: 'rejected'; readonly reason: string };

type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };

const VERSION = 'v2';

function bodyDigest(body: string | Uint8Array | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('base64url');
}

function canonical(target: SignedRequestTarget, sub: string, roles: string, timestamp: string): string {
  return JSON.stringify([VERSION, target.method.toUpperCase(), target.path, sub, roles, timestamp, bodyDigest(target.body)]);
}

function hmac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/**
 * The identity headers for one request: attach them to exactly the method, path and body given. The API other
 * services call for internal commands (e.g. Orders to Catalog) as well as the gateway for subgraph fetches.
 */
export function signRequest(input: SignRequestInput, secret: string, now: number = Date.now()): Record<string, string> {
  // A caller that headers cannot carry intact was let in by mistake upstream (identity.ts); never sign it.
  if (!isWellFormedSub(input.caller.sub) || !isWellFormedRoles(input.caller.roles)) {
    throw new Error(`refusing to sign a malformed identity: sub must be ${SUB_RULE}, roles ${ROLES_RULE}`);
  }
  const roles = input.caller.roles.join(',');
  const timestamp = String(Math.floor(now));
  return {
    [IDENTITY_HEADERS.sub]: input.caller.sub,
    [IDENTITY_HEADERS.roles]: roles,
    [IDENTITY_HEADERS.timestamp]: timestamp,
    [IDENTITY_HEADERS.signature]: hmac(secret, canonical(input, input.caller.sub, roles, timestamp)).toString('base64url'),
  };
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks the identity headers of an incoming request against what was received: its method, its request
 * target and the exact bytes of its body. No identity headers at all is an anonymous request.
 */
export function verifyRequest(headers: HeaderBag, target: SignedRequestTarget, secret: string, options: VerifyRequestOptions = {}): IdentityVerification {
  const now = options.now ?? Date.now();
  const windowMs = (options.windowSeconds ?? DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS) * 1000;
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
  if (!/^\d{1,15}$/.test(timestamp)) return { status: 'rejected', reason: 'malformed identity timestamp' };
  const skewMs = now - Number(timestamp);
  if (skewMs > windowMs) return { status: 'rejected', reason: `identity signature is ${skewMs} ms old, more than the ${windowMs} ms allowed` };
  if (skewMs < -windowMs) {
    return { status: 'rejected', reason: `identity signature is dated ${-skewMs} ms in the future, more than the ${windowMs} ms allowed` };
  }
  const expected = hmac(secret, canonical(target, sub, roles, timestamp));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { status: 'rejected', reason: 'identity signature does not match this request (caller, method, path or body differ, or another key)' };
  }
  const identity = { sub, roles: roles === '' ? [] : roles.split(',') };
  // Only another signer's bug gets here; a signature proves origin, not shape.
  if (!isWellFormedSub(identity.sub) || !isWellFormedRoles(identity.roles)) return { status: 'rejected', reason: 'malformed identity' };
  return { status: 'verified', identity };
}
