import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createTokenVerifier } from '../../lib/auth';
import { usesDevelopmentDefaults } from '../../lib/config';
import { waitFor } from '../../lib/events/testing/wait-for';
import { listen, type RunningServer } from '../../lib/http';
import { mountWeb } from '.';

/**
 * The gateway's web routes over real HTTP, against a build laid out as Vite lays it out (hashed assets with
 * precompressed copies, the manifest and stamp as dotfiles), in each NODE_ENV.
 */

const SECRET = 'web-routes-test-secret-0123456789abcdef';
const PAGE = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-Ab12Cd34.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;
const STOREFRONT_CSP =
  "default-src 'self';script-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';style-src 'self';font-src 'self';manifest-src 'self';form-action 'self'";

const dir = mkdtempSync(join(tmpdir(), 'web-routes-'));
const storefrontRoot = join(dir, 'dist');
const graphiqlRoot = join(dir, 'dist-graphiql');
const emptyRoot = join(dir, 'missing');

function writeBuild(root: string, page: string): void {
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, '.vite'), { recursive: true });
  writeFileSync(join(root, 'index.html'), page);
  writeFileSync(join(root, 'index.html.gz'), gzipSync(page));
  writeFileSync(join(root, 'assets/index-Ab12Cd34.js'), SCRIPT);
  writeFileSync(join(root, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(root, 'assets/index-Ab12Cd34.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(root, '.vite/manifest.json'), '{}');
  writeFileSync(join(root, '.build-stamp'), 'abc\n');
}

type StripeOptions = { publishableKey?: string; apiUrl?: string };

async function serve(nodeEnv: string, options: { secret?: string | undefined; storefront?: string; stripe?: StripeOptions } = {}): Promise<RunningServer> {
  const app = express();
  const jwt = { secret: 'secret' in options ? options.secret : SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined, maxTtlSeconds: 86_400 };
  const stripe = { secretKey: undefined, webhookSecret: undefined, publishableKey: options.stripe?.publishableKey, apiUrl: options.stripe?.apiUrl };
  mountWeb(app, { production: !usesDevelopmentDefaults(nodeEnv), jwt, stripe }, { storefrontRoot: options.storefront ?? storefrontRoot, graphiqlRoot });
  return listen(app, 0, '127.0.0.1');
}

const servers: RunningServer[] = [];
let development: RunningServer;
let production: RunningServer;

beforeAll(async () => {
  writeBuild(storefrontRoot, PAGE);
  writeBuild(graphiqlRoot, '<!doctype html><title>GraphiQL</title>');
  development = await serve('development');
  production = await serve('production', { secret: undefined });
  servers.push(development, production);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the storefront routes', () => {
  it('serve the page at / and at every shop route, revalidated, with a same-origin CSP', async () => {
    for (const path of ['/', '/orders/01HX-order', '/products/p-1?x=1', '/admin/orders']) {
      const response = await fetch(`${production.url}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(STOREFRONT_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).toBe(PAGE);
    }
  });

  it('serve hashed assets as immutable, precompressed as the client accepts', async () => {
    const br = await fetch(`${production.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/^text\/javascript; charset=utf-8$/i);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(await br.text()).toBe(SCRIPT);
    const gzip = await fetch(`${production.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.text()).toBe(SCRIPT);
    const plain = await fetch(`${production.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('content-length')).toBe(String(SCRIPT.length));
  });

  it('answer 404, never the page, for unknown assets, files and build metadata', async () => {
    for (const path of ['/assets/index-Old00000.js', '/favicon.ico', '/.vite/manifest.json', '/.build-stamp', '/index.html.gz/x.js']) {
      const response = await fetch(`${production.url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.text()).not.toContain('<div id="root">');
    }
    const missingAsset = await fetch(`${production.url}/assets/nope.js`);
    expect(missingAsset.headers.get('cache-control')).toBe('no-store');
    expect(await missingAsset.text()).toBe('No such asset.\n');
    expect((await fetch(`${production.url}/`, { method: 'POST' })).status).toBe(404);
  });

  it('say how to build the storefront when it is not built', async () => {
    const unbuilt = await serve('production', { storefront: emptyRoot });
    servers.push(unbuilt);
    const response = await fetch(`${unbuilt.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('The storefront is not built yet. `npm start` builds it before starting; or run `npm run web:build`.\n');
    // A build that appears later is served without a restart.
    writeBuild(emptyRoot, PAGE);
    await waitFor('the new build to be served', async () => (await fetch(`${unbuilt.url}/`)).status === 200, undefined, 100);
    const served = await fetch(`${unbuilt.url}/`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(PAGE);
  });
});

describe('the storefront config and the payment provider in the policy', () => {
  const configOf = async (server: RunningServer) => {
    const response = await fetch(`${server.url}/storefront-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    return response.json();
  };
  const policyOf = async (server: RunningServer) => (await fetch(`${server.url}/orders/o-1`)).headers.get('content-security-policy');

  it('names no card form, and allows no other origin, when nothing is configured', async () => {
    expect(await configOf(production)).toEqual({ payments: { provider: 'none' } });
    expect(await policyOf(production)).toBe(STOREFRONT_CSP);
  });

  it("in development with the emulator: its test methods, its API URL and a test publishable key, its origin in connect-src", async () => {
    const emulator = await serve('development', { stripe: { apiUrl: 'http://127.0.0.1:12111/' } });
    const own = await serve('test', { stripe: { apiUrl: 'http://127.0.0.1:4999', publishableKey: 'pk_test_Own123' } });
    const live = await serve('development', { stripe: { apiUrl: 'http://127.0.0.1:4999', publishableKey: 'pk_live_Real123' } });
    servers.push(emulator, own, live);
    expect(await configOf(emulator)).toEqual({ payments: { provider: 'test-methods', apiUrl: 'http://127.0.0.1:12111', publishableKey: 'pk_test_DevelopmentOnlyEmulatorKey' } });
    expect(await configOf(own)).toEqual({ payments: { provider: 'test-methods', apiUrl: 'http://127.0.0.1:4999', publishableKey: 'pk_test_Own123' } });
    // The emulator takes test keys only: a live key is never sent to it.
    expect(await configOf(live)).toEqual({ payments: { provider: 'test-methods', apiUrl: 'http://127.0.0.1:4999', publishableKey: 'pk_test_DevelopmentOnlyEmulatorKey' } });
    expect(await policyOf(emulator)).toBe(STOREFRONT_CSP.replace("connect-src 'self'", "connect-src 'self' http://127.0.0.1:12111"));
  });

  it("with STRIPE_PUBLISHABLE_KEY: Stripe Elements, with Stripe's script, frames and API allowed, also behind a local API proxy in production", async () => {
    const stripe = await serve('production', { secret: undefined, stripe: { publishableKey: 'pk_live_Abc123' } });
    const proxied = await serve('production', { secret: undefined, stripe: { publishableKey: 'pk_live_Abc123', apiUrl: 'http://127.0.0.1:8443' } });
    servers.push(stripe, proxied);
    for (const server of [stripe, proxied]) {
      expect(await configOf(server)).toEqual({ payments: { provider: 'stripe', publishableKey: 'pk_live_Abc123' } });
      expect(await policyOf(server)).toBe(
        "default-src 'self';script-src 'self' https://js.stripe.com https://*.js.stripe.com;img-src 'self' data:;connect-src 'self' https://api.stripe.com;object-src 'none';base-uri 'none';frame-ancestors 'none';frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com;style-src 'self';font-src 'self';manifest-src 'self';form-action 'self'",
      );
    }
  });
});

describe('GraphiQL', () => {
  it('is served at /graphiql in development, with its own policy', async () => {
    for (const path of ['/graphiql', '/graphiql/']) {
      const response = await fetch(`${development.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<!doctype html><title>GraphiQL</title>');
      expect(response.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
    }
    const asset = await fetch(`${development.url}/graphiql/assets/index-Ab12Cd34.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('does not exist in production', async () => {
    for (const path of ['/graphiql', '/graphiql/', '/graphiql/assets/index-Ab12Cd34.js']) {
      const response = await fetch(`${production.url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
  });
});

describe('POST /dev/token', () => {
  const mint = (server: RunningServer, body: unknown, contentType = 'application/json') =>
    fetch(`${server.url}/dev/token`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('mints a development token for a customer or an admin that the gateway verifies', async () => {
    const verify = createTokenVerifier({ secret: SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined });
    const customer = await mint(development, { sub: 'customer-7' });
    expect(customer.status).toBe(200);
    expect(customer.headers.get('cache-control')).toBe('no-store');
    const { token, expiresAt } = (await customer.json()) as { token: string; expiresAt: string };
    const verified = await verify(token);
    expect(verified).toEqual({ sub: 'customer-7', roles: [], expiresAt: Math.floor(Date.parse(expiresAt) / 1000) });
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3500_000);
    const admin = (await (await mint(development, { sub: 'admin-1', admin: true })).json()) as { token: string };
    expect(await verify(admin.token)).toMatchObject({ sub: 'admin-1', roles: ['admin'] });
  });

  it('refuses bad input, naming what was wrong', async () => {
    const badSub = await mint(development, { sub: 'a b<script>' });
    expect(badSub.status).toBe(400);
    expect(await badSub.json()).toEqual({ error: 'sub: must be 1-64 letters, digits, dots, dashes or underscores' });
    const badAdmin = await mint(development, { sub: 'c', admin: 'yes' });
    expect(badAdmin.status).toBe(400);
    expect(((await badAdmin.json()) as { error: string }).error).toMatch(/^admin: /);
    const form = await mint(development, 'sub=admin&admin=true', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    const malformed = await mint(development, '{"sub":');
    expect(malformed.status).toBe(400);
  });

  it('does not exist in production, nor without a local signing key', async () => {
    expect((await mint(production, { sub: 'admin-1', admin: true })).status).toBe(404);
    const jwks = await serve('development', { secret: undefined });
    servers.push(jwks);
    expect((await mint(jwks, { sub: 'admin-1', admin: true })).status).toBe(404);
  });
});
