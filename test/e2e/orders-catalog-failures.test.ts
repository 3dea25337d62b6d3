import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import type { GraphQLResponse } from '../support/graphql';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { MY_ORDERS, createProducts, expectNoInternals, onlyError, placeOrderAs, type MyOrdersPage, type OrderView } from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Orders when Catalog fails, through the real gateway: a product Orders has cached still orders fine; one it has
 * not answers CATALOG_UNAVAILABLE within the lookup timeout (refused connections and a Catalog that accepts but
 * never answers alike), writes nothing, and repeated failures open the circuit breaker. The cache and breaker
 * figures are read from Orders' /metrics.
 */

/** Long enough for a loaded machine, far below the test's own deadline. */
const CATALOG_TIMEOUT_MS = 1500;
const HANG_DEADLINE_MS = 30_000;

let system: RunningSystem;
let admin: string;
let customer: string;
let cached: ProductView;
let uncached: ProductView;
let catalogPort: number;

const ordersMetric = (name: string, labels: Record<string, string> = {}) => metricValue(system.urls.orders, name, { client: 'catalog', ...labels });

/** Rejects when `promise` has not settled by the deadline: a hang fails the test with a message, not a jest timeout. */
async function withinDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${HANG_DEADLINE_MS} ms: Orders hangs on Catalog`)), HANG_DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function myOrderCount(): Promise<number> {
  const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token: customer });
  expect(response.errors).toBeUndefined();
  return response.data!.me!.orders.edges.length;
}

function expectCatalogUnavailable(response: GraphQLResponse<unknown>, productId: string): void {
  expect(response.data ?? null).toBeNull();
  expect(onlyError(response)).toEqual({
    code: 'CATALOG_UNAVAILABLE',
    message: `The product catalog is unavailable: product ${productId} could not be looked up. Try again shortly.`,
    details: { productId },
  });
  expectNoInternals(response);
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  system = await startTestSystem('orders-catalog-failures', { env: { CATALOG_TIMEOUT_MS: String(CATALOG_TIMEOUT_MS), CATALOG_BREAKER_THRESHOLD: '5' } });
  admin = await tokenFor('admin-1', { admin: true });
  customer = await tokenFor('customer-patient');
  [cached, uncached] = await createProducts(system, admin, [
    { n: 1, name: 'Cached Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 },
    { n: 2, name: 'Uncached Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 100 },
  ]);
  catalogPort = system.catalog.http.port;
});
afterAll(() => system?.stop());

describe('with Catalog up', () => {
  it('orders a product, reading it from Catalog once (a miss) and from the cache after that (a hit)', async () => {
    const misses = await ordersMetric('http_client_cache_lookups_total', { result: 'miss' });
    const first = await placeOrderAs(system, customer, [{ productId: cached.id, quantity: 1 }]);
    expect(first.errors).toBeUndefined();
    expect(await ordersMetric('http_client_cache_lookups_total', { result: 'miss' })).toBe(misses + 1);
    expect(await ordersMetric('http_client_origin_request_duration_seconds_count', { method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await ordersMetric('http_client_cache_writes_total')) >= 1, 'the cache write');

    const hits = await ordersMetric('http_client_cache_lookups_total', { result: 'hit' });
    const again = await placeOrderAs(system, customer, [{ productId: cached.id, quantity: 1 }]);
    expect(again.errors).toBeUndefined();
    expect(await ordersMetric('http_client_cache_lookups_total', { result: 'hit' })).toBe(hits + 1);
    expect(await ordersMetric('http_client_circuit_state', { state: 'closed' })).toBe(1);

    const exposition = await (await fetch(`${system.urls.orders}/metrics`)).text();
    for (const family of ['http_client_cache_lookups_total', 'http_client_cache_revalidations_total', 'http_client_origin_request_duration_seconds', 'http_client_circuit_state', 'http_client_circuit_transitions_total']) {
      expect(exposition).toContain(`# TYPE ${family} `);
    }
  });
});

describe('with Catalog down', () => {
  beforeAll(async () => {
    // Catalog stops listening; the rest of the system (and the gateway's static supergraph) stays up.
    await system.catalog.http.close();
  });

  it('answers CATALOG_UNAVAILABLE for a product that is not cached, and writes nothing', async () => {
    const before = await myOrderCount();
    const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: uncached.id, quantity: 1 }]), 'placeOrder');
    expectCatalogUnavailable(response, uncached.id);
    expect(await myOrderCount()).toBe(before);
  });

  it('still orders a cached product, with its snapshot', async () => {
    const hits = await ordersMetric('http_client_cache_lookups_total', { result: 'hit' });
    const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: cached.id, quantity: 2 }]), 'placeOrder');
    expect(response.errors).toBeUndefined();
    const order: OrderView = response.data!.placeOrder;
    expect(order.status).toBe('PENDING');
    expect(order.items).toEqual([
      { product: { id: cached.id }, productName: 'Cached Lamp', unitPrice: { amount: 2599, currency: 'USD' }, quantity: 2, lineTotal: { amount: 5198, currency: 'USD' } },
    ]);
    expect(await ordersMetric('http_client_cache_lookups_total', { result: 'hit' })).toBe(hits + 1);
  });

  it('refuses a mixed order when one of its products cannot be looked up', async () => {
    const before = await myOrderCount();
    const response = await withinDeadline(
      placeOrderAs(system, customer, [
        { productId: cached.id, quantity: 1 },
        { productId: uncached.id, quantity: 1 },
      ]),
      'placeOrder',
    );
    expectCatalogUnavailable(response, uncached.id);
    expect(await myOrderCount()).toBe(before);
  });

  it('gives up on a Catalog that accepts connections but never answers, within the timeout', async () => {
    // Something now holds Catalog's port and never answers: the lookup must end at the ACL's timeout.
    const sockets: Socket[] = [];
    const blackHole: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve, reject) => {
      blackHole.once('error', reject);
      blackHole.listen(catalogPort, '127.0.0.1', () => resolve());
    });
    try {
      const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: uncached.id, quantity: 1 }]), 'placeOrder against a silent Catalog');
      expectCatalogUnavailable(response, uncached.id);
      expect(sockets.length).toBeGreaterThanOrEqual(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }
  });

  it('opens the circuit after repeated failures, then fails fast for uncached products and serves cached ones', async () => {
    await eventually(async () => {
      const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: uncached.id, quantity: 1 }]), 'placeOrder');
      expectCatalogUnavailable(response, uncached.id);
      return (await ordersMetric('http_client_circuit_state', { state: 'open' })) === 1;
    }, 'the circuit opening');
    expect(await ordersMetric('http_client_circuit_state', { state: 'closed' })).toBe(0);
    expect(await ordersMetric('http_client_circuit_transitions_total', { to: 'open' })).toBe(1);
    expect(await ordersMetric('http_client_origin_request_duration_seconds_count', { status: 'error' })).toBeGreaterThanOrEqual(1);

    const attempts = await ordersMetric('http_client_origin_request_duration_seconds_count');
    const refused = await withinDeadline(placeOrderAs(system, customer, [{ productId: uncached.id, quantity: 1 }]), 'placeOrder');
    expectCatalogUnavailable(refused, uncached.id);
    // Open: the lookup never went on the wire.
    expect(await ordersMetric('http_client_origin_request_duration_seconds_count')).toBe(attempts);

    const served = await withinDeadline(placeOrderAs(system, customer, [{ productId: cached.id, quantity: 1 }]), 'placeOrder');
    expect(served.errors).toBeUndefined();
    expect(served.data!.placeOrder.items[0]!.productName).toBe('Cached Lamp');
  });
});
