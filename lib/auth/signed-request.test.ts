import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS, IDENTITY_HEADERS, signRequest, verifyRequest, type SignedRequestTarget } from './signed-request';

const SECRET = 'signing-secret-for-unit-tests-0123456789';
const NOW = Date.UTC(2026, 2, 1, 10, 0, 0);
const customer = { sub: 'customer-1', roles: [] as string[] };
const admin = { sub: 'admin-1', roles: ['admin', 'support'] };
const ME = JSON.stringify({ query: '{ me { id } }', variables: {} });
const ORDERS = JSON.stringify({ query: '{ me { orders(first: 5) { edges { node { id } } } } }', variables: {} });
const request: SignedRequestTarget = { method: 'POST', path: '/graphql', body: ME };

/** The signature format of signed-request.ts, computed independently: what another signer would send. */
const hmacOver = (target: SignedRequestTarget, sub: string, roles: string, timestamp: string) => {
  const digest = createHash('sha256').update(target.body ?? '').digest('base64url');
  const payload = JSON.stringify(['v2', target.method, target.path, sub, roles, timestamp, digest]);
  return createHmac('sha256', SECRET).update(payload).digest('base64url');
};

const signed = (caller = admin, target: SignedRequestTarget = request, now = NOW) => signRequest({ caller, ...target }, SECRET, now);

