import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import { graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { COMPLETE_ORDER, CONFIRM_ORDER, MY_ORDERS, createProducts, placedOrder, type MyOrdersPage, type OrderView } from '../support/orders';
import { TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * Orders as part of the supergraph: `OrderItem.product` resolved by Catalog (current product data next to the
 * order's snapshot), `Customer.orders` through `me` (newest first, status filter, cursors), and Order references
 * from other subgraphs resolved in one DataLoader batch (one BatchGetItem, counted on Orders' /metrics).
 */

let system: RunningSystem;
let admin: string;
let lamp: ProductView;
let mug: ProductView;

beforeAll(async () => {
  system = await startTestSystem('orders-federation');
  admin = await tokenFor('admin-1', { admin: true });
  [lamp, mug] = await createProducts(system, admin, [
    { n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 },
    { n: 2, name: 'Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 100 },
  ]);
});
afterAll(() => system?.stop());

const ordersMetric = (operation: string) => metricValue(system.urls.orders, 'dynamodb_requests_total', { operation, service: 'orders' });
const catalogMetric = (operation: string) => metricValue(system.urls.catalog, 'dynamodb_requests_total', { operation, service: 'catalog' });

async function changeStatus(mutation: string, id: string): Promise<void> {
  const response = await graphql(system.urls.gateway, mutation, { id }, { token: admin });
  expect(response.errors).toBeUndefined();
}

describe('OrderItem.product', () => {
  it("is Catalog's Product: placeOrder and order(id) return its current fields next to the snapshot", async () => {
    const token = await tokenFor('customer-product-fields');
    const placed = await graphql<{ placeOrder: { id: string; items: { productName: string; product: { id: string; name: string; sku: string; price: { amount: number; currency: string }; stockQuantity: number } }[] } }>(
      system.urls.gateway,
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id items { productName product { id name sku price { amount currency } stockQuantity } } } }`,
      { input: { items: [{ productId: lamp.id, quantity: 2 }, { productId: mug.id, quantity: 1 }] } },
      { token },
    );
    expect(placed.errors).toBeUndefined();
    expect(placed.data!.placeOrder.items).toEqual([
      { productName: 'Desk Lamp', product: { id: lamp.id, name: 'Desk Lamp', sku: lamp.sku, price: { amount: 2599, currency: 'USD' }, stockQuantity: 98 } },
      { productName: 'Mug', product: { id: mug.id, name: 'Mug', sku: mug.sku, price: { amount: 899, currency: 'USD' }, stockQuantity: 99 } },
    ]);

    // The product reference is Catalog's data now: the order's units are held, so fewer are available.
    // Catalog changes the product: the order's snapshot stays, the product reference shows Catalog's data now.
    const repriced = await graphql(system.urls.gateway, `mutation($id: ID!) { changeProductPrice(id: $id, price: { amount: 2799, currency: "USD" }) { id } }`, { id: lamp.id }, { token: admin });
    expect(repriced.errors).toBeUndefined();
    const read = await graphql<{ order: { items: { productName: string; unitPrice: { amount: number }; product: { name: string; price: { amount: number } } }[] } }>(
      system.urls.gateway,
      `query($id: ID!) { order(id: $id) { items { productName unitPrice { amount } product { name price { amount } } } } }`,
      { id: placed.data!.placeOrder.id },
      { token },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.order.items[0]).toEqual({ productName: 'Desk Lamp', unitPrice: { amount: 2599 }, product: { name: 'Desk Lamp', price: { amount: 2799 } } });
  });

  it('resolves the products of many orders in one Catalog batch', async () => {
    const token = await tokenFor('customer-product-batch');
    // Products no query has read yet: the gateway's entity cache would answer ones it has seen without Catalog.
    const [freshLamp, freshMug] = await createProducts(system, admin, [
      { n: 3, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 },
      { n: 4, name: 'Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 100 },
    ]);
    const placed: string[] = [];
    for (let n = 0; n < 5; n += 1) placed.push((await placedOrder(system, token, [{ productId: freshLamp!.id, quantity: 1 }, { productId: freshMug!.id, quantity: 1 }])).id);
    // Catalog claims each order's stock hold when its order.created arrives (a read of the hold): let that settle first.
    await waitFor('the orders to claim their holds', async () => (await Promise.all(placed.map((id) => system.catalog.deps.holds.findByOrderId(id)))).every((hold) => hold?.status === 'CLAIMED'), 15_000, 50);
    const before = { batch: await catalogMetric('BatchGetItem'), get: await catalogMetric('GetItem') };
    const response = await graphql<{ me: { orders: { edges: { node: { items: { product: { name: string } }[] } }[] } } }>(
      system.urls.gateway,
      `{ me { orders { edges { node { items { product { name price { amount } } } } } } } }`,
      {},
      { token },
    );
    expect(response.errors).toBeUndefined();
    const names = response.data!.me.orders.edges.flatMap((edge) => edge.node.items.map((item) => item.product.name));
    expect(names).toEqual(Array.from({ length: 5 }, () => ['Desk Lamp', 'Mug']).flat());
    expect(await catalogMetric('BatchGetItem')).toBe(before.batch + 1);
    expect(await catalogMetric('GetItem')).toBe(before.get);
  });
});

describe('Customer.orders through me', () => {
  let token: string;
  /** Oldest first, as placed. */
  const placed: OrderView[] = [];

  beforeAll(async () => {
    token = await tokenFor('customer-listing');
    for (let n = 0; n < 7; n += 1) {
      placed.push(await placedOrder(system, token, [{ productId: n % 2 === 0 ? lamp.id : mug.id, quantity: n + 1 }]));
    }
    await changeStatus(CONFIRM_ORDER, placed[1]!.id);
    await changeStatus(CONFIRM_ORDER, placed[3]!.id);
    await changeStatus(COMPLETE_ORDER, placed[3]!.id);
    const cancelled = await graphql(system.urls.gateway, `mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id: placed[5]!.id }, { token });
    expect(cancelled.errors).toBeUndefined();
  });

  const newestFirst = (indexes: readonly number[]) => [...indexes].reverse().map((index) => placed[index]!.id);

  async function pageThrough(first: number, status?: string): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const response: Awaited<ReturnType<typeof graphql<MyOrdersPage>>> = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first, after, ...(status ? { status } : {}) }, { token });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo } = response.data!.me!.orders;
      sizes.push(edges.length);
      ids.push(...edges.map((edge) => edge.node.id));
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      if (!pageInfo.hasNextPage) return { ids, sizes };
      after = pageInfo.endCursor;
    }
    throw new Error('listing never ended');
  }

  it('lists the caller as me with their orders, newest first', async () => {
    const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, {}, { token });
    expect(response.errors).toBeUndefined();
    expect(response.data!.me!.id).toBe('customer-listing');
    expect(response.data!.me!.orders.edges.map((edge) => edge.node.id)).toEqual(newestFirst([0, 1, 2, 3, 4, 5, 6]));
    expect(response.data!.me!.orders.edges.map((edge) => edge.node.status)).toEqual(['PENDING', 'CANCELLED', 'PENDING', 'COMPLETED', 'PENDING', 'CONFIRMED', 'PENDING']);
    expect(response.data!.me!.orders.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with cursors without duplicates or gaps', async () => {
    expect(await pageThrough(3)).toEqual({ ids: newestFirst([0, 1, 2, 3, 4, 5, 6]), sizes: [3, 3, 1] });
    expect(await pageThrough(7)).toEqual({ ids: newestFirst([0, 1, 2, 3, 4, 5, 6]), sizes: [7] });
    expect(await pageThrough(1)).toEqual({ ids: newestFirst([0, 1, 2, 3, 4, 5, 6]), sizes: [1, 1, 1, 1, 1, 1, 1] });
  });

  it.each([
    ['PENDING', [0, 2, 4, 6]],
    ['CONFIRMED', [1]],
    ['COMPLETED', [3]],
    ['CANCELLED', [5]],
  ] as const)('filters by status %s, newest first, across pages', async (status, indexes) => {
    const { ids } = await pageThrough(2, status);
    expect(ids).toEqual(newestFirst(indexes));
  });

  it('shows order fields on each node, totals included', async () => {
    const response = await graphql<{ me: { orders: { edges: { node: { id: string; total: { amount: number }; customer: { id: string } } }[] } } }>(
      system.urls.gateway,
      `{ me { orders(first: 2) { edges { node { id total { amount } customer { id } } } } } }`,
      {},
      { token },
    );
    expect(response.data!.me.orders.edges.map((edge) => edge.node)).toEqual([
      { id: placed[6]!.id, total: { amount: placed[6]!.total.amount }, customer: { id: 'customer-listing' } },
      { id: placed[5]!.id, total: { amount: 6 * 899 }, customer: { id: 'customer-listing' } },
    ]);
  });
});

