import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, DEV_JWT_SECRET, DEV_SIGNING_SECRET, loadConfig } from '../lib/config';
import type { RunningSystem } from '../scripts/system';
import { errorCodes, graphql } from '../test/support/graphql';
import { startTestSystem, testEnv } from '../test/support/system';

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
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toMatch(/^GraphQL introspection is not allowed/);
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
    expect(await system.gateway.verifyToken(token)).toEqual({ sub: 'customer-9', roles: [] });
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
  ])('refuses %s', (_label, overrides, variable) => {
    expect(productionConfig(overrides)).toThrow(ConfigError);
    expect(productionConfig(overrides)).toThrow(new RegExp(`- ${variable}: `));
  });
});
