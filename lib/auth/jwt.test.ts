import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { ErrorCode, UnauthenticatedError } from '../ddd';
import { bearerToken, createTokenVerifier, signDevToken } from './jwt';

const SECRET = 'jwt-secret-for-unit-tests-0123456789abcdef';
const hs256 = { secret: SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined };
const key = new TextEncoder().encode(SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function rejection(promise: Promise<unknown>): Promise<UnauthenticatedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('HS256 token verification', () => {
  const verify = createTokenVerifier(hs256);

  it('accepts a development token and returns its subject and roles', async () => {
    const before = nowSeconds();
    expect(await verify(await signDevToken({ sub: 'customer-1' }, SECRET))).toEqual({ sub: 'customer-1', roles: [], expiresAt: expect.any(Number) });
    const admin = await verify(await signDevToken({ sub: 'admin-1', roles: ['admin'], ttlSeconds: 600 }, SECRET));
    expect(admin).toEqual({ sub: 'admin-1', roles: ['admin'], expiresAt: expect.any(Number) });
    expect(admin.expiresAt - before).toBeGreaterThanOrEqual(600);
    expect(admin.expiresAt - nowSeconds()).toBeLessThanOrEqual(600);
  });

  it('refuses a token without "exp" (it would never expire)', async () => {
    const forever = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin-1').setIssuedAt().sign(key);
    expect((await rejection(verify(forever))).message).toBe('invalid token: it has no "exp" claim');
  });

  it('refuses a token living longer than the maximum lifetime, measured from iat or, without iat, from now', async () => {
    const short = createTokenVerifier({ ...hs256, maxTtlSeconds: 3600 });
    const tooLong = await signDevToken({ sub: 'c-1', ttlSeconds: 3601 }, SECRET);
    expect((await rejection(short(tooLong))).message).toBe('invalid token: its lifetime of 3601 s exceeds the maximum of 3600 s');
    expect((await short(await signDevToken({ sub: 'c-1', ttlSeconds: 3600 }, SECRET))).sub).toBe('c-1');
    const century = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('c-1').setExpirationTime(nowSeconds() + 100 * 365 * 86_400).sign(key);
    expect((await rejection(verify(century))).message).toMatch(/^invalid token: its lifetime of \d+ s exceeds the maximum of 86400 s$/);
    // iat long ago, exp soon: the lifetime is exp - iat.
    const backdated = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('c-1').setIssuedAt(nowSeconds() - 4000).setExpirationTime(nowSeconds() + 60).sign(key);
    expect((await rejection(short(backdated))).message).toBe('invalid token: its lifetime of 4060 s exceeds the maximum of 3600 s');
  });

  it('refuses an expired token with UNAUTHENTICATED', async () => {
    const expired = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuedAt(nowSeconds() - 120)
      .setExpirationTime(nowSeconds() - 60)
      .sign(key);
    const error = await rejection(verify(expired));
    expect(error.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(error.message).toBe('invalid token: it has expired');
  });

  it('refuses a token signed with another secret', async () => {
    const error = await rejection(verify(await signDevToken({ sub: 'admin-1', roles: ['admin'] }, 'another-secret-0123456789abcdef012345')));
    expect(error.message).toBe('invalid token: the signature does not verify');
  });

  it('refuses an algorithm other than HS256', async () => {
    const hs512 = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('admin-1').setExpirationTime('1h').sign(key);
    expect((await rejection(verify(hs512))).message).toBe('invalid token: its signing algorithm is not accepted');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'admin-1', roles: ['admin'], exp: nowSeconds() + 600 })).toString('base64url');
    expect((await rejection(verify(`${header}.${payload}.`))).code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('refuses something that is not a JWT', async () => {
    expect((await rejection(verify('abc.def.ghi'))).message).toBe('invalid token: it is not a well-formed JWT');
    expect((await rejection(verify('nonsense'))).code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('refuses a token without a subject or with malformed roles', async () => {
    const noSub = await new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    expect((await rejection(verify(noSub))).message).toBe(SUB_RULE);
    const rolesString = await new SignJWT({ roles: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(key);
    expect((await rejection(verify(rolesString))).message).toBe(ROLES_RULE);
  });

  const withClaims = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(key);
  const SUB_RULE = 'invalid token: the "sub" claim must be 1 to 200 visible ASCII characters (letters, digits, punctuation; no spaces or control characters)';
  const ROLES_RULE = 'invalid token: the "roles" claim must be an array of at most 50 roles, each 1 to 100 visible ASCII characters without commas';

  // The caller travels to the subgraphs in HTTP headers, keys DynamoDB rows and names cache entries: what a
  // header cannot carry, trims, or splits (a CR LF, a leading space, a comma in a role) must never get that far.
  it.each([
    ['a line feed', 'customer-1\nx'],
    ['a header injection', 'customer-1\r\nx-identity-roles: admin'],
    ['a NUL', 'customer-1\u0000'],
    ['DEL', 'customer-1\u007f'],
    ['a tab', '\tcustomer-1'],
    ['a leading space', ' customer-1'],
    ['a trailing space', 'customer-1 '],
    ['an inner space', 'customer 1'],
    ['a non-ASCII letter', 'cüstomer-1'],
    ['an emoji', 'customer-\u{1F600}'],
    ['a zero-width space', 'customer-1\u200b'],
    ['201 characters', 'c'.repeat(201)],
    ['5,000 characters', 'c'.repeat(5000)],
    ['nothing', ''],
  ])('refuses a "sub" with %s as UNAUTHENTICATED', async (_what, sub) => {
    const error = await rejection(verify(await withClaims({ sub })));
    expect(error.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(error.message).toBe(SUB_RULE);
  });

  it.each([
    ['a number', 42],
    ['an array', ['customer-1']],
    ['an object', { id: 'customer-1' }],
    ['null', null],
    ['true', true],
  ])('refuses a "sub" that is %s', async (_what, sub) => {
    const error = await rejection(verify(await withClaims({ sub })));
    expect(error.message).toBe(SUB_RULE);
  });

  it('accepts the subjects identity providers issue', async () => {
    for (const sub of ['auth0|5f7c8ec7c33c6c004bbafe82', 'google-oauth2|104872943987563287563', '0a1b2c3d-4e5f-6789-abcd-ef0123456789', '001234.abcdef0123456789.1234', 'jane@example.com', 'c'.repeat(200)]) {
      expect((await verify(await withClaims({ sub, roles: ['admin', 'order:write'] }))).sub).toBe(sub);
    }
  });

  it.each([
    ['a string', 'admin'],
    ['a number in the list', ['admin', 1]],
    ['null in the list', [null]],
    ['a nested list', [['admin']]],
    ['an object', { admin: true }],
    ['null', null],
    ['a comma (one role that would read as two)', ['customer,admin']],
    ['a control character', ['admin\n']],
    ['a space', ['admin ']],
    ['an empty role', ['']],
    ['a role of 101 characters', ['r'.repeat(101)]],
    ['51 roles', Array.from({ length: 51 }, (_, i) => `role-${i}`)],
  ])('refuses "roles" with %s as UNAUTHENTICATED', async (_what, roles) => {
    const error = await rejection(verify(await withClaims({ sub: 'customer-1', roles })));
    expect(error.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(error.message).toBe(ROLES_RULE);
  });

  it('checks issuer and audience when they are configured', async () => {
    const strict = createTokenVerifier({ ...hs256, issuer: 'https://id.example', audience: 'commerce' });
    const right = await signDevToken({ sub: 'c-1' }, SECRET, { issuer: 'https://id.example', audience: 'commerce' });
    expect(await strict(right)).toMatchObject({ sub: 'c-1', roles: [] });
    const wrongAudience = await signDevToken({ sub: 'c-1' }, SECRET, { issuer: 'https://id.example', audience: 'other' });
    expect((await rejection(strict(wrongAudience))).message).toBe('invalid token: claim "aud" is not acceptable');
    expect((await rejection(strict(await signDevToken({ sub: 'c-1' }, SECRET)))).code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('needs a secret or a JWKS URL', () => {
    expect(() => createTokenVerifier({ secret: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined })).toThrow(
      'JWT verification needs JWT_SECRET or JWT_JWKS_URL',
    );
  });
});

describe('JWKS token verification', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (signingKey: CryptoKey, claims: { iss: string; aud: string }) =>
    new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('admin-9')
      .setIssuer(claims.iss)
      .setAudience(claims.aud)
      .setExpirationTime('5m')
      .sign(signingKey);

  it('verifies against the keys the identity provider publishes, with issuer and audience', async () => {
    const verify = createTokenVerifier({ secret: undefined, jwksUrl, issuer: 'https://id.example', audience: 'commerce' });
    expect(await verify(await sign(privateKey, { iss: 'https://id.example', aud: 'commerce' }))).toMatchObject({ sub: 'admin-9', roles: ['admin'] });
    expect((await rejection(verify(await sign(otherKey, { iss: 'https://id.example', aud: 'commerce' })))).message).toBe(
      'invalid token: the signature does not verify',
    );
    expect((await rejection(verify(await sign(privateKey, { iss: 'https://evil.example', aud: 'commerce' })))).message).toBe(
      'invalid token: claim "iss" is not acceptable',
    );
  });
});

describe('bearerToken', () => {
  it('is undefined without an Authorization header', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
  });

  it('reads the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer   a.b.c ')).toBe('a.b.c');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'a.b.c'])('refuses %p with UNAUTHENTICATED', (header) => {
    expect(() => bearerToken(header)).toThrow(UnauthenticatedError);
    expect(() => bearerToken(header)).toThrow('the Authorization header must be "Bearer <token>"');
  });
});
