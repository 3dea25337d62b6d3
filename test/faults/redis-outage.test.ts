import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { waitFor } from '../../lib/events/testing/wait-for';
import { namesTrackingInvalidations } from '../../lib/http-client/tracked-redis-store';
import { createRedisClient, startRedisServer, type LocalRedis } from '../../lib/redis';
import type { AppConfig } from '../../lib/config';
import { freePort } from '../../lib/process';
import { startGatewayInstance, startOrdersNode, type RunningSystem } from '../../scripts/system';
import {
  changePrice,
  completeInProcess,
  confirmedOrders,
  createProduct,
  issuancesPerOrder,
  ledgerOf,
  mapLimit,
  pendingOutbox,
  placeOrderVia,
  streamEnvelopes,
} from '../support/commerce';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Fault: Redis (the event bus) stopped for 5 s while 200 orders complete. The orders commit with their events in
 * the outbox; the publishes fail; once Redis is back (with its append-only file, so the streams and consumer
 * groups survive) the relay's sweep publishes the leftovers and every order gets exactly one issuance.
 */

const ORDERS = 200;
const OUTAGE_MS = 5000;
/** Generous on a busy machine: an instance that missed the invalidation would keep the old price for minutes. */
const PRICE_CHANGE_DEADLINE_MS = 10_000;
const customerIds = Array.from({ length: 20 }, (_, i) => `outage-customer-${i}`);

