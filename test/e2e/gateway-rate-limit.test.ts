import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import WebSocket from 'ws';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient, startRedisServer, type LocalRedis } from '../../lib/redis';
import { startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { errorCodes, graphql, type GraphQLResponse } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { initialisedSocket, wsUrlOf } from '../support/subscriptions';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Rate limits at the gateway, shared through Redis: anonymous callers and bad tokens by client address (from
 * X-Forwarded-For only when the peer is a trusted proxy), signed-in callers by `sub`, spending points by cost;
 * 429 RATE_LIMITED with Retry-After, before any subgraph call; WebSocket connection and subscribe caps; and limits
 * that keep holding, in memory, when Redis goes away.
 */

const CHEAP = '{ products(first: 1) { edges { cursor } } }'; // cost 3: one point
const COSTLY = '{ products(first: 8) { edges { cursor node { id } } } }'; // cost 25: three points at 10 per point

let redis: LocalRedis;
let store: Redis;
let system: RunningSystem;
let second: Awaited<ReturnType<typeof startGatewayInstance>> | undefined;

const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const catalogRequests = () => metricValue(system.urls.catalog, 'http_request_duration_seconds_count', { route: '/graphql', method: 'POST' });

function expectRateLimited(response: GraphQLResponse<unknown>): void {
  expect(response.status).toBe(429);
  expect(errorCodes(response)).toEqual(['RATE_LIMITED']);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.errors![0]!.extensions!['details']).toEqual({ retryAfterSeconds: retryAfter });
  expect(response.data).toBeUndefined();
}

/**
 * Waits until the gateway at `gatewayUrl` counts in Redis. Until its own connection to Redis is ready, a gateway
 * counts in its in-memory insurance limiter, which Redis never sees: a budget spent partly there lets a request
 * over it through (a loaded machine makes that window long). Each probe spends from a fresh address in
 * `addresses` (e.g. '198.18.1.'), so none is refused from memory and none was counted in Redis before.
 */
async function countingInRedis(gatewayUrl: string, addresses: string): Promise<void> {
  let probe = 0;
  await waitFor(
    `the rate limiter of ${gatewayUrl} to count in Redis`,
    async () => {
      probe += 1;
      const address = `${addresses}${probe}`;
      expect((await graphql(gatewayUrl, CHEAP, {}, from(address))).errors).toBeUndefined();
      return (await store.keys(`*ratelimit:anonymous:${address}`)).length === 1;
    },
    undefined,
    50,
  );
}

beforeAll(async () => {
  redis = await startRedisServer();
  store = createRedisClient(redis.url);
  store.on('error', () => undefined);
  system = await startTestSystem('gateway-rate-limit', {
    env: {
      RATE_LIMIT: 'on',
      REDIS_URL: redis.url,
      RATE_LIMIT_ANONYMOUS_POINTS: '5',
      RATE_LIMIT_POINTS: '8',
      RATE_LIMIT_COST_PER_POINT: '10',
      TRUSTED_PROXIES: 'loopback',
      WS_CONNECTIONS_PER_IP: '2',
      WS_SUBSCRIBES_PER_MINUTE: '3',
      // A Redis answer slower than the bound falls back to the instance's in-memory limiter, whose count differs
      // from Redis's: on a loaded machine the default 250 ms would let a request over budget through. Still well
      // below the outage test's 5 s, should a command go out on a connection Redis has just closed.
      RATE_LIMIT_REDIS_TIMEOUT_MS: '2000',
    },
  });
  await countingInRedis(system.urls.gateway, '198.18.1.');
});
afterAll(async () => {
  await second?.stopAll();
  await system?.stop();
  store?.disconnect();
  await redis?.stop();
});

