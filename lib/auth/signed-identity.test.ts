import { describe, expect, it } from '@jest/globals';
import { IDENTITY_HEADERS, IDENTITY_MAX_AGE_SECONDS, signIdentity, verifyIdentity } from './signed-identity';

const SECRET = 'signing-secret-for-unit-tests-0123456789';
const NOW = Date.UTC(2026, 2, 1, 10, 0, 0);
const customer = { sub: 'customer-1', roles: [] as string[] };
const admin = { sub: 'admin-1', roles: ['admin', 'support'] };

describe('signed identity headers', () => {
  it('verifies what the gateway signed, roles included', () => {
    expect(verifyIdentity(signIdentity(admin, SECRET, NOW), SECRET, NOW)).toEqual({ status: 'verified', identity: admin });
    expect(verifyIdentity(signIdentity(customer, SECRET, NOW), SECRET, NOW)).toEqual({ status: 'verified', identity: customer });
  });

  it('carries the four headers, the timestamp in seconds', () => {
    const headers = signIdentity(admin, SECRET, NOW);
    expect(Object.keys(headers).sort()).toEqual(Object.values(IDENTITY_HEADERS).sort());
    expect(headers[IDENTITY_HEADERS.sub]).toBe('admin-1');
    expect(headers[IDENTITY_HEADERS.roles]).toBe('admin,support');
    expect(headers[IDENTITY_HEADERS.timestamp]).toBe(String(NOW / 1000));
  });

  it('sends nothing for an anonymous caller, and no headers read as anonymous', () => {
    expect(signIdentity(null, SECRET, NOW)).toEqual({});
    expect(verifyIdentity({}, SECRET, NOW)).toEqual({ status: 'anonymous' });
    expect(verifyIdentity({ 'content-type': 'application/json' }, SECRET, NOW)).toEqual({ status: 'anonymous' });
  });

  it('rejects made-up headers without a signature', () => {
    const forged = { [IDENTITY_HEADERS.sub]: 'admin-1', [IDENTITY_HEADERS.roles]: 'admin', [IDENTITY_HEADERS.timestamp]: String(NOW / 1000) };
    expect(verifyIdentity(forged, SECRET, NOW)).toEqual({ status: 'rejected', reason: 'incomplete identity headers' });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyIdentity(signIdentity(admin, 'some-other-secret', NOW), SECRET, NOW)).toEqual({
      status: 'rejected',
      reason: 'identity signature does not match',
    });
  });

  it.each([
    ['the subject', IDENTITY_HEADERS.sub, 'customer-2'],
    ['the roles', IDENTITY_HEADERS.roles, 'admin'],
    ['the timestamp', IDENTITY_HEADERS.timestamp, String(NOW / 1000 - 1)],
    ['the signature', IDENTITY_HEADERS.signature, 'AAAA'],
  ])('rejects headers whose %s was altered', (_label, name, value) => {
    const headers = { ...signIdentity(customer, SECRET, NOW), [name]: value };
    expect(verifyIdentity(headers, SECRET, NOW).status).toBe('rejected');
  });

  it(`accepts a signature up to ${IDENTITY_MAX_AGE_SECONDS} s old and rejects an older or future one`, () => {
    const headers = signIdentity(admin, SECRET, NOW);
    expect(verifyIdentity(headers, SECRET, NOW + IDENTITY_MAX_AGE_SECONDS * 1000).status).toBe('verified');
    expect(verifyIdentity(headers, SECRET, NOW + (IDENTITY_MAX_AGE_SECONDS + 1) * 1000)).toEqual({
      status: 'rejected',
      reason: 'identity signature is 61 s old',
    });
    expect(verifyIdentity(headers, SECRET, NOW - (IDENTITY_MAX_AGE_SECONDS + 1) * 1000).status).toBe('rejected');
  });

  it('rejects a malformed timestamp', () => {
    const headers = { ...signIdentity(admin, SECRET, NOW), [IDENTITY_HEADERS.timestamp]: '1e9' };
    expect(verifyIdentity(headers, SECRET, NOW)).toEqual({ status: 'rejected', reason: 'malformed identity timestamp' });
  });

  it('reads a fetch Headers object and repeated Node header values', () => {
    const signed = signIdentity(admin, SECRET, NOW);
    expect(verifyIdentity(new Headers(signed), SECRET, NOW).status).toBe('verified');
    const repeated = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name, [value, 'ignored']]));
    expect(verifyIdentity(repeated, SECRET, NOW).status).toBe('verified');
  });
});
