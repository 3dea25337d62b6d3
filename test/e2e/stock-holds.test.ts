import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEventEnvelope, Subscription } from '../../lib/events';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createMetricsRegistry } from '../../lib/metrics';
import type { RunningSystem } from '../../scripts/system';
import { placeOrder } from '../../subgraphs/orders/application/place-order';
import { CatalogStockClient } from '../../subgraphs/orders/infrastructure/catalog-stock/catalog-stock-client';
import { adminToken, createProduct, customerCaller } from '../support/commerce';
import { errorCodes, graphql, type GraphQLResponse } from '../support/graphql';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Stock that never oversells (issue 10), through the real gateway, Catalog and Orders on DynamoDB Local: holds are
 * taken when an order is placed (all lines or none, exactly min(N, S) of N racing placements against stock S),
 * released on cancel and sold on completion (visible in Product.stockQuantity), repeated keys hold once,
 * a restock never disturbs holds, and a hold survives a Catalog that committed it but never answered.
 */

let system: RunningSystem;
let url: string;
let admin: string;
type StockEnvelope = Extract<AnyEventEnvelope, { type: 'stock.held' | 'stock.released' | 'stock.sold' }>;
const stockEvents: StockEnvelope[] = [];
let observer: Subscription;

beforeAll(async () => {
  // A generous hold budget: 20 racing holds on one product on a loaded 2-core machine can take seconds.
  system = await startTestSystem('stock-holds', { env: { STOCK_HOLD_TIMEOUT_MS: '20000' } });
  url = system.urls.gateway;
  admin = await adminToken();
  observer = await system.bus.subscribe({ group: 'stock-observer', types: ['stock.held', 'stock.released', 'stock.sold'], handle: async (e) => void stockEvents.push(e as StockEnvelope) });
});
afterAll(async () => {
  await observer?.close();
  await system?.stop();
});

interface StockView {
  readonly stockQuantity: number;
  readonly reservedQuantity: number | null;
  readonly inStock: boolean;
}