describe('anonymous callers, by client address', () => {
  it('are refused with 429 RATE_LIMITED and Retry-After past their budget, before any subgraph call', async () => {
    for (let i = 0; i < 5; i += 1) expect((await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.1'))).errors).toBeUndefined();
    const before = await catalogRequests();
    const rejections = () => metricValue(system.gateway.http.url, 'gateway_rate_limit_rejections_total', { limit: 'anonymous' });
    const rejectedBefore = await rejections();
    const refused = await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.1'));
    expectRateLimited(refused);
    expect(await rejections()).toBe(rejectedBefore + 1);
    expect(refused.errors![0]!.message).toMatch(/^too many requests: this address may spend 5 points per 60 s; retry in \d+ s$/);
    expect(await catalogRequests()).toBe(before);
    // Another address has its own budget.
    expect((await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.2'))).errors).toBeUndefined();
  });

  it('count requests with bad tokens against the address, so a flood of invalid tokens is limited too', async () => {
    for (let i = 0; i < 5; i += 1) {
      const bad = await graphql(system.urls.gateway, CHEAP, {}, { headers: { 'x-forwarded-for': '203.0.113.3', authorization: 'Bearer not.a.token' } });
      expect(errorCodes(bad)).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, { headers: { 'x-forwarded-for': '203.0.113.3', authorization: 'Bearer not.a.token' } }));
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.3')));
  });

  it('are refused before their request body is even read: a flood costs no parsing', async () => {
    const raw = (address: string, headers: Record<string, string> = {}) =>
      fetch(system.urls.gateway, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers }, body: '{"query": "{ products' });
    // A bad token is refused as such, and an address over its budget as RATE_LIMITED, whatever the body holds:
    // the unparsable body would be 400 BAD_USER_INPUT had it been parsed.
    const badToken = await raw('203.0.113.8', { authorization: 'Bearer not.a.token' });
    expect(badToken.status).toBe(401);
    // One point for the bad token, four within the budget, then the one that goes over it (and blocks the address).
    for (let i = 0; i < 4; i += 1) expect((await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.8'))).errors).toBeUndefined();
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.8')));
    const overBudget = await raw('203.0.113.8');
    expect(overBudget.status).toBe(429);
    expect(((await overBudget.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // The same body from an address within its budget is read, and refused for what it is.
    expect((await raw('203.0.113.9')).status).toBe(400);
  });

  it('count refused documents too (one point each)', async () => {
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await graphql(system.urls.gateway, `{ ${'__typename '.repeat(30)}}`, {}, from('203.0.113.6')))).toEqual(['QUERY_TOO_COMPLEX']);
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.6')));
  });
});

describe('signed-in callers, by sub and by cost', () => {
  it('spend one point per 10 cost units (at least one) from their own budget, wherever they call from', async () => {
    const token = await tokenFor('rate-customer-1');
    // 203.0.113.1 is over its anonymous budget: a signed-in caller there still has theirs.
    expect((await graphql(system.urls.gateway, COSTLY, {}, { token, ...from('203.0.113.1') })).errors).toBeUndefined(); // 3 of 8
    expect((await graphql(system.urls.gateway, COSTLY, {}, { token, ...from('203.0.113.1') })).errors).toBeUndefined(); // 6 of 8
    const refused = await graphql(system.urls.gateway, COSTLY, {}, { token, ...from('203.0.113.7') }); // 9 > 8
    expectRateLimited(refused);
    expect(refused.errors![0]!.message).toMatch(/^too many requests: this caller may spend 8 points per 60 s/);
    const other = await tokenFor('rate-customer-2');
    expect((await graphql(system.urls.gateway, COSTLY, {}, { token: other })).errors).toBeUndefined();
  });
});

describe('across gateway instances', () => {
  it('share one budget through Redis', async () => {
    second = await startGatewayInstance(system.config, undefined);
    const secondUrl = `${second.http.url}/graphql`;
    await countingInRedis(secondUrl, '198.18.2.');
    for (let i = 0; i < 3; i += 1) expect((await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.4'))).errors).toBeUndefined();
    for (let i = 0; i < 2; i += 1) expect((await graphql(secondUrl, CHEAP, {}, from('203.0.113.4'))).errors).toBeUndefined();
    expectRateLimited(await graphql(secondUrl, CHEAP, {}, from('203.0.113.4')));
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.4')));
  });
});

describe('WebSocket', () => {
  const token = () => tokenFor('rate-ws-customer');

  it('refuses a third connection from one address at the upgrade with 429', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.1' };
    const open = async () => {
      const socket = new WebSocket(wsUrlOf(system.urls.gateway), ['graphql-transport-ws'], { headers });
      return new Promise<{ socket: WebSocket; status: number }>((resolve) => {
        socket.once('open', () => resolve({ socket, status: 101 }));
        socket.once('unexpected-response', (_request, response) => resolve({ socket, status: response.statusCode ?? 0 }));
        socket.on('error', () => undefined);
      });
    };
    const first = await open();
    const secondSocket = await open();
    const third = await open();
    expect([first.status, secondSocket.status, third.status]).toEqual([101, 101, 429]);
    first.socket.close();
    secondSocket.socket.close();
  });

  it('answers RATE_LIMITED to the fourth subscribe message of a minute on one connection', async () => {
    const raw = await initialisedSocket(system.urls.gateway, await token());
    const subscribe = (id: string) => ({ id, type: 'subscribe', payload: { query: '{ __typename }' } });
    for (const id of ['1', '2', '3']) {
      raw.send(subscribe(id));
      expect(await raw.next((m) => m['id'] === id && m['type'] === 'next')).toMatchObject({ payload: { data: { __typename: 'Query' } } });
    }
    raw.send(subscribe('4'));
    const refused = await raw.next((m) => m['id'] === '4');
    expect(refused['type']).toBe('error');
    expect((refused['payload'] as { extensions: { code: string } }[])[0]!.extensions.code).toBe('RATE_LIMITED');
    await raw.close();
  });
});

describe('when Redis goes away', () => {
  it('keeps limiting in memory rather than serving unlimited, and answers at once', async () => {
    await second?.stopAll();
    second = undefined;
    await redis.stop();
    for (let i = 0; i < 5; i += 1) expect((await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.5'))).errors).toBeUndefined();
    const started = Date.now();
    expectRateLimited(await graphql(system.urls.gateway, CHEAP, {}, from('203.0.113.5')));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('without trusted proxies', () => {
  let direct: RunningSystem;
  beforeAll(async () => {
    direct = await startTestSystem('gateway-rate-limit-direct', { env: { RATE_LIMIT: 'on', RATE_LIMIT_ANONYMOUS_POINTS: '2' } });
  });
  afterAll(() => direct?.stop());

  it('ignores X-Forwarded-For: a client cannot pick a fresh address per request', async () => {
    expect((await graphql(direct.urls.gateway, CHEAP, {}, from('192.0.2.1'))).errors).toBeUndefined();
    expect((await graphql(direct.urls.gateway, CHEAP, {}, from('192.0.2.2'))).errors).toBeUndefined();
    expectRateLimited(await graphql(direct.urls.gateway, CHEAP, {}, from('192.0.2.3')));
  });
});
