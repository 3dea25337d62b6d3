import type { ChildProcess } from 'node:child_process';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { waitFor } from '../../lib/events/testing/wait-for';
import { freePort } from '../../lib/process';
import { createRedisClient } from '../../lib/redis';
import { confirmAtStripe, expectCheckoutConsistent, startedPayment } from '../support/checkout';
import { streamEnvelopes, waitForRewardPoints } from '../support/commerce';
import { ADDRESS, UPS, UPS_SHIPPED, fulfilmentOf, markDeliveredAs, placeWithContact, shipOrderAs, waitForFulfilment } from '../support/fulfilment';
import { createProducts } from '../support/orders';
import { startContextProcess, type ContextProcess } from '../support/processes';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem, TEST_SIGNING_SECRET, tokenFor, type TestSystem } from '../support/system';

/**
 * Fault: the Orders process that runs shipOrder (then markOrderDelivered) is killed (SIGKILL) after Shipping committed
 * the command and before Orders read Shipping's answer, so before its own save: the shipment is SHIPPED (DELIVERED)
 * while the order is still CONFIRMED (SHIPPED). The next Orders process resumes from Shipping's shipment.shipped
 * (shipment.delivered) and the order ends SHIPPED (COMPLETED) with one event for each change, the payment captured,
 * the points issued and the stock sold.
 */

let system: TestSystem;
let redis: Redis;
let productId: string;
let shippingProxy: KillingProxy;
let ordersPort: number;
const children: ChildProcess[] = [];
const ADMIN = { signedAs: { caller: { sub: 'admin-1', roles: ['admin'] }, secret: TEST_SIGNING_SECRET } };

/**
 * A real HTTP server in front of Shipping that forwards every request and, when armed for a path, lets Shipping answer
 * (its change committed) and then runs `before` (kills the caller) before the answer would be passed on.
 */
interface KillingProxy {
  readonly url: string;
  arm(path: string, before: () => Promise<void>): void;
  close(): Promise<void>;
}

async function startKillingProxy(target: string): Promise<KillingProxy> {
  const origin = new URL(target);
  let armed: { path: string; before: () => Promise<void> } | undefined;
  const server: Server = createServer((req, res) => {
    const outgoing = forward({ hostname: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: { ...req.headers, host: origin.host } }, (answer) => {
      const trap = armed && req.url === armed.path ? armed : undefined;
      if (!trap) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      armed = undefined;
      answer.resume();
      answer.once('end', () => void trap.before().finally(() => res.destroy()));
    });
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: (path, before) => void (armed = { path, before }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  // Orders consumes in its own process only; this process serves the graph, Catalog, Payments, Shipping and Rewards.
  system = await startTestSystem('fault-orders-fulfilment', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    nodes: { orders: { consumers: false } },
    relay: FAULT_TEST_RELAY,
  });
  redis = createRedisClient(testRedisUrl());
  shippingProxy = await startKillingProxy(system.urls.shipping);
  ordersPort = await freePort();
  const admin = await tokenFor('admin-1', { admin: true });
  productId = (await createProducts(system, admin, [{ n: 1, price: { amount: 10_000, currency: 'USD' }, stockQuantity: 20 }]))[0].id;
}, 90_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await shippingProxy?.close();
  await system?.stop();
  await redis?.quit();
});

/** Orders on a fixed port, commanding Payments directly and Shipping through the proxy. */
const startOrdersProcess = () =>
  startContextProcess(
    system,
    'orders',
    {
      ORDERS_PORT: String(ordersPort),
      RECLAIM_IDLE_MS: '1500',
      CATALOG_REST_URL: system.urls.catalog,
      PAYMENTS_URL: `${system.urls.payments}/graphql`,
      SHIPPING_URL: `${shippingProxy.url}/graphql`,
    },
    children,
  );
const ordersGraphql = () => `http://127.0.0.1:${ordersPort}/graphql`;

