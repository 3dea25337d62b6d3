import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { createRedisClient } from '../../lib/redis';
import { freePort } from '../../lib/process';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startGatewayInstance, startOrdersNode, type RunningSystem } from '../../scripts/system';
import { expirePoints } from '../../subgraphs/rewards/application/expire-points';
import { ManualClock } from '../../subgraphs/rewards/test-support/rewards-harness';
import {
  adminToken,
  changePrice,
  completedOrderVia,
  createProduct,
  placeOrderVia,
  streamEnvelopes,
  transitionVia,
  waitForRewardPoints,
} from '../support/commerce';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * The event wiring of docs/architecture.md §4 on Redis Streams (the `npm start` transport when Redis is there): who emits
 * what, product events invalidating the Orders cache on every Orders instance, payment.completed confirming.
 */

let system: RunningSystem;
let redis: Redis;
let url: string;
let admin: string;
let rewardsClock: ManualClock;
type OrdersNode = Awaited<ReturnType<typeof startOrdersNode>>;
type GatewayInstance = Awaited<ReturnType<typeof startGatewayInstance>>;
/** A second Orders instance (its consumers join the same group) sharing the Redis cache, behind a second gateway. */
let secondUrl: string;
const extra: { stopAll(): Promise<void> }[] = [];

/**
 * Another Orders instance on the same configuration, with a gateway in front of it. The gateway starts first:
 * composing the supergraph blocks the event loop, which must not fall into the new instance's own start-up here.
 */
