import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import type { GraphQLResponse } from '../support/graphql';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { MY_ORDERS, createProducts, expectNoInternals, onlyError, placeOrderAs, type MyOrdersPage } from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Orders when Catalog fails, through the real gateway. Placing an order holds stock in Catalog, which is never
 * answered from a cache (a cached product view cannot hold units): with Catalog down every placement answers
 * CATALOG_UNAVAILABLE within the command's timeout (refused connections and a Catalog that accepts but never
 * answers alike), writes nothing, and repeated failures open the stock client's circuit breaker, after which
 * placements fail at once. The figures are read from Orders' /metrics (client="catalog-stock").
 */

/** Long enough for a loaded machine, far below the test's own deadline. */
const HOLD_TIMEOUT_MS = 1500;
const HANG_DEADLINE_MS = 30_000;

let system: RunningSystem;
let admin: string;
let customer: string;
let lamp: ProductView;
let mug: ProductView;
let catalogPort: number;

const stockMetric = (name: string, labels: Record<string, string> = {}) => metricValue(system.urls.orders, name, { client: 'catalog-stock', ...labels });

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

function expectCatalogUnavailable(response: GraphQLResponse<unknown>): void {
  expect(response.data ?? null).toBeNull();
  const error = onlyError(response);
  expect(error.code).toBe('CATALOG_UNAVAILABLE');
  expect(error.message).toBe('The product catalog is unavailable: stock could not be held for this order. Try again shortly (with the same idempotency key, the order is placed once).');
  expectNoInternals(response);
}

beforeAll(async () => {
  system = await startTestSystem('orders-catalog-failures', { env: { STOCK_HOLD_TIMEOUT_MS: String(HOLD_TIMEOUT_MS), CATALOG_BREAKER_THRESHOLD: '5' } });
  admin = await tokenFor('admin-1', { admin: true });
  customer = await tokenFor('customer-patient');
  [lamp, mug] = await createProducts(system, admin, [
    { n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 },
    { n: 2, name: 'Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 100 },
  ]);
  catalogPort = system.catalog.http.port;
});
afterAll(() => system?.stop());

describe('with Catalog up', () => {
  it('orders a product, its stock held by one command to Catalog', async () => {
    const before = await stockMetric('http_client_origin_request_duration_seconds_count', { method: 'POST', status: '200' });
    const first = await placeOrderAs(system, customer, [{ productId: lamp.id, quantity: 1 }]);
    expect(first.errors).toBeUndefined();
    expect(first.data!.placeOrder.items[0]).toMatchObject({ productName: 'Desk Lamp', unitPrice: { amount: 2599, currency: 'USD' } });
    expect(await stockMetric('http_client_origin_request_duration_seconds_count', { method: 'POST', status: '200' })).toBe(before + 1);
    expect(await stockMetric('http_client_circuit_state', { state: 'closed' })).toBe(1);
  });
});

describe('with Catalog down', () => {
  beforeAll(async () => {
    // Catalog stops listening; the rest of the system (and the gateway's static supergraph) stays up.
    await system.catalog.http.close();
  });

  it('answers CATALOG_UNAVAILABLE, even for a product Orders has read before, and writes nothing', async () => {
    const before = await myOrderCount();
    for (const product of [mug, lamp]) {
      const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: product.id, quantity: 1 }]), 'placeOrder');
      expectCatalogUnavailable(response);
    }
    expect(await myOrderCount()).toBe(before);
  });

  it('gives up on a Catalog that accepts connections but never answers, within the timeout', async () => {
    // Something now holds Catalog's port and never answers: the command must end at its timeout.
    const sockets: Socket[] = [];
    const blackHole: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve, reject) => {
      blackHole.once('error', reject);
      blackHole.listen(catalogPort, '127.0.0.1', () => resolve());
    });
    try {
      const started = Date.now();
      const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: mug.id, quantity: 1 }]), 'placeOrder against a silent Catalog');
      expectCatalogUnavailable(response);
      expect(Date.now() - started).toBeLessThan(HANG_DEADLINE_MS);
      expect(sockets.length).toBeGreaterThanOrEqual(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }
  });

  it('opens the circuit after repeated failures, then fails fast without going on the wire', async () => {
    await waitFor('the circuit opening', async () => {
      const response = await withinDeadline(placeOrderAs(system, customer, [{ productId: mug.id, quantity: 1 }]), 'placeOrder');
      expectCatalogUnavailable(response);
      return (await stockMetric('http_client_circuit_state', { state: 'open' })) === 1;
    });
    expect(await stockMetric('http_client_circuit_transitions_total', { to: 'open' })).toBe(1);
    const attempts = await stockMetric('http_client_origin_request_duration_seconds_count');
    const refused = await withinDeadline(placeOrderAs(system, customer, [{ productId: lamp.id, quantity: 1 }]), 'placeOrder');
    expectCatalogUnavailable(refused);
    // Open: the command never went on the wire.
    expect(await stockMetric('http_client_origin_request_duration_seconds_count')).toBe(attempts);
  });
});
