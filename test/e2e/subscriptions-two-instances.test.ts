import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type Redis from 'iovalkey';
import { orderStatusChannelPrefix } from '../../gateway/subscriptions/create-feed';
import { createRedisClient } from '../../lib/redis';
import { startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { CreatedOrders, Recorded, WATCH_ORDER, createProduct, heldBy, multipartSubscribe, updatesOf, wsClient, type MultipartStream } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Two gateway instances on the same subgraphs, bus and Redis. The bus gives each order status event to one
 * member of the `gateway` group (round robin in process), so an instance delivers the events the other one
 * consumed only because the fan-out goes through Redis pub/sub.
 */

let system: RunningSystem;
let second: Awaited<ReturnType<typeof startGatewayInstance>>;
let redis: Redis;
let admin: string;
let stoveOrder: string;
let pegsOrder: string;
const clients: Client[] = [];
const streams: MultipartStream[] = [];

beforeAll(async () => {
  system = await startTestSystem('subs-two', { env: { REDIS_URL: testRedisUrl() }, relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  admin = await tokenFor('admin-1', { admin: true });
  // Orders placed, and their creation events through, while one instance consumes events (see CreatedOrders).
  const orders = await CreatedOrders.start(system);
  stoveOrder = await orders.place(await tokenFor('customer-two-1'), [{ productId: await createProduct(system.urls.gateway, admin, { name: 'Camping Stove', amount: 8_900 }), quantity: 1 }]);
  pegsOrder = await orders.place(await tokenFor('customer-two-2'), [{ productId: await createProduct(system.urls.gateway, admin, { name: 'Tent Pegs', amount: 999 }), quantity: 1 }]);
  await orders.close();
  second = await startGatewayInstance({ ...system.config, ports: { ...system.config.ports, gateway: 0 } }, system.bus);
  redis = createRedisClient(testRedisUrl());
});
afterAll(async () => {
  for (const stream of streams) stream.abort();
  await Promise.all(clients.map((client) => client.dispose()));
  await second?.stopAll();
  await system?.stop();
  await redis?.quit();
});

async function subscribersOfChannel(orderId: string): Promise<number> {
  const [, count] = (await redis.pubsub('NUMSUB', `${orderStatusChannelPrefix(system.config)}${orderId}`)) as [string, number];
  return Number(count);
}

it('delivers every status change to subscribers on both instances', async () => {
  const firstUrl = system.urls.gateway;
  const secondUrl = `${second.http.url}/graphql`;
  expect(secondUrl).not.toBe(firstUrl);
  const customer = await tokenFor('customer-two-1');
  const orderId = stoveOrder;

  const onFirst = wsClient(firstUrl, customer);
  const onSecond = wsClient(secondUrl, customer);
  clients.push(onFirst, onSecond);
  const firstUpdates = new Recorded(onFirst, WATCH_ORDER, { id: orderId });
  const secondUpdates = new Recorded(onSecond, WATCH_ORDER, { id: orderId });
  const secondStream = await multipartSubscribe(secondUrl, customer, WATCH_ORDER, { id: orderId });
  streams.push(secondStream);
  await waitFor('both instances to watch the order', () => system.gateway.feed.stats().listeners === 1 && second.feed.stats().listeners === 2);
  // One Redis channel subscription per instance, however many of its clients watch the order.
  await waitFor('both subscriber connections on the channel', async () => (await subscribersOfChannel(orderId)) === 2);
  expect(await heldBy(system.gateway)).toEqual({ orders: 1, listeners: 1, redisSubscriptions: 1, sockets: 1 });
  expect(await heldBy(second)).toEqual({ orders: 1, listeners: 2, redisSubscriptions: 1, sockets: 1 });

  const changed: string[] = [];
  for (const mutation of ['confirmOrder', 'completeOrder']) {
    const response = await graphql<Record<string, { updatedAt: string }>>(firstUrl, `mutation ($id: ID!) { ${mutation}(id: $id) { updatedAt } }`, { id: orderId }, { token: admin });
    expect(response.errors).toBeUndefined();
    changed.push(response.data![mutation]!.updatedAt);
    // Each change reaches all three subscribers before the next one is made.
    const count = changed.length;
    await Promise.all([firstUpdates.take(count), secondUpdates.take(count), secondStream.take(count)]);
  }

  const expected = (status: string, previousStatus: string, at: string) => ({
    status,
    previousStatus,
    at,
    order: { status, total: { amount: 8_900 }, items: [{ product: { name: 'Camping Stove' } }] },
  });
  const strip = (update: ReturnType<typeof updatesOf>[number]) => {
    // $89.00 at BRONZE: 89 points once Rewards has issued them.
    expect([null, 89]).toContain(update.order.rewardPoints);
    const { rewardPoints: _points, ...order } = update.order;
    return { ...update, order };
  };
  const fromStream = secondStream.payloads().map((payload) => ({ data: payload['data'] as Record<string, unknown> }));
  for (const results of [firstUpdates.results, secondUpdates.results, fromStream]) {
    expect(updatesOf(results).map(strip)).toEqual([expected('CONFIRMED', 'PENDING', changed[0]!), expected('COMPLETED', 'CONFIRMED', changed[1]!)]);
  }
  expect(firstUpdates.results.length + secondUpdates.results.length + secondStream.payloads().length).toBe(6);

  secondStream.abort();
  await Promise.all([onFirst.dispose(), onSecond.dispose()]);
  await waitFor('both instances to let go', async () => (await subscribersOfChannel(orderId)) === 0);
  await waitFor('both instances to hold nothing', async () => {
    const held = [await heldBy(system.gateway), await heldBy(second)];
    return held.every((h) => h.orders === 0 && h.listeners === 0 && h.redisSubscriptions === 0 && h.sockets === 0);
  });
});

it('lets each instance release its own Redis subscription', async () => {
  const customer = await tokenFor('customer-two-2');
  const orderId = pegsOrder;
  const onFirst = wsClient(system.urls.gateway, customer);
  const onSecond = wsClient(`${second.http.url}/graphql`, customer);
  clients.push(onFirst, onSecond);
  const firstUpdates = new Recorded(onFirst, WATCH_ORDER, { id: orderId });
  new Recorded(onSecond, WATCH_ORDER, { id: orderId });
  await waitFor('both subscriber connections on the channel', async () => (await subscribersOfChannel(orderId)) === 2);

  await onSecond.dispose();
  await waitFor('the second instance to unsubscribe', async () => (await subscribersOfChannel(orderId)) === 1);
  expect(await heldBy(second)).toEqual({ orders: 0, listeners: 0, redisSubscriptions: 0, sockets: 0 });
  expect(await heldBy(system.gateway)).toEqual({ orders: 1, listeners: 1, redisSubscriptions: 1, sockets: 1 });
  // The first instance still delivers: whichever instance consumes the event, it reaches the first through Redis.
  await graphql(system.urls.gateway, 'mutation ($id: ID!) { confirmOrder(id: $id) { status } }', { id: orderId }, { token: admin });
  expect(updatesOf(await firstUpdates.take(1))[0]).toMatchObject({ status: 'CONFIRMED', previousStatus: 'PENDING' });
  firstUpdates.stop();
  await waitFor('the first instance to unsubscribe', async () => (await subscribersOfChannel(orderId)) === 0);
  expect((await heldBy(system.gateway)).redisSubscriptions).toBe(0);
});