let dataDir: string;
let redis: LocalRedis;
let admin: Redis;
let system: RunningSystem;
/** A second Orders instance (with its consumers, sharing the group) behind a second gateway. */
let secondOrders: Awaited<ReturnType<typeof startOrdersNode>>;
let secondGateway: Awaited<ReturnType<typeof startGatewayInstance>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'redis-outage-'));
  redis = await startRedisServer({ dataDir });
  admin = createRedisClient(redis.url);
  admin.on('error', () => undefined);
  system = await startTestSystem('fault-redis-outage', {
    env: { EVENT_BUS: 'redis', REDIS_URL: redis.url },
    relay: FAULT_TEST_RELAY,
    eventBus: {
      redis: {
        publishTimeoutMs: 1000,
        reclaimIdleMs: 3000,
        retryBackoff: { initialMs: 50, maxMs: 500 },
        loopErrorBackoff: { initialMs: 50, maxMs: 500 },
      },
    },
  });
  // The gateway first (its supergraph composition blocks the event loop), then the Orders instance behind it.
  const port = await freePort();
  secondGateway = await startGatewayInstance({ ...system.config, urls: { ...system.config.urls, ordersGraphql: `http://127.0.0.1:${port}/graphql` } }, system.bus);
  const secondConfig: AppConfig = { ...system.config, ports: { ...system.config.ports, orders: port } };
  secondOrders = await startOrdersNode(secondConfig, system.bus, { relay: FAULT_TEST_RELAY });
}, 60_000);
afterAll(async () => {
  await secondGateway?.stopAll();
  await secondOrders?.stopAll();
  await system?.stop();
  await admin?.quit().catch(() => undefined);
  await redis?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** How many Catalog caches (one per Orders instance) Redis is telling of invalidations. */
const trackingStores = async () => namesTrackingInvalidations(String(await admin.call('CLIENT', 'LIST'))).size;

describe('Redis stopped and restarted', () => {
  it('after it is back, an order placed after a price change uses the new price on every Orders instance', async () => {
    const customer = await tokenFor('outage-shopper');
    const secondUrl = `${secondGateway.http.url}/graphql`;
    const priceVia = async (url: string, productId: string) => (await placeOrderVia(url, customer, productId)).items[0]!.unitPrice.amount;
    const priceChangeReachesBoth = async (sku: string) => {
      const productId = await createProduct(system.urls.gateway, sku, 1_000);
      // Twice on each instance: the second lookup is answered from the instance's own memory (Redis client-side
      // caching), which only an invalidation pushed by Redis can clear. Either instance may take the event.
      const before = [];
      for (const url of [system.urls.gateway, system.urls.gateway, secondUrl, secondUrl]) before.push(await priceVia(url, productId));
      expect(before).toEqual([1_000, 1_000, 1_000, 1_000]);
      await changePrice(system.urls.gateway, productId, 1_990);
      // Without an invalidation, each instance would serve 1,000 from its memory for the cache's whole TTL.
      let seen: number[] = [];
      await waitFor('the new price on both instances', async () => {
        seen = [await priceVia(system.urls.gateway, productId), await priceVia(secondUrl, productId)];
        return seen.every((price) => price === 1_990);
      }, PRICE_CHANGE_DEADLINE_MS, 100).catch(() => undefined);
      return seen;
    };
    // Control: before this restart, both instances see a change.
    expect(await priceChangeReachesBoth('OUTAGE-PRICE-BEFORE')).toEqual([1_990, 1_990]);
    const trackingBefore = await trackingStores();
    expect(trackingBefore).toBe(2);

    await redis.stop();
    await waitFor('the clients to see Redis gone', () => admin.status !== 'ready', 10_000);
    redis = await startRedisServer({ dataDir, port: redis.port });
    await waitFor('the bus to publish again', async () => {
      try {
        await system.bus.publish([]);
        return (await admin.ping()) === 'PONG' && (await pendingOutbox(system, 'catalog')).length === 0;
      } catch {
        return false;
      }
    }, 30_000, 200);
    // Both instances' cache connections back in use (a lookup each), then the same check as before the restart.
    const warmUp = await createProduct(system.urls.gateway, 'OUTAGE-PRICE-WARM-UP', 1_000);
    await waitFor('both instances to read through the cache again', async () => (await priceVia(system.urls.gateway, warmUp)) === 1_000 && (await priceVia(secondUrl, warmUp)) === 1_000);
    // Their stores rebuilt on reconnect: tracking invalidations again, as many as before the restart.
    await waitFor('both instances to track invalidations again', async () => (await trackingStores()) >= trackingBefore, 30_000, 100);

    expect(await priceChangeReachesBoth('OUTAGE-PRICE-AFTER')).toEqual([1_990, 1_990]);
  }, 90_000);

  it('for 5 s while 200 orders complete: after it is back, every order has exactly one issuance', async () => {
    const productId = await createProduct(system.urls.gateway, 'OUTAGE-1', 1_000);
    const orders = await confirmedOrders(system, ORDERS, { customerIds, productId });
    // Everything before the outage has gone through: the streams and groups exist and are persisted.
    await waitFor('the confirmations to be published', async () => (await pendingOutbox(system, 'orders')).length === 0, 30_000, 100);

    await redis.stop();
    const stoppedAt = Date.now();
    await mapLimit(orders, 8, (order) => completeInProcess(system, order.id));
    // The outage lasts until the completions have been stranded in the outbox for its length: the publishes right
    // after commit gave up (publishTimeoutMs) and the relay's sweeps failed meanwhile.
    let stranded: Awaited<ReturnType<typeof pendingOutbox>> = [];
    await waitFor(`the completions to be stranded for ${OUTAGE_MS} ms`, async () => {
      stranded = (await pendingOutbox(system, 'orders')).filter((e) => e.type === 'order.completed');
      return stranded.length === ORDERS && Date.now() - stoppedAt >= OUTAGE_MS;
    }, OUTAGE_MS + 30_000, 250);
    expect(stranded).toHaveLength(ORDERS);
    expect(await issuancesPerOrder(system, customerIds)).toEqual(new Map());

    redis = await startRedisServer({ dataDir, port: redis.port });

    let issuedSoFar = 0;
    await waitFor(
      () => `an issuance for every order (${issuedSoFar} of ${ORDERS} issued)`,
      async () => (issuedSoFar = (await system.rewards.deps.rewards.findIssuances(orders.map((o) => o.id))).length) === ORDERS,
      // The relay's sweep publishes the 200 stranded completions within seconds; Rewards (8 at once) and Catalog then
      // handle each with a DynamoDB transaction: 12-30 s in all on a 2-core machine loaded to 3-12, where DynamoDB Local
      // is the bottleneck. The deadline leaves room for a machine loaded to 20. Polled once a second: each poll is 200
      // strongly consistent reads on that same DynamoDB Local.
      120_000,
      1_000,
    );
    await waitFor('both outboxes to drain', async () => (await pendingOutbox(system, 'orders')).length === 0 && (await pendingOutbox(system, 'rewards')).length === 0, 30_000, 250);

    const perOrder = await issuancesPerOrder(system, customerIds);
    expect([...perOrder.keys()].sort()).toEqual(orders.map((o) => o.id).sort());
    expect([...perOrder.values()].every((count) => count === 1)).toBe(true);
    for (const customerId of customerIds) {
      const expected = orders.filter((o) => o.customerId === customerId).reduce((sum, o) => sum + Math.floor(o.total / 100), 0);
      const account = await system.rewards.deps.rewards.findAccount(customerId);
      expect({ customerId, balance: account?.balance, lifetime: account?.lifetimePoints }).toEqual({ customerId, balance: expected, lifetime: expected });
      expect((await ledgerOf(system, customerId)).length).toBe(orders.filter((o) => o.customerId === customerId).length);
    }
    const issued = (await streamEnvelopes(admin, system, 'reward.issued')).filter((e) => customerIds.includes(e.data.customerId));
    expect(issued).toHaveLength(ORDERS);
    expect(new Set(issued.map((e) => e.data.orderId)).size).toBe(ORDERS);
    expect(await admin.xlen(`${system.config.namespace}events:dead-letter:rewards`)).toBe(0);
  }, 270_000);
});

describe('Redis stopped between a stock change and the next read', () => {
  const STOCK = 'query Stock($id: ID!) { product(id: $id) { stockQuantity reservedQuantity } }';

  it('shows the change on every gateway instance, while Redis is down and once it is back: no cached copy from before it survives', async () => {
    const adminToken = await tokenFor('admin-outage', { admin: true });
    const shopper = await tokenFor('outage-stock-shopper');
    const secondUrl = `${secondGateway.http.url}/graphql`;
    const caches = [system.gateway.levers.cache!, secondGateway.levers.cache!];
    const productId = await createProduct(system.urls.gateway, 'OUTAGE-STOCK', 1_000, { stock: 10 });
    const stockVia = async (url: string) => {
      const response = await graphql<{ product: { stockQuantity: number; reservedQuantity: number } }>(url, STOCK, { id: productId }, { token: adminToken });
      return response.data?.product ? [response.data.product.stockQuantity, response.data.product.reservedQuantity] : response.errors;
    };
    const catalogReads = () => metricValue(system.urls.catalog, 'http_request_duration_seconds_count', { route: '/graphql' });
    /** Both instances answer `expected` twice, the second time without asking Catalog: it is cached on both. */
    const cachedOnBoth = (expected: number[]) =>
      waitFor(`${JSON.stringify(expected)} cached on both instances`, async () => {
        if (caches.some((cache) => cache.pendingInvalidations() > 0) || (await pendingOutbox(system, 'catalog')).length > 0) return false;
        const first = [await stockVia(system.urls.gateway), await stockVia(secondUrl)];
        const before = await catalogReads();
        const again = [await stockVia(system.urls.gateway), await stockVia(secondUrl)];
        return JSON.stringify([...first, ...again]) === JSON.stringify([expected, expected, expected, expected]) && (await catalogReads()) === before;
      }, 30_000, 100);
    await cachedOnBoth([10, 0]);

    await redis.stop();
    let restarted = false;
    try {
      // Cut off, an instance hears no invalidations: its cache is off until it is back.
      await waitFor('both gateway caches to stop', () => caches.every((cache) => !cache.available), 10_000);
      // The stock changes while Redis is down: a customer holds a unit (its events wait in the outbox) and an admin
      // restocks through the first gateway (its invalidation reaches neither Redis nor the other instance).
      await placeOrderVia(system.urls.gateway, shopper, productId, 1);
      const restocked = await graphql(system.urls.gateway, 'mutation ($id: ID!) { updateProduct(id: $id, input: { stockQuantity: 20 }) { stockQuantity } }', { id: productId }, { token: adminToken });
      expect(restocked.errors).toBeUndefined();
      expect([await stockVia(system.urls.gateway), await stockVia(secondUrl)]).toEqual([[20, 1], [20, 1]]);

      redis = await startRedisServer({ dataDir, port: redis.port });
      restarted = true;
      // Back on Redis (which restored the entries it held from its append-only file), each instance fenced them off.
      await waitFor('both gateway caches back', () => caches.every((cache) => cache.available), 30_000, 50);
      expect([await stockVia(system.urls.gateway), await stockVia(secondUrl)]).toEqual([[20, 1], [20, 1]]);
      // And caching again, once the held unit's events (published now) are through.
      await cachedOnBoth([20, 1]);
    } finally {
      // A failure above must not leave the clean-up without Redis.
      if (!restarted) redis = await startRedisServer({ dataDir, port: redis.port });
    }
  }, 120_000);
});