async function anotherOrdersInstance(): Promise<{ orders: OrdersNode; gateway: GatewayInstance; url: string }> {
  const port = await freePort();
  const gateway = await startGatewayInstance({ ...system.config, urls: { ...system.config.urls, ordersGraphql: `http://127.0.0.1:${port}/graphql` } }, system.bus);
  extra.push(gateway);
  const orders = await startOrdersNode({ ...system.config, ports: { ...system.config.ports, orders: port } }, system.bus, { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  extra.push(orders);
  return { orders, gateway, url: `${gateway.http.url}/graphql` };
}

/** A price as an order placed through `gatewayUrl` snapshots it. */
async function priceVia(gatewayUrl: string, customer: string, productId: string, quantity = 1): Promise<number> {
  return (await placeOrderVia(gatewayUrl, customer, productId, quantity)).items[0]!.unitPrice.amount;
}

/**
 * Waits until orders placed through `gatewayUrl` snapshot `priceCents`. The change travels from Catalog's outbox
 * over the bus to one Orders instance, which drops the shared Redis entry; Redis then tells every instance to drop
 * its in-memory copy. Without that path the old price, cached with max-age=300, stands for 5 minutes and the wait
 * fails.
 */
async function newPriceSeen(gatewayUrl: string, customer: string, productId: string, priceCents: number): Promise<void> {
  let last: number | undefined;
  await waitFor(() => `orders through ${gatewayUrl} at ${priceCents} (last ${last})`, async () => (last = await priceVia(gatewayUrl, customer, productId)) === priceCents, undefined, 100);
}

beforeAll(async () => {
  rewardsClock = new ManualClock(Date.now());
  system = await startTestSystem('events-redis', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    relay: { sweepIntervalMs: 200, minAgeMs: 100 },
    rewards: { clock: rewardsClock },
  });
  redis = createRedisClient(testRedisUrl());
  url = system.urls.gateway;
  admin = await adminToken();
  ({ url: secondUrl } = await anotherOrdersInstance());
});
afterAll(async () => {
  for (const started of extra.reverse()) await started.stopAll();
  await system?.stop();
  await redis?.quit();
});

describe('what each context emits', () => {
  it('Catalog: product.created, product.updated and product.price.changed', async () => {
    const productId = await createProduct(url, 'EW-EMIT-1', 2_500);
    await graphql(url, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Renamed", stockQuantity: 7 }) { id } }`, { id: productId }, { token: admin });
    await changePrice(url, productId, 2_750);

    await waitFor('the three catalog events', async () => (await streamEnvelopes(redis, system, 'product.price.changed')).some((e) => e.data.productId === productId));
    const created = (await streamEnvelopes(redis, system, 'product.created')).filter((e) => e.data.productId === productId);
    const updated = (await streamEnvelopes(redis, system, 'product.updated')).filter((e) => e.data.productId === productId);
    const priced = (await streamEnvelopes(redis, system, 'product.price.changed')).filter((e) => e.data.productId === productId);
    expect(created.map((e) => [e.source, e.data])).toEqual([
      ['catalog', { productId, sku: 'EW-EMIT-1', category: 'e2e-events', name: 'Product EW-EMIT-1', price: { amount: 2_500, currency: 'USD' }, stockQuantity: 1000 }],
    ]);
    expect(updated.map((e) => e.data)).toEqual([{ productId, sku: 'EW-EMIT-1', category: 'e2e-events', changed: ['name', 'stockQuantity'] }]);
    expect(priced.map((e) => e.data)).toEqual([
      { productId, sku: 'EW-EMIT-1', category: 'e2e-events', oldPrice: { amount: 2_500, currency: 'USD' }, newPrice: { amount: 2_750, currency: 'USD' } },
    ]);
  });

  it('Orders: order.created, order.confirmed, order.completed, order.cancelled; Rewards: reward.issued and reward.redeemed', async () => {
    const productId = await createProduct(url, 'EW-EMIT-2', 4_321);
    const customer = await tokenFor('ew-emitter');
    const order = await completedOrderVia(url, customer, productId, 2);
    const cancelled = await placeOrderVia(url, customer, productId);
    expect(await transitionVia(url, customer, 'cancelOrder', cancelled.id)).toEqual({ status: 'CANCELLED' });
    expect(await waitForRewardPoints(url, customer, order.id)).toBe(86);
    const redeemed = await graphql(url, `mutation { redeemPoints(points: 6) { balance } }`, {}, { token: customer });
    expect(redeemed.errors).toBeUndefined();

    await waitFor('reward.redeemed on its stream', async () => (await streamEnvelopes(redis, system, 'reward.redeemed')).some((e) => e.data.customerId === 'ew-emitter'));
    const mine = <T extends { data: { orderId: string } }>(events: T[]) => events.filter((e) => e.data.orderId === order.id || e.data.orderId === cancelled.id);
    const total = { amount: 8_642, currency: 'USD' };
    const createdEvents = mine(await streamEnvelopes(redis, system, 'order.created'));
    // Each order is due paid PAYMENT_TIMEOUT_SECONDS (900 by default) after it was placed.
    const dueAt = (e: (typeof createdEvents)[number]) => new Date(Date.parse(e.occurredAt) + 900_000).toISOString();
    expect(createdEvents.map((e) => [e.source, e.data])).toEqual([
      ['orders', { orderId: order.id, customerId: 'ew-emitter', items: [{ productId, quantity: 2, unitPrice: { amount: 4_321, currency: 'USD' } }], total, version: 1, paymentDueAt: dueAt(createdEvents[0]!) }],
      [
        'orders',
        { orderId: cancelled.id, customerId: 'ew-emitter', items: [{ productId, quantity: 1, unitPrice: { amount: 4_321, currency: 'USD' } }], total: { amount: 4_321, currency: 'USD' }, version: 1, paymentDueAt: dueAt(createdEvents[1]!) },
      ],
    ]);
    expect(mine(await streamEnvelopes(redis, system, 'order.confirmed')).map((e) => e.data)).toEqual([
      { orderId: order.id, customerId: 'ew-emitter', status: 'CONFIRMED', previousStatus: 'PENDING', total, version: 2, confirmedBy: 'admin' },
    ]);
    expect(mine(await streamEnvelopes(redis, system, 'order.completed')).map((e) => e.data)).toEqual([
      { orderId: order.id, customerId: 'ew-emitter', status: 'COMPLETED', previousStatus: 'CONFIRMED', total, version: 3 },
    ]);
    expect(mine(await streamEnvelopes(redis, system, 'order.cancelled')).map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: cancelled.id, customerId: 'ew-emitter', status: 'CANCELLED', previousStatus: 'PENDING', cause: 'customer', version: 2 }),
    ]);
    const rewardEvents = [
      ...(await streamEnvelopes(redis, system, 'reward.issued')),
      ...(await streamEnvelopes(redis, system, 'reward.redeemed')),
    ].filter((e) => e.data.customerId === 'ew-emitter');
    expect(rewardEvents.map((e) => [e.type, e.source, e.data])).toEqual([
      ['reward.issued', 'rewards', { customerId: 'ew-emitter', points: 86, balance: 86, orderId: order.id }],
      ['reward.redeemed', 'rewards', { customerId: 'ew-emitter', points: 6, balance: 80 }],
    ]);
  });

  it('Rewards: reward.expired from the expiry job, published by the relay', async () => {
    const productId = await createProduct(url, 'EW-EMIT-3', 5_000);
    const customer = await tokenFor('ew-expiring');
    // Points issued "13 months ago" by Rewards' clock.
    rewardsClock.set(new Date(Date.now() - 396 * 86_400_000));
    const order = await completedOrderVia(url, customer, productId);
    expect(await waitForRewardPoints(url, customer, order.id)).toBe(50);
    rewardsClock.set(new Date());

    const report = await expirePoints(system.rewards.deps);

    // Only this customer's points are old: every other issuance of this file happened at "now".
    expect(report).toMatchObject({ accountsExpired: 1, pointsExpired: 50 });
    await waitFor('reward.expired on its stream', async () => (await streamEnvelopes(redis, system, 'reward.expired')).some((e) => e.data.customerId === 'ew-expiring'));
    const expired = (await streamEnvelopes(redis, system, 'reward.expired')).filter((e) => e.data.customerId === 'ew-expiring');
    expect(expired.map((e) => [e.source, e.data])).toEqual([['rewards', { customerId: 'ew-expiring', points: 50, balance: 0 }]]);
    const balance = await graphql<{ me: { rewards: { balance: number; lifetimePoints: number } } }>(url, `{ me { rewards { balance lifetimePoints } } }`, {}, { token: customer });
    expect(balance.data!.me.rewards).toEqual({ balance: 0, lifetimePoints: 50 });
  });
});

