import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { CreatedOrders, WATCH_ORDER, createProduct, heldBy, multipartSubscribe, type HeldResources, type MultipartStream } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * `orderStatusChanged` over Apollo's multipart HTTP subscription protocol (what Apollo Client's HttpLink sends:
 * `Accept: multipart/mixed;subscriptionSpec="1.0"`), with the configuration `npm start` uses when Redis is there:
 * Redis Streams events and the Redis pub/sub feed.
 */

let system: RunningSystem;
let url: string;
let admin: string;
let lamp: string;
let baseline: HeldResources;
let orders: CreatedOrders;
const streams: MultipartStream[] = [];

beforeAll(async () => {
  system = await startTestSystem('subs-multipart', {
    // Heartbeats every 300 ms rather than 5 s: the heartbeat test waits for them.
    env: { REDIS_URL: testRedisUrl(), EVENT_BUS: 'redis', SUBSCRIPTIONS_HEARTBEAT_MS: '300' },
    relay: { sweepIntervalMs: 200, minAgeMs: 100 },
  });
  url = system.urls.gateway;
  orders = await CreatedOrders.start(system);
  admin = await tokenFor('admin-1', { admin: true });
  lamp = await createProduct(url, admin, { name: 'Desk Lamp', amount: 4_999 });
  baseline = await heldBy(system.gateway);
});
afterAll(async () => {
  for (const stream of streams) stream.abort();
  await system?.stop();
});

async function subscribe(token: string, query: string, variables: Record<string, unknown>): Promise<MultipartStream> {
  const before = system.gateway.feed.stats().listeners;
  const stream = await multipartSubscribe(url, token, query, variables);
  streams.push(stream);
  // Headers are sent once the subscription is set up; the listener is there by then.
  expect(system.gateway.feed.stats().listeners).toBeGreaterThan(before);
  return stream;
}

async function statusChange(mutation: 'confirmOrder' | 'completeOrder', orderId: string): Promise<string> {
  const response = await graphql<Record<string, { updatedAt: string }>>(url, `mutation ($id: ID!) { ${mutation}(id: $id) { updatedAt } }`, { id: orderId }, { token: admin });
  expect(response.errors).toBeUndefined();
  return response.data![mutation]!.updatedAt;
}

describe('delivery over multipart HTTP', () => {
  it('streams PENDING -> CONFIRMED and CONFIRMED -> COMPLETED with federated fields, one part per update', async () => {
    const customer = await tokenFor('customer-mp-1');
    const orderId = await orders.place(customer, [{ productId: lamp, quantity: 3 }]);
    const stream = await subscribe(customer, WATCH_ORDER, { id: orderId });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-store');

    const confirmedAt = await statusChange('confirmOrder', orderId);
    const [confirmed] = await stream.take(1);
    expect(confirmed).toEqual({
      data: {
        orderStatusChanged: {
          status: 'CONFIRMED',
          previousStatus: 'PENDING',
          at: confirmedAt,
          order: { status: 'CONFIRMED', total: { amount: 14_997 }, items: [{ product: { name: 'Desk Lamp' } }], rewardPoints: null },
        },
      },
    });
    const completedAt = await statusChange('completeOrder', orderId);
    const [, completed] = await stream.take(2);
    const update = (completed!['data'] as { orderStatusChanged: { order: { rewardPoints: number | null } } }).orderStatusChanged;
    // $149.97 at BRONZE: floor(149 x 1) = 149 points, issued asynchronously after order.completed.
    expect([null, 149]).toContain(update.order.rewardPoints);
    expect(completed).toEqual({
      data: {
        orderStatusChanged: {
          status: 'COMPLETED',
          previousStatus: 'CONFIRMED',
          at: completedAt,
          order: { status: 'COMPLETED', total: { amount: 14_997 }, items: [{ product: { name: 'Desk Lamp' } }], rewardPoints: update.order.rewardPoints },
        },
      },
    });
    // Every part so far is an update or a heartbeat, and the stream stays open for more.
    expect(stream.parts.every((part) => 'payload' in part || Object.keys(part).length === 0)).toBe(true);
    expect(stream.isEnded()).toBe(false);
  });

  it('accepts the header as the protocol spells it, subscriptionSpec="1.0" quoted', async () => {
    const customer = await tokenFor('customer-mp-4');
    const orderId = await orders.place(customer, [{ productId: lamp, quantity: 1 }]);
    const stream = await multipartSubscribe(url, customer, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }', { id: orderId }, 'multipart/mixed;subscriptionSpec="1.0", application/json');
    streams.push(stream);
    expect(stream.status).toBe(200);
    await statusChange('confirmOrder', orderId);
    expect(await stream.take(1)).toEqual([{ data: { orderStatusChanged: { status: 'CONFIRMED' } } }]);
  });

  it('sends empty heartbeat parts while there is nothing to say', async () => {
    const customer = await tokenFor('customer-mp-2');
    const orderId = await orders.place(customer, [{ productId: lamp, quantity: 1 }]);
    const stream = await subscribe(customer, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status } }', { id: orderId });
    // Apollo's protocol: an empty JSON object at an interval (SUBSCRIPTIONS_HEARTBEAT_MS) keeps proxies from closing an
    // idle stream.
    await waitFor('two heartbeats', () => stream.parts.length >= 2);
    expect(stream.parts).toEqual(stream.parts.map(() => ({})));
    expect(stream.payloads()).toEqual([]);
  });

  it('releases the subscription (listener and Redis channel) when the client goes away', async () => {
    const customer = await tokenFor('customer-mp-3');
    const orderId = await orders.place(customer, [{ productId: lamp, quantity: 1 }]);
    const before = await heldBy(system.gateway);
    const first = await subscribe(customer, WATCH_ORDER, { id: orderId });
    const second = await subscribe(customer, WATCH_ORDER, { id: orderId });
    expect(await heldBy(system.gateway)).toEqual({ ...before, orders: before.orders + 1, listeners: before.listeners + 2, redisSubscriptions: before.redisSubscriptions + 1 });
    first.abort();
    await waitFor('the first listener to go', () => system.gateway.feed.stats().listeners === before.listeners + 1);
    // The remaining one still gets updates.
    await statusChange('confirmOrder', orderId);
    expect((await second.take(1))[0]).toMatchObject({ data: { orderStatusChanged: { status: 'CONFIRMED' } } });
    second.abort();
    await waitFor('everything to be released', async () => JSON.stringify(await heldBy(system.gateway)) === JSON.stringify(before));
  });

  it('holds nothing once every stream of this file is gone', async () => {
    for (const stream of streams) stream.abort();
    await waitFor('the gateway to hold what it held at the start', async () => JSON.stringify(await heldBy(system.gateway)) === JSON.stringify(baseline));
    expect(await heldBy(system.gateway)).toEqual({ orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 });
  });
});
