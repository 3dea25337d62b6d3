import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, DEV_JWT_SECRET, DEV_SIGNING_SECRET, loadConfig } from '../lib/config';
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
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
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
      payload: [{ message: 'Cannot query field "statu" on type "OrderStatusUpdate".', locations: [{ line: 1, column: 51 }], extensions: { code: 'BAD_USER_INPUT' } }],
    });
    await raw.close();
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
    ['a JWKS URL without an issuer', { JWT_JWKS_URL: 'https://id.example/jwks.json', JWT_AUDIENCE: 'commerce' }, 'JWT_ISSUER'],
    ['a JWKS URL without an audience', { JWT_JWKS_URL: 'https://id.example/jwks.json', JWT_ISSUER: 'https://id.example' }, 'JWT_AUDIENCE'],
  ])('refuses %s', (_label, overrides, variable) => {
    expect(productionConfig(overrides)).toThrow(ConfigError);
    expect(productionConfig(overrides)).toThrow(new RegExp(`- ${variable}: `));
  });
});