describe('product events reach Orders', () => {
  it('an order placed after a price change uses the new price, on both Orders instances', async () => {
    const productId = await createProduct(url, 'EW-PRICE-1', 1_000);
    const customer = await tokenFor('ew-price-customer');
    // Twice on each instance: the second lookup is answered from the instance's own memory (Redis client-side
    // caching). Catalog grants max-age=300: without invalidation the old price would stand for 5 minutes.
    const before = [];
    for (const gateway of [url, url, secondUrl, secondUrl]) before.push(await priceVia(gateway, customer, productId));
    expect(before).toEqual([1_000, 1_000, 1_000, 1_000]);

    await changePrice(url, productId, 1_550);
    await newPriceSeen(url, customer, productId, 1_550);
    await newPriceSeen(secondUrl, customer, productId, 1_550);

    expect(await priceVia(url, customer, productId)).toBe(1_550);
    const second = await placeOrderVia(secondUrl, customer, productId, 2);
    expect(second.items[0]!.unitPrice.amount).toBe(1_550);
    expect(second.total.amount).toBe(3_100);
  });

  it('an Orders instance whose start-up stalled (event loop blocked 800 ms) still sees a price change', async () => {
    const port = await freePort();
    const gateway = await startGatewayInstance({ ...system.config, urls: { ...system.config.urls, ordersGraphql: `http://127.0.0.1:${port}/graphql` } }, system.bus);
    extra.push(gateway);
    const stalled = await startOrdersNode({ ...system.config, ports: { ...system.config.ports, orders: port } }, system.bus, { consumers: false });
    extra.push(stalled);
    // What a cold start does when something heavy runs right after it (a supergraph composition, a large GC).
    const until = Date.now() + 800;
    while (Date.now() < until) {
      // busy: nothing else runs meanwhile
    }
    const stalledUrl = `${gateway.http.url}/graphql`;
    const productId = await createProduct(url, 'EW-PRICE-STALL', 1_000);
    const customer = await tokenFor('ew-stall-customer');
    expect([await priceVia(url, customer, productId), await priceVia(stalledUrl, customer, productId), await priceVia(stalledUrl, customer, productId)]).toEqual([
      1_000, 1_000, 1_000,
    ]);

    await changePrice(url, productId, 1_200);
    await newPriceSeen(url, customer, productId, 1_200);
    await newPriceSeen(stalledUrl, customer, productId, 1_200);

    expect(await priceVia(url, customer, productId)).toBe(1_200);
    expect(await priceVia(stalledUrl, customer, productId)).toBe(1_200);
  });

  it('product.updated invalidates too: an order placed after a rename snapshots the new name, on both instances', async () => {
    const productId = await createProduct(url, 'EW-NAME-1', 800);
    const customer = await tokenFor('ew-name-customer');
    const NAME = `mutation($p: ID!) { placeOrder(input: { items: [{ productId: $p, quantity: 1 }] }) { items { productName } } }`;
    const nameVia = async (gateway: string) => {
      const response = await graphql<{ placeOrder: { items: { productName: string }[] } }>(gateway, NAME, { p: productId }, { token: customer });
      expect(response.errors).toBeUndefined();
      return response.data!.placeOrder.items[0]!.productName;
    };
    for (const gateway of [url, url, secondUrl, secondUrl]) expect(await nameVia(gateway)).toBe('Product EW-NAME-1');

    const renamed = await graphql(url, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Espresso Cup" }) { id } }`, { id: productId }, { token: admin });
    expect(renamed.errors).toBeUndefined();
    await waitFor('the new name on the first instance', async () => (await nameVia(url)) === 'Espresso Cup', undefined, 100);
    await waitFor('the new name on the second instance', async () => (await nameVia(secondUrl)) === 'Espresso Cup', undefined, 100);

    expect(await nameVia(url)).toBe('Espresso Cup');
    expect(await nameVia(secondUrl)).toBe('Espresso Cup');
  });
});

describe('payment.completed', () => {
  it('published on the bus confirms the order, once, however often it is delivered', async () => {
    const productId = await createProduct(url, 'EW-PAY-1', 3_000);
    const customer = await tokenFor('ew-payer');
    const order = await placeOrderVia(url, customer, productId);
    const payment = sampleEnvelope('payment.completed', { orderId: order.id });

    await system.bus.publish([payment, payment]);
    await system.bus.publish([sampleEnvelope('payment.completed', { orderId: order.id })]);

    const status = async () =>
      (await graphql<{ order: { status: string } }>(url, `query($id: ID!) { order(id: $id) { status } }`, { id: order.id }, { token: customer })).data!.order.status;
    await waitFor('the order to be confirmed', async () => (await status()) === 'CONFIRMED');
    // A marker behind the three deliveries: once it is confirmed, they have all been handled.
    const marker = await placeOrderVia(url, customer, productId);
    await system.bus.publish([sampleEnvelope('payment.completed', { orderId: marker.id })]);
    await waitFor('the marker to be confirmed', async () => {
      const response = await graphql<{ order: { status: string } }>(url, `query($id: ID!) { order(id: $id) { status } }`, { id: marker.id }, { token: customer });
      return response.data!.order.status === 'CONFIRMED';
    });
    await waitFor('order.confirmed of the marker on its stream', async () =>
      (await streamEnvelopes(redis, system, 'order.confirmed')).some((e) => e.data.orderId === marker.id),
    );
    const confirmations = (await streamEnvelopes(redis, system, 'order.confirmed')).filter((e) => e.data.orderId === order.id);
    expect(confirmations.map((e) => e.data)).toEqual([
      { orderId: order.id, customerId: 'ew-payer', status: 'CONFIRMED', previousStatus: 'PENDING', total: { amount: 3_000, currency: 'USD' }, version: 2, confirmedBy: 'payment-completed' },
    ]);
    expect(await status()).toBe('CONFIRMED');
  });

  it('for an unknown order, or one already past PENDING, changes nothing and is not dead-lettered', async () => {
    const productId = await createProduct(url, 'EW-PAY-2', 3_000);
    const customer = await tokenFor('ew-payer-2');
    const order = await completedOrderVia(url, customer, productId);
    await system.bus.publish([
      sampleEnvelope('payment.completed', { orderId: 'no-such-order' }),
      sampleEnvelope('payment.completed', { orderId: order.id }),
    ]);
    const marker = await placeOrderVia(url, customer, productId);
    await system.bus.publish([sampleEnvelope('payment.completed', { orderId: marker.id })]);
    await waitFor('the marker to be confirmed', async () => {
      const response = await graphql<{ order: { status: string } }>(url, `query($id: ID!) { order(id: $id) { status } }`, { id: marker.id }, { token: customer });
      return response.data!.order.status === 'CONFIRMED';
    });
    const response = await graphql<{ order: { status: string } }>(url, `query($id: ID!) { order(id: $id) { status } }`, { id: order.id }, { token: customer });
    expect(response.data!.order.status).toBe('COMPLETED');
    expect(await redis.xlen(`${system.config.namespace}events:dead-letter:orders`)).toBe(0);
  });
});