describe('the Orders process killed between Shipping and its own save', () => {
  it('ends SHIPPED, then COMPLETED, through the resume consumers, each change once', async () => {
    let orders: ContextProcess = await startOrdersProcess();
    const token = await tokenFor('fault-fulfil');
    const placed = await placeWithContact(system.urls.gateway, token, { items: [{ productId, quantity: 2 }], shippingAddress: ADDRESS, email: 'fault@example.com' });
    expect(placed.errors).toBeUndefined();
    const orderId = placed.data!.placeOrder.id;
    const payment = await startedPayment(system, token, orderId);
    await confirmAtStripe(system, payment, 'pm_card_visa');
    await waitForFulfilment(system.urls.gateway, token, orderId, (order) => order.shipment?.status === 'READY', 'CONFIRMED with its shipment READY');

    // Ship: Shipping commits SHIPPED, and Orders dies before it hears so.
    const dead = orders;
    shippingProxy.arm('/internal/shipments/ship', () => dead.kill());
    await expect(shipOrderAs(ordersGraphql(), ADMIN, orderId, UPS, 'id status')).rejects.toThrow();
    const torn = await fulfilmentOf(system.urls.gateway, token, orderId);
    expect([torn.status, torn.shipment?.status, torn.payment?.status]).toEqual(['CONFIRMED', 'SHIPPED', 'CAPTURED']);

    orders = await startOrdersProcess();
    const shipped = await waitForFulfilment(system.urls.gateway, token, orderId, (order) => order.status === 'SHIPPED', 'SHIPPED by the resume consumer');
    expect(shipped).toMatchObject({ version: 3, shipment: { status: 'SHIPPED', ...UPS_SHIPPED }, payment: { status: 'CAPTURED' } });
    await waitFor('order.shipped published', async () => (await streamEnvelopes(redis, system, 'order.shipped')).some((event) => event.data.orderId === orderId));
    expect((await streamEnvelopes(redis, system, 'order.shipped')).filter((event) => event.data.orderId === orderId).map((event) => event.data)).toEqual([
      { orderId, customerId: 'fault-fulfil', status: 'SHIPPED', previousStatus: 'CONFIRMED', total: { amount: 20_000, currency: 'USD' }, version: 3, ...UPS_SHIPPED },
    ]);
    // Repeating the admin's click after the crash is harmless: the order is already SHIPPED.
    expect((await shipOrderAs(ordersGraphql(), ADMIN, orderId, UPS, 'id status')).errors?.[0]?.extensions?.['code']).toBe('INVALID_ORDER_TRANSITION');

    // Deliver: Shipping commits DELIVERED, and Orders dies again before its save.
    const dyingAgain = orders;
    shippingProxy.arm('/internal/shipments/deliver', () => dyingAgain.kill());
    await expect(markDeliveredAs(ordersGraphql(), ADMIN, orderId, 'id status')).rejects.toThrow();
    const tornAgain = await fulfilmentOf(system.urls.gateway, token, orderId);
    expect([tornAgain.status, tornAgain.shipment?.status]).toEqual(['SHIPPED', 'DELIVERED']);

    await startOrdersProcess();
    const completed = await waitForFulfilment(system.urls.gateway, token, orderId, (order) => order.status === 'COMPLETED', 'COMPLETED by the resume consumer');
    expect(completed).toMatchObject({ version: 4, shipment: { status: 'DELIVERED' }, payment: { status: 'CAPTURED' } });
    await waitFor('order.completed published', async () => (await streamEnvelopes(redis, system, 'order.completed')).some((event) => event.data.orderId === orderId));
    expect((await streamEnvelopes(redis, system, 'order.completed')).filter((event) => event.data.orderId === orderId).map((event) => event.data.version)).toEqual([4]);
    expect(await waitForRewardPoints(system.urls.gateway, token, orderId)).toBe(200);
    await waitFor('the held units sold', async () => (await system.catalog.deps.products.findById(productId))?.reservedQuantity === 0);
    const product = (await system.catalog.deps.products.findById(productId))!;
    expect([product.stockQuantity, product.reservedQuantity]).toEqual([18, 0]);
    await expectCheckoutConsistent(system, [orderId]);
  }, 240_000);
});
