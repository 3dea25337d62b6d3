import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import { graphql, type GraphQLResponse } from '../support/graphql';
import { CANCEL_ORDER, CONFIRM_ORDER, MY_ORDERS, READ_ORDER, createProducts, placeOrderAs, placedOrder, type MyOrdersPage, type OrderView } from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Concurrent requests through the real gateway: optimistic concurrency lets exactly one of several competing
 * status changes win (the others get INVALID_ORDER_TRANSITION, or CONFLICT when still contended after one retry),
 * and an idempotency key makes concurrent identical placeOrder calls create one order that every call returns.
 */

let system: RunningSystem;
let admin: string;
let product: ProductView;

beforeAll(async () => {
  system = await startTestSystem('orders-races');
  admin = await tokenFor('admin-1', { admin: true });
  [product] = await createProducts(system, admin, [{ n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 1000 }]);
});
afterAll(() => system?.stop());

const LOSING_CODES = ['INVALID_ORDER_TRANSITION', 'CONFLICT'];

function outcomes(responses: readonly GraphQLResponse<Record<string, OrderView | null>>[], field: string): { winners: OrderView[]; loserCodes: string[] } {
  const winners: OrderView[] = [];
  const loserCodes: string[] = [];
  for (const response of responses) {
    const order = response.data?.[field];
    if (order && !response.errors) winners.push(order);
    else loserCodes.push(...(response.errors ?? []).map((error) => String(error.extensions?.['code'])));
  }
  return { winners, loserCodes };
}

async function myOrders(token: string): Promise<string[]> {
  const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me!.orders.edges.map((edge) => edge.node.id);
}

describe('concurrent status changes', () => {
  it.each([1, 2, 3])('six concurrent confirmOrder calls on one PENDING order: exactly one succeeds (round %i)', async () => {
    const customer = await tokenFor('customer-race');
    const order = await placedOrder(system, customer, [{ productId: product.id, quantity: 1 }]);
    const responses = await Promise.all(Array.from({ length: 6 }, () => graphql<Record<string, OrderView | null>>(system.urls.gateway, CONFIRM_ORDER, { id: order.id }, { token: admin })));
    const { winners, loserCodes } = outcomes(responses, 'confirmOrder');
    expect(winners).toHaveLength(1);
    expect(winners[0]!.status).toBe('CONFIRMED');
    expect(loserCodes).toHaveLength(5);
    for (const code of loserCodes) expect(LOSING_CODES).toContain(code);
    const read = await graphql<{ order: OrderView }>(system.urls.gateway, READ_ORDER, { id: order.id }, { token: admin });
    expect(read.data!.order.status).toBe('CONFIRMED');
    expect(read.data!.order.updatedAt).toBe(winners[0]!.updatedAt);
  });

  it('six concurrent cancellations by the owner: exactly one succeeds', async () => {
    const customer = await tokenFor('customer-cancel-race');
    const order = await placedOrder(system, customer, [{ productId: product.id, quantity: 1 }]);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, n) => graphql<Record<string, OrderView | null>>(system.urls.gateway, CANCEL_ORDER, { id: order.id, reason: `attempt ${n}` }, { token: customer })),
    );
    const { winners, loserCodes } = outcomes(responses, 'cancelOrder');
    expect(winners).toHaveLength(1);
    expect(loserCodes).toHaveLength(5);
    for (const code of loserCodes) expect(LOSING_CODES).toContain(code);
  });
});

describe('concurrent placeOrder calls with one idempotency key', () => {
  it('eight identical calls create one order, and every call returns it', async () => {
    const customer = await tokenFor('customer-idempotent');
    const responses = await Promise.all(Array.from({ length: 8 }, () => placeOrderAs(system, customer, [{ productId: product.id, quantity: 2 }], 'checkout-2026-0001')));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const orders = responses.map((response) => response.data!.placeOrder);
    expect(new Set(orders.map((order) => order.id)).size).toBe(1);
    for (const order of orders) expect(order).toEqual(orders[0]);
    expect(orders[0]!.total).toEqual({ amount: 2 * 2599, currency: 'USD' });
    expect(await myOrders(customer)).toEqual([orders[0]!.id]);

    // Later, the same key still names the same order for the same items; other items are a CONFLICT (issue 9).
    const again = await placedOrder(system, customer, [{ productId: product.id, quantity: 2 }], 'checkout-2026-0001');
    expect(again).toEqual(orders[0]);
    const other = await placeOrderAs(system, customer, [{ productId: product.id, quantity: 7 }], 'checkout-2026-0001');
    expect(other.errors?.map((error) => error.extensions?.['code'])).toEqual(['CONFLICT']);
    expect(await myOrders(customer)).toEqual([orders[0]!.id]);
  });

  it('the same key from another customer is another order; another key is another order', async () => {
    const first = await tokenFor('customer-key-a');
    const second = await tokenFor('customer-key-b');
    const [a1, b1] = await Promise.all([
      placedOrder(system, first, [{ productId: product.id, quantity: 1 }], 'shared-key'),
      placedOrder(system, second, [{ productId: product.id, quantity: 1 }], 'shared-key'),
    ]);
    expect(a1.id).not.toBe(b1.id);
    expect(a1.customer.id).toBe('customer-key-a');
    expect(b1.customer.id).toBe('customer-key-b');
    const a2 = await placedOrder(system, first, [{ productId: product.id, quantity: 1 }], 'another-key');
    expect(a2.id).not.toBe(a1.id);
    expect((await myOrders(first)).sort()).toEqual([a1.id, a2.id].sort());
    expect(await myOrders(second)).toEqual([b1.id]);
  });

  it('without a key, concurrent identical calls are separate orders', async () => {
    const customer = await tokenFor('customer-no-key');
    const orders = await Promise.all(Array.from({ length: 3 }, () => placedOrder(system, customer, [{ productId: product.id, quantity: 1 }])));
    expect(new Set(orders.map((order) => order.id)).size).toBe(3);
    expect((await myOrders(customer)).sort()).toEqual(orders.map((order) => order.id).sort());
  });
});