async function stockOf(productId: string, token: string = admin): Promise<StockView> {
  const response = await graphql<{ product: StockView }>(url, 'query ($id: ID!) { product(id: $id) { stockQuantity reservedQuantity inStock } }', { id: productId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.product;
}

/**
 * Polls until the product shows `expected`. Releases and sales reach Catalog through events after the order's
 * change commits. The deadline only bounds the wait: how quickly it shows is a speed figure, and on a loaded
 * shared machine a 2 s deadline would fail for reasons the code does not control.
 */
async function expectStockEventually(productId: string, expected: Partial<StockView>): Promise<void> {
  let last: StockView | undefined;
  await waitFor(
    () => `product ${productId} to show ${JSON.stringify(expected)} (last ${JSON.stringify(last)})`,
    async () => {
      last = await stockOf(productId);
      return Object.entries(expected).every(([field, value]) => last![field as keyof StockView] === value);
    },
  );
}

type Placed = GraphQLResponse<{ placeOrder: { id: string; status: string; total: { amount: number } } }>;

function place(token: string, items: { productId: string; quantity: number }[], idempotencyKey?: string): Promise<Placed> {
  return graphql(url, 'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status total { amount } } }', { input: { items, ...(idempotencyKey ? { idempotencyKey } : {}) } }, { token });
}

const sku = () => `STOCK-${randomUUID().slice(0, 8).toUpperCase()}`;

describe('placing orders holds stock', () => {
  it('gives exactly 3 of 20 concurrent placements of 1 unit against a stock of 3; stock 0, reserved 3', async () => {
    const productId = await createProduct(url, sku(), 1_000, { stock: 3 });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, n) => tokenFor(`racer-${n}`)));
    const results = await Promise.all(tokens.map((token) => place(token, [{ productId, quantity: 1 }])));
    const placed = results.filter((result) => !result.errors);
    const refused = results.filter((result) => result.errors);
    expect(placed).toHaveLength(3);
    expect(refused.map((result) => errorCodes(result)[0])).toEqual(Array(17).fill('PRODUCT_UNAVAILABLE'));
    expect(refused.every((result) => result.errors![0]!.message.endsWith('in stock, 1 requested'))).toBe(true);
    expect(await stockOf(productId)).toEqual({ stockQuantity: 0, reservedQuantity: 3, inStock: false });
    // Customers see what is available, never the reserved figure.
    expect(await stockOf(productId, tokens[0])).toEqual({ stockQuantity: 0, reservedQuantity: null, inStock: false });
    expect((await graphql<{ product: StockView }>(url, 'query ($id: ID!) { product(id: $id) { reservedQuantity } }', { id: productId })).data!.product.reservedQuantity).toBeNull();
  });

  it('holds nothing for any line when one line of a multi-line order is short, and names it', async () => {
    const plenty = await createProduct(url, sku(), 500, { stock: 10 });
    const scarceSku = sku();
    const scarce = await createProduct(url, scarceSku, 700, { stock: 3 });
    const customer = await tokenFor('customer-mixed');
    const refused = await place(customer, [
      { productId: plenty, quantity: 2 },
      { productId: scarce, quantity: 4 },
    ]);
    expect(errorCodes(refused)).toEqual(['PRODUCT_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toBe(`only 3 of "Product ${scarceSku}" (${scarce}) in stock, 4 requested`);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'PRODUCT_UNAVAILABLE', details: { productId: scarce, requested: 4, available: 3 } });
    expect(await stockOf(plenty)).toMatchObject({ stockQuantity: 10, reservedQuantity: 0 });
    expect(await stockOf(scarce)).toMatchObject({ stockQuantity: 3, reservedQuantity: 0 });
    // Racing mixed orders: each takes one of both or nothing; the scarce product runs out at exactly 3.
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, n) => tokenFor(`mixed-${n}`)));
    const results = await Promise.all(tokens.map((token) => place(token, [{ productId: plenty, quantity: 1 }, { productId: scarce, quantity: 1 }])));
    expect(results.filter((result) => !result.errors)).toHaveLength(3);
    expect(await stockOf(plenty)).toMatchObject({ stockQuantity: 7, reservedQuantity: 3 });
    expect(await stockOf(scarce)).toMatchObject({ stockQuantity: 0, reservedQuantity: 3 });
  });

  it('holds once for the same idempotency key repeated, also concurrently: one order, one hold', async () => {
    const productId = await createProduct(url, sku(), 1_250, { stock: 5 });
    const customer = await tokenFor('customer-same-key');
    const results = await Promise.all(Array.from({ length: 8 }, () => place(customer, [{ productId, quantity: 2 }], 'checkout-same-key')));
    expect(results.map((result) => errorCodes(result))).toEqual(Array(8).fill([]));
    expect(new Set(results.map((result) => result.data!.placeOrder.id)).size).toBe(1);
    const again = await place(customer, [{ productId, quantity: 2 }], 'checkout-same-key');
    expect(again.data!.placeOrder.id).toBe(results[0]!.data!.placeOrder.id);
    expect(await stockOf(productId)).toMatchObject({ stockQuantity: 3, reservedQuantity: 2 });
  });
});