describe('Order references', () => {
  const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id status total { amount } } } }`;

  it('are resolved in one BatchGetItem per request (DataLoader), unknown ones null in place', async () => {
    const token = await tokenFor('customer-references');
    const orders: OrderView[] = [];
    for (let n = 0; n < 12; n += 1) orders.push(await placedOrder(system, token, [{ productId: mug.id, quantity: n + 1 }]));
    const unknown = '00000000-0000-4000-8000-00000000f00d';
    const representations = [...orders.slice(0, 6), { id: unknown }, ...orders.slice(6)].map((order) => ({ __typename: 'Order', id: order.id }));
    const before = { batch: await ordersMetric('BatchGetItem'), get: await ordersMetric('GetItem') };
    const response = await graphql<{ _entities: ({ id: string; status: string; total: { amount: number } } | null)[] }>(`${system.urls.orders}/graphql`, ENTITIES, { representations }, {
      signedAs: { caller: { sub: 'customer-references', roles: [] }, secret: TEST_SIGNING_SECRET },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([...orders.slice(0, 6), null, ...orders.slice(6)].map((order) => (order ? { id: order.id, status: 'PENDING', total: { amount: order.total.amount } } : null)));
    expect(await ordersMetric('BatchGetItem')).toBe(before.batch + 1);
    expect(await ordersMetric('GetItem')).toBe(before.get);
  });

  it("from Rewards' transactions resolve through the gateway in one batch", async () => {
    const token = await tokenFor('customer-rewarded');
    const orders: OrderView[] = [];
    for (const quantity of [1, 2, 3]) {
      const order = await placedOrder(system, token, [{ productId: lamp.id, quantity }]);
      await changeStatus(CONFIRM_ORDER, order.id);
      await changeStatus(COMPLETE_ORDER, order.id);
      orders.push(order);
    }
    const query = `{ me { rewards { transactions { edges { node { points order { id status total { amount } } } } } } } }`;
    type Rewards = { me: { rewards: { transactions: { edges: { node: { points: number; order: { id: string; status: string; total: { amount: number } } | null } }[] } } } };
    // Points are issued asynchronously on order.completed.
    let last: unknown;
    await waitFor(
      () => `rewards for 3 completed orders (last: ${JSON.stringify(last)})`,
      async () => {
        const response = await graphql<Rewards>(system.urls.gateway, `{ me { rewards { transactions { edges { cursor } } } } }`, {}, { token });
        last = response;
        return (response.data?.me.rewards.transactions.edges.length ?? 0) >= 3;
      },
      undefined,
      100,
    );
    const before = { batch: await ordersMetric('BatchGetItem'), get: await ordersMetric('GetItem') };
    const response = await graphql<Rewards>(system.urls.gateway, query, {}, { token });
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.me.rewards.transactions.edges.map((edge) => edge.node);
    expect(nodes.map((node) => node.order?.id).sort()).toEqual(orders.map((order) => order.id).sort());
    for (const node of nodes) {
      expect(node.order!.status).toBe('COMPLETED');
      expect(node.points).toBe(Math.floor(node.order!.total.amount / 100));
    }
    expect(await ordersMetric('BatchGetItem')).toBe(before.batch + 1);
    expect(await ordersMetric('GetItem')).toBe(before.get);
  });
});
