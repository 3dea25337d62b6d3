import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { mapLimit } from '../../lib/async';
import { eventStreamKey } from '../../lib/events';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient } from '../../lib/redis';
import { eventStreamPrefix } from '../../scripts/system';
import { ORDERS_CONSUMER_GROUP } from '../../subgraphs/orders/infrastructure/event-consumers';
import { confirmAtStripe, expectCheckoutConsistent, startedPayment } from '../support/checkout';
import { streamEnvelopes } from '../support/commerce';
import { createProducts, placedOrder } from '../support/orders';
import { startContextProcess } from '../support/processes';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * Fault: the Orders process that consumes payment.authorized is killed (SIGKILL) between authorizations and the
 * confirmations they bring: first while it is down (the authorizations wait on the stream), then in the middle of
 * a batch (entries it read and did not acknowledge are reclaimed by the next process). Every authorized order ends
 * CONFIRMED exactly once; nothing is held or charged without its order.
 */

const ORDERS = 60;
let system: TestSystem;
let redis: Redis;
let productId: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Orders consumes in its own process only; this process serves the graph, Payments (webhooks included) and Catalog.
  system = await startTestSystem('fault-orders-checkout', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    nodes: { orders: { consumers: false } },
    relay: FAULT_TEST_RELAY,
  });
  redis = createRedisClient(testRedisUrl());
  const admin = await tokenFor('admin-1', { admin: true });
  productId = (await createProducts(system, admin, [{ n: 1, stockQuantity: 1_000 }]))[0].id;
}, 90_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await system?.stop();
  await redis?.quit();
});

const startOrdersProcess = () => startContextProcess(system, 'orders', { RECLAIM_IDLE_MS: '1500', CATALOG_REST_URL: system.urls.catalog }, children);

/** payment.authorized entries the Orders group has read and not acknowledged. */
async function pendingAuthorizations(): Promise<number> {
  const summary = (await redis.xpending(eventStreamKey(eventStreamPrefix(system.config), 'payment.authorized'), ORDERS_CONSUMER_GROUP)) as [number, ...unknown[]];
  return Number(summary[0]);
}

describe('the Orders process killed between authorization and confirmation', () => {
  it('confirms every authorized order exactly once after restarts', async () => {
    // Orders is down while the customers pay: no process consumes payment.authorized yet. The first one to start
    // creates its group at the stream's beginning (id 0, redis-stream-consumer.ts), so the authorizations waiting
    // there reach it as they would reach a group that existed before the outage.
    const customers = Array.from({ length: 12 }, (_, i) => `fault-orders-${i}`);
    const tokens = new Map(await Promise.all(customers.map(async (sub) => [sub, await tokenFor(sub)] as const)));
    const placed = await mapLimit(Array.from({ length: ORDERS }, (_, i) => customers[i % customers.length]!), 6, async (sub) => {
      const order = await placedOrder(system, tokens.get(sub)!, [{ productId, quantity: 1 }]);
      const payment = await startedPayment(system, tokens.get(sub)!, order.id);
      expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
      return order.id;
    });
    const ids = new Set(placed);
    const authorized = async () => (await streamEnvelopes(redis, system, 'payment.authorized')).filter((event) => ids.has(event.data.orderId)).length;
    await waitFor('every authorization on the stream', async () => (await authorized()) === ORDERS, 60_000, 100);
    // Authorized at Stripe and in Payments; Orders has confirmed nothing.
    expect((await system.orders.deps.orders.findByIds(placed)).map((order) => order.status)).toEqual(Array(ORDERS).fill('PENDING'));

    const statuses = async () => (await system.orders.deps.orders.findByIds(placed)).map((order) => order.status);
    const first = await startOrdersProcess();
    await waitFor(
      'the process to be mid-batch',
      async () => {
        const confirmed = (await statuses()).filter((status) => status === 'CONFIRMED').length;
        return confirmed >= 1 && confirmed < ORDERS && (await pendingAuthorizations()) > 0;
      },
      60_000,
      // Each poll reads the 60 orders; confirming them all takes the process seconds.
      50,
    );
    await first.kill();
    // The dead process still holds entries it read: only a reclaim by the next process gets them handled.
    expect(await pendingAuthorizations()).toBeGreaterThan(0);

    await startOrdersProcess();
    await waitFor('every order CONFIRMED', async () => (await statuses()).every((status) => status === 'CONFIRMED'), 120_000, 200);
    await waitFor('nothing pending in the group', async () => (await pendingAuthorizations()) === 0, 30_000, 200);
    await waitFor('every order.confirmed published', async () => (await streamEnvelopes(redis, system, 'order.confirmed')).filter((e) => ids.has(e.data.orderId)).length >= ORDERS, 30_000, 200);
    const confirmations = (await streamEnvelopes(redis, system, 'order.confirmed')).filter((event) => ids.has(event.data.orderId));
    expect(confirmations.map((event) => event.data.orderId).sort()).toEqual([...placed].sort());
    expect(await redis.xlen(`${eventStreamPrefix(system.config)}:dead-letter:${ORDERS_CONSUMER_GROUP}`)).toBe(0);
    await expectCheckoutConsistent(system, placed);
    const product = (await system.catalog.deps.products.findById(productId))!;
    expect([product.stockQuantity, product.reservedQuantity]).toEqual([1_000 - ORDERS, ORDERS]);
  }, 300_000);
});
