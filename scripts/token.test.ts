import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { createTokenVerifier } from '../lib/auth';
import { CREATE_PRODUCT, productInput } from '../test/support/catalog';
import { errorCodes, graphql } from '../test/support/graphql';
import { TEST_JWT_SECRET, startTestSystem } from '../test/support/system';
import type { RunningSystem } from './system';

/** `npm run token -- --sub <id> [--admin] [--ttl 3600]` prints a development token the gateway accepts. */

const root = resolve(__dirname, '..');

function npmToken(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    execFile(
      'npm',
      ['run', '--silent', 'token', '--', ...args],
      { cwd: root, env: { ...process.env, NODE_ENV: 'development', JWT_SECRET: TEST_JWT_SECRET, JWT_JWKS_URL: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolveRun({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let system: RunningSystem;
beforeAll(async () => {
  system = await startTestSystem('token-script');
});
afterAll(() => system?.stop());

describe('npm run token', () => {
  it('prints an admin token with the requested lifetime that the gateway accepts for admin writes', async () => {
    const { code, stdout } = await npmToken(['--sub', 'admin-7', '--admin', '--ttl', '120']);
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(await createTokenVerifier({ secret: TEST_JWT_SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined })(token)).toEqual({
      sub: 'admin-7',
      roles: ['admin'],
      expiresAt: claims.exp,
    });
    const created = await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(1, { sku: 'TOKEN-SCRIPT-1' }) }, { token });
    expect(created.errors).toBeUndefined();
  }, 90_000);

  it('prints a customer token without --admin, valid for an hour by default', async () => {
    const { code, stdout } = await npmToken(['--sub', 'customer-7']);
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect(claims.sub).toBe('customer-7');
    expect(claims['roles']).toEqual([]);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const refused = await graphql(system.urls.gateway, CREATE_PRODUCT, { input: productInput(2, { sku: 'TOKEN-SCRIPT-2' }) }, { token });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect((await graphql(system.urls.gateway, '{ products(first: 1) { edges { cursor } } }', {}, { token })).errors).toBeUndefined();
  }, 90_000);

  it('exits with 2 and the usage for a missing --sub or a bad --ttl', async () => {
    // Four separate runs of the script, side by side.
    const [noSub, badSub, badTtl, tooLong] = await Promise.all([
      npmToken(['--admin']),
      npmToken(['--sub', 'jane doe']),
      npmToken(['--sub', 'c-1', '--ttl', 'soon']),
      npmToken(['--sub', 'c-1', '--ttl', '86401']),
    ]);
    expect(noSub.code).toBe(2);
    expect(noSub.stdout).toBe('');
    expect(noSub.stderr).toContain('--sub is required');
    expect(noSub.stderr).toContain('usage: npm run token -- --sub <customer-id> [--admin] [--ttl <seconds>]');
    expect(badSub.code).toBe(2);
    expect(badSub.stdout).toBe('');
    expect(badSub.stderr).toContain('--sub must be 1 to 200 visible ASCII characters (letters, digits, punctuation; no spaces or control characters), got "jane doe"');
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toContain('--ttl must be a positive number of seconds, got "soon"');
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('--ttl 86401 is longer than the gateway accepts (JWT_MAX_TTL_SECONDS=86400)');
  }, 90_000);
});