describe('signed requests', () => {
  it('verifies what was signed for the same request, roles included', () => {
    expect(verifyRequest(signed(admin), request, SECRET, { now: NOW })).toEqual({ status: 'verified', identity: admin });
    expect(verifyRequest(signed(customer), request, SECRET, { now: NOW })).toEqual({ status: 'verified', identity: customer });
  });

  it('carries the four headers, the timestamp in milliseconds', () => {
    const headers = signed(admin);
    expect(Object.keys(headers).sort()).toEqual(Object.values(IDENTITY_HEADERS).sort());
    expect(headers[IDENTITY_HEADERS.sub]).toBe('admin-1');
    expect(headers[IDENTITY_HEADERS.roles]).toBe('admin,support');
    expect(headers[IDENTITY_HEADERS.timestamp]).toBe(String(NOW));
  });

  it.each([
    ['a line feed in sub', { sub: 'customer-1\nx', roles: [] }],
    ['a space in sub', { sub: ' customer-1', roles: [] }],
    ['a comma in a role', { sub: 'customer-1', roles: ['customer,admin'] }],
    ['an empty role', { sub: 'customer-1', roles: [''] }],
  ])('never signs a caller with %s (headers would not carry it intact)', (_what, caller) => {
    expect(() => signed(caller)).toThrow(/^refusing to sign a malformed identity: sub must be 1 to 200 visible ASCII characters/);
  });

  it('rejects a signed identity that is malformed (an empty role between commas)', () => {
    // What a signer that joined ['admin', '', 'support'] itself would send: a valid signature over a bad shape.
    const headers = { ...signed(admin), [IDENTITY_HEADERS.roles]: 'admin,support', [IDENTITY_HEADERS.signature]: hmacOver(request, 'admin-1', 'admin,support', String(NOW)) };
    expect(verifyRequest(headers, request, SECRET, { now: NOW })).toEqual({ status: 'verified', identity: admin });
    const sloppy = { ...headers, [IDENTITY_HEADERS.roles]: 'admin,,support', [IDENTITY_HEADERS.signature]: hmacOver(request, 'admin-1', 'admin,,support', String(NOW)) };
    expect(verifyRequest(sloppy, request, SECRET, { now: NOW })).toEqual({ status: 'rejected', reason: 'malformed identity' });
  });

  it('reads no identity headers as anonymous', () => {
    expect(verifyRequest({}, request, SECRET, { now: NOW })).toEqual({ status: 'anonymous' });
    expect(verifyRequest({ 'content-type': 'application/json' }, request, SECRET, { now: NOW })).toEqual({ status: 'anonymous' });
  });

  it('rejects made-up headers without a signature, and a signature made with another secret', () => {
    const forged = { [IDENTITY_HEADERS.sub]: 'admin-1', [IDENTITY_HEADERS.roles]: 'admin', [IDENTITY_HEADERS.timestamp]: String(NOW) };
    expect(verifyRequest(forged, request, SECRET, { now: NOW })).toEqual({ status: 'rejected', reason: 'incomplete identity headers' });
    const other = signRequest({ caller: admin, ...request }, 'some-other-secret-0123456789abcdef0123', NOW);
    expect(verifyRequest(other, request, SECRET, { now: NOW })).toEqual({
      status: 'rejected',
      reason: 'identity signature does not match this request (caller, method, path or body differ, or another key)',
    });
  });

  it.each([
    ['another body (another operation)', { ...request, body: ORDERS }],
    ['the same body with one byte changed', { ...request, body: ME.replace('me', 'me ') }],
    ['another method', { ...request, method: 'GET' }],
    ['another path', { ...request, path: '/internal/commands' }],
    ['a query string added', { ...request, path: '/graphql?x=1' }],
    ['no body', { method: 'POST', path: '/graphql' }],
  ])('rejects the headers of one request replayed with %s', (_label, target) => {
    expect(verifyRequest(signed(admin), target as SignedRequestTarget, SECRET, { now: NOW }).status).toBe('rejected');
  });

  it('hashes bytes: a Buffer of the same UTF-8 text verifies, and so does a non-ASCII body', () => {
    const body = JSON.stringify({ query: 'mutation { cancelOrder(id: "1", reason: "trop cher: 12 €") { id } }' });
    const headers = signRequest({ caller: customer, method: 'POST', path: '/graphql', body }, SECRET, NOW);
    expect(verifyRequest(headers, { method: 'POST', path: '/graphql', body: Buffer.from(body, 'utf8') }, SECRET, { now: NOW }).status).toBe('verified');
  });

  it.each([
    ['the subject', IDENTITY_HEADERS.sub, 'customer-2'],
    ['the roles', IDENTITY_HEADERS.roles, 'admin'],
    ['the timestamp', IDENTITY_HEADERS.timestamp, String(NOW - 1)],
    ['the signature', IDENTITY_HEADERS.signature, 'AAAA'],
  ])('rejects headers whose %s was altered', (_label, name, value) => {
    const headers = { ...signed(customer), [name]: value };
    expect(verifyRequest(headers, request, SECRET, { now: NOW }).status).toBe('rejected');
  });

  it(`accepts a timestamp up to ${DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS} s away either way by default, and rejects beyond`, () => {
    const windowMs = DEFAULT_SIGNED_REQUEST_WINDOW_SECONDS * 1000;
    const headers = signed(admin);
    expect(verifyRequest(headers, request, SECRET, { now: NOW + windowMs }).status).toBe('verified');
    expect(verifyRequest(headers, request, SECRET, { now: NOW - windowMs }).status).toBe('verified');
    expect(verifyRequest(headers, request, SECRET, { now: NOW + windowMs + 1 })).toEqual({
      status: 'rejected',
      reason: `identity signature is ${windowMs + 1} ms old, more than the ${windowMs} ms allowed`,
    });
    expect(verifyRequest(headers, request, SECRET, { now: NOW - windowMs - 1 })).toEqual({
      status: 'rejected',
      reason: `identity signature is dated ${windowMs + 1} ms in the future, more than the ${windowMs} ms allowed`,
    });
  });

  it('honours a configured window (SIGNED_REQUEST_WINDOW_SECONDS)', () => {
    const headers = signed(admin);
    expect(verifyRequest(headers, request, SECRET, { now: NOW + 2500, windowSeconds: 2 }).status).toBe('rejected');
    expect(verifyRequest(headers, request, SECRET, { now: NOW + 2500, windowSeconds: 3 }).status).toBe('verified');
  });

  it('rejects a malformed timestamp', () => {
    const headers = { ...signed(admin), [IDENTITY_HEADERS.timestamp]: '1e12' };
    expect(verifyRequest(headers, request, SECRET, { now: NOW })).toEqual({ status: 'rejected', reason: 'malformed identity timestamp' });
  });

  it('reads a fetch Headers object and repeated Node header values', () => {
    const headers = signed(admin);
    expect(verifyRequest(new Headers(headers), request, SECRET, { now: NOW }).status).toBe('verified');
    const repeated = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value, 'ignored']]));
    expect(verifyRequest(repeated, request, SECRET, { now: NOW }).status).toBe('verified');
  });
});