describe('cancelling and completing', () => {
  it('returns held stock on cancel and keeps it taken on completion', async () => {
    const productId = await createProduct(url, sku(), 900, { stock: 10 });
    const customer = await tokenFor('customer-lifecycle');
    const kept = (await place(customer, [{ productId, quantity: 3 }])).data!.placeOrder.id;
    const dropped = (await place(customer, [{ productId, quantity: 4 }])).data!.placeOrder.id;
    expect(await stockOf(productId)).toMatchObject({ stockQuantity: 3, reservedQuantity: 7 });

    const cancel = await graphql(url, 'mutation ($id: ID!) { cancelOrder(id: $id) { status } }', { id: dropped }, { token: customer });
    expect(cancel.errors).toBeUndefined();
    await expectStockEventually(productId, { stockQuantity: 7, reservedQuantity: 3 });

    for (const mutation of ['confirmOrder', 'completeOrder']) {
      expect((await graphql(url, `mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id: kept }, { token: admin })).errors).toBeUndefined();
    }
    // Sold: no longer reserved, and not back in stock either.
    await expectStockEventually(productId, { stockQuantity: 7, reservedQuantity: 0 });
    const ofOrder = (orderId: string) => stockEvents.filter((event) => event.data.orderId === orderId).map((event) => (event.type === 'stock.released' ? `${event.type}:${event.data.reason}` : event.type));
    expect(ofOrder(dropped)).toEqual(['stock.held', 'stock.released:cancelled']);
    expect(ofOrder(kept)).toEqual(['stock.held', 'stock.sold']);
  });

  it('restocks the available quantity without disturbing holds, and never below zero', async () => {
    const productId = await createProduct(url, sku(), 400, { stock: 5 });
    const customer = await tokenFor('customer-restock');
    expect((await place(customer, [{ productId, quantity: 2 }])).errors).toBeUndefined();
    const restock = await graphql<{ updateProduct: StockView }>(url, 'mutation ($id: ID!) { updateProduct(id: $id, input: { stockQuantity: 20 }) { stockQuantity reservedQuantity } }', { id: productId }, { token: admin });
    expect(restock.data!.updateProduct).toEqual({ stockQuantity: 20, reservedQuantity: 2 });
    const negative = await graphql(url, 'mutation ($id: ID!) { updateProduct(id: $id, input: { stockQuantity: -1 }) { stockQuantity } }', { id: productId }, { token: admin });
    expect(errorCodes(negative)).toEqual(['BAD_USER_INPUT']);
    // Restocks racing placements: every placement that succeeded holds its unit, whatever the restocks set.
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, n) => tokenFor(`restock-racer-${n}`)));
    const racing = await Promise.all([
      ...tokens.map((token) => place(token, [{ productId, quantity: 1 }])),
      graphql(url, 'mutation ($id: ID!) { updateProduct(id: $id, input: { stockQuantity: 50 }) { stockQuantity } }', { id: productId }, { token: admin }),
    ]);
    expect(racing.every((result) => !result.errors)).toBe(true);
    const after = await stockOf(productId);
    expect(after.reservedQuantity).toBe(12);
    expect(after.stockQuantity).toBeGreaterThanOrEqual(40);
    expect(after.stockQuantity).toBeLessThanOrEqual(50);
  });
});

describe('when Catalog fails mid-hold', () => {
  let proxy: Server;
  let proxyUrl: string;
  let dropAnswers = true;

  beforeAll(async () => {
    // Forwards to the real Catalog, lets it commit, then cuts the connection before its answer reaches Orders:
    // Catalog "crashed" between holding and answering.
    const target = new URL(system.urls.catalog);
    proxy = createServer((req, res) => {
      const outgoing = forward({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        if (dropAnswers) {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      outgoing.on('error', () => res.destroy());
      req.pipe(outgoing);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it('answers CATALOG_UNAVAILABLE, and a retry with the same key places the order on the same single hold', async () => {
    const productId = await createProduct(url, sku(), 1_999, { stock: 4 });
    const client = new CatalogStockClient({
      baseUrl: proxyUrl,
      signingSecret: system.config.gatewaySigningSecret,
      timeoutMs: 5_000,
      breakerThreshold: 100,
      breakerHalfOpenAfterMs: 1_000,
      registry: createMetricsRegistry('stock-test'),
      logger: system.logger,
    });
    try {
      const deps = { ...system.orders.deps, stock: client };
      const buyer = customerCaller('customer-catalog-crash');
      const input = { items: [{ productId, quantity: 3 }], idempotencyKey: 'crash-retry-1' };
      await expect(placeOrder(deps, buyer, input)).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
      // Catalog did hold the units; no order exists yet.
      expect(await stockOf(productId)).toMatchObject({ stockQuantity: 1, reservedQuantity: 3 });
      expect(await system.orders.deps.orders.listByCustomer('customer-catalog-crash', { first: 10, after: undefined })).toMatchObject({ edges: [] });

      dropAnswers = false;
      const order = await placeOrder(deps, buyer, input);
      expect(order.items.map((item) => [item.productId, item.quantity])).toEqual([[productId, 3]]);
      expect(await stockOf(productId)).toMatchObject({ stockQuantity: 1, reservedQuantity: 3 });
      expect(stockEvents.filter((event) => event.type === 'stock.held' && event.data.orderId === order.id)).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('answers CATALOG_UNAVAILABLE at once while Catalog is down, holding nothing', async () => {
    const productId = await createProduct(url, sku(), 300, { stock: 2 });
    const client = new CatalogStockClient({
      baseUrl: 'http://127.0.0.1:9',
      signingSecret: system.config.gatewaySigningSecret,
      timeoutMs: 1_000,
      breakerThreshold: 2,
      breakerHalfOpenAfterMs: 60_000,
      registry: createMetricsRegistry('stock-down'),
      logger: system.logger,
    });
    try {
      const deps = { ...system.orders.deps, stock: client };
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await expect(placeOrder(deps, customerCaller('customer-catalog-down'), { items: [{ productId, quantity: 1 }] })).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
      }
      expect(await stockOf(productId)).toMatchObject({ stockQuantity: 2, reservedQuantity: 0 });
    } finally {
      await client.close();
    }
  });
});
