import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ConfigError, DEV_EVENT_SIGNING_SECRET, DEV_JWT_SECRET, DEV_SIGNING_SECRET, loadConfig } from '../lib/config';
import type { RunningSystem } from '../scripts/system';
import { errorCodes, graphql } from '../test/support/graphql';
import { initialisedSocket } from '../test/support/subscriptions';
import { startTestSystem, testEnv, tokenFor } from '../test/support/system';

/**
 * What NODE_ENV=production changes at the gateway: no landing page, no introspection, and no start-up with a
 * default or missing secret. The development gateway is started alongside to show each switch is real.
 */

const INTROSPECTION = '{ __schema { queryType { name } } }';
const landingPage = (graphqlUrl: string) => fetch(graphqlUrl, { headers: { accept: 'text/html' } });

describe('a production gateway', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem('gateway-production', { env: { NODE_ENV: 'production' } });
  });
  afterAll(() => system?.stop());

  it('runs in production mode', () => {
    expect(system.config.production).toBe(true);
  });

  it('serves no landing page', async () => {
    const response = await landingPage(system.urls.gateway);
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(body).not.toMatch(/sandbox/i);
  });

  it('refuses introspection', async () => {
    const response = await graphql(system.urls.gateway, INTROSPECTION);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors![0]!.message).toMatch(/^GraphQL introspection is not allowed/);
  });

  it('suggests no field names ("Did you mean"), over HTTP and over graphql-ws', async () => {
    const response = await graphql(system.urls.gateway, '{ product(id: "1") { nme } }');
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toBe('Cannot query field "nme" on type "Product".');
    const raw = await initialisedSocket(system.urls.gateway, await tokenFor('production-customer'));
    raw.send({ id: 's', type: 'subscribe', payload: { query: 'subscription { orderStatusChanged(orderId: "1") { statu } }' } });
    expect(await raw.next((m) => m['id'] === 's')).toEqual({
      id: 's',
      type: 'error',
      payload: [{ message: 'Cannot query field "statu" on type "OrderStatusUpdate".', locations: [{ line: 1, column: 51 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    await raw.close();
  });

  it('has neither GraphiQL nor demo tokens', async () => {
    const base = system.gateway.http.url;
    expect((await fetch(`${base}/graphiql`, { headers: { accept: 'text/html' } })).status).toBe(404);
    const token = await fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sub":"admin-1","admin":true}' });
    expect(token.status).toBe(404);
  });

  it('still answers queries', async () => {
    const response = await graphql(system.urls.gateway, '{ products(first: 1) { edges { cursor } } __typename }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ products: { edges: [] }, __typename: 'Query' });
  });
});

describe('a development gateway', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem('gateway-development', { env: { NODE_ENV: 'development' } });
  });
  afterAll(() => system?.stop());

  it('mints demo tokens at POST /dev/token', async () => {
    const response = await fetch(`${system.gateway.http.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"sub":"customer-9"}',
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(await system.gateway.verifyToken(token)).toEqual({ sub: 'customer-9', roles: [], expiresAt: expect.any(Number) });
  });

  it('shows Apollo Sandbox to a browser on GET /graphql', async () => {
    const response = await landingPage(system.urls.gateway);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('https://embeddable-sandbox.cdn.apollographql.com');
  });

  it('answers introspection', async () => {
    const response = await graphql(system.urls.gateway, INTROSPECTION);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('production start-up', () => {
  const productionConfig = (overrides: Record<string, string>) => () => loadConfig(testEnv('gateway-startup', { NODE_ENV: 'production', ...overrides }));

  it.each([
    ['the development JWT secret', { JWT_SECRET: DEV_JWT_SECRET }, 'JWT_SECRET'],
    ['the development signing secret', { GATEWAY_SIGNING_SECRET: DEV_SIGNING_SECRET }, 'GATEWAY_SIGNING_SECRET'],
    ['no JWT secret', { JWT_SECRET: '' }, 'JWT_SECRET'],
    ['no signing secret', { GATEWAY_SIGNING_SECRET: '' }, 'GATEWAY_SIGNING_SECRET'],
    ['no event signing secret', { EVENT_SIGNING_SECRET: '' }, 'EVENT_SIGNING_SECRET'],
    ['the development event signing secret', { EVENT_SIGNING_SECRET: DEV_EVENT_SIGNING_SECRET }, 'EVENT_SIGNING_SECRET'],
    ['a staging run with the development secrets', { NODE_ENV: 'staging', JWT_SECRET: DEV_JWT_SECRET }, 'JWT_SECRET'],
    ['a JWKS URL without an issuer', { JWT_JWKS_URL: 'https://id.example/jwks.json', JWT_AUDIENCE: 'commerce' }, 'JWT_ISSUER'],
    ['a JWKS URL without an audience', { JWT_JWKS_URL: 'https://id.example/jwks.json', JWT_ISSUER: 'https://id.example' }, 'JWT_AUDIENCE'],
  ])('refuses %s', (_label, overrides, variable) => {
    expect(productionConfig(overrides)).toThrow(ConfigError);
    expect(productionConfig(overrides)).toThrow(new RegExp(`- ${variable}: `));
  });
});

describe('a bare process with nothing set', () => {
  it('refuses to start, naming every missing secret, instead of running with public development values', async () => {
    const root = resolve(__dirname, '..');
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-service.ts', 'catalog'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('GATEWAY_SIGNING_SECRET: is required because NODE_ENV is not set');
    expect(stderr).toContain('EVENT_SIGNING_SECRET: is required because NODE_ENV is not set');
  });
});

describe('/metrics outside development', () => {
  const TOKEN = 'a-metrics-scrape-token-0123456789abcdef';

  it('is not served on the service port without METRICS_TOKEN or METRICS_PORT', async () => {
    const system = await startTestSystem('metrics-closed', { env: { NODE_ENV: 'production' } });
    try {
      for (const url of [system.urls.catalog, system.urls.orders, system.urls.rewards, system.urls.payments, system.gateway.http.url]) {
        expect((await fetch(`${url}/metrics`)).status).toBe(404);
      }
      expect((await fetch(`${system.urls.catalog}/health`)).status).toBe(200);
    } finally {
      await system.stop();
    }
  });

  it('answers only the bearer of METRICS_TOKEN', async () => {
    const system = await startTestSystem('metrics-token', { env: { NODE_ENV: 'production', METRICS_TOKEN: TOKEN } });
    try {
      const url = `${system.gateway.http.url}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('http_request_duration_seconds');
    } finally {
      await system.stop();
    }
  });

  it('moves to its own listener with METRICS_PORT, leaving the service port without it', async () => {
    const system = await startTestSystem('metrics-port', { env: { NODE_ENV: 'production', METRICS_PORT: '0' } });
    try {
      expect((await fetch(`${system.urls.orders}/metrics`)).status).toBe(404);
      const separate = system.orders.metricsHttp;
      expect(separate).toBeDefined();
      expect(separate!.port).not.toBe(system.orders.http.port);
      const scraped = await fetch(`${separate!.url}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('service="orders"');
      expect((await fetch(`${system.gateway.metricsHttp!.url}/metrics`)).status).toBe(200);
    } finally {
      await system.stop();
    }
  });
});
