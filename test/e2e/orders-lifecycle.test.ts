import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForValue } from '../../lib/events/testing/wait-for';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import { graphql } from '../support/graphql';
import {
  CANCEL_ORDER,
  COMPLETE_ORDER,
  CONFIRM_ORDER,
  MY_ORDERS,
  READ_ORDER,
  UUID,
  createProducts,
  onlyError,
  placedOrder,
  type MyOrdersPage,
  type OrderView,
} from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * An order's life through the real gateway: placed by a customer with name and price snapshots, read back,
 * listed, confirmed and completed by an admin, cancelled by its owner or an admin, and every transition
 * docs/architecture.md §2 does not allow refused with INVALID_ORDER_TRANSITION.
 */

let system: RunningSystem;
let admin: string;
let alice: string;
let lamp: ProductView;
let mug: ProductView;

beforeAll(async () => {
  system = await startTestSystem('orders-lifecycle');
  admin = await tokenFor('admin-1', { admin: true });
  alice = await tokenFor('customer-alice');
  [lamp, mug] = await createProducts(system, admin, [
    { n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 },
    { n: 2, name: 'Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 100 },
  ]);
});
afterAll(() => system?.stop());

async function change(mutation: string, field: string, variables: Record<string, unknown>, token: string): Promise<OrderView> {
  const response = await graphql<Record<string, OrderView>>(system.urls.gateway, mutation, variables, { token });
  expect(response.errors).toBeUndefined();
  return response.data![field]!;
}

async function read(id: string, token: string): Promise<OrderView | null> {
  const response = await graphql<{ order: OrderView | null }>(system.urls.gateway, READ_ORDER, { id }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.order;
}

describe('placing an order', () => {
  it('creates a PENDING order for the caller with snapshots, line totals and the total in minor units', async () => {
    const order = await placedOrder(system, alice, [
      { productId: lamp.id, quantity: 3 },
      { productId: mug.id, quantity: 2 },
    ]);
    expect(order).toEqual({
      id: expect.stringMatching(UUID),
      customer: { id: 'customer-alice' },
      status: 'PENDING',
      total: { amount: 3 * 2599 + 2 * 899, currency: 'USD' },
      placedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: order.placedAt,
      items: [
        { product: { id: lamp.id }, productName: 'Desk Lamp', unitPrice: { amount: 2599, currency: 'USD' }, quantity: 3, lineTotal: { amount: 7797, currency: 'USD' } },
        { product: { id: mug.id }, productName: 'Mug', unitPrice: { amount: 899, currency: 'USD' }, quantity: 2, lineTotal: { amount: 1798, currency: 'USD' } },
      ],
    });
    expect(await read(order.id, alice)).toEqual(order);

    const mine = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 1 }, { token: alice });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.me!.orders.edges.map((edge) => edge.node)).toEqual([{ id: order.id, status: 'PENDING', placedAt: order.placedAt }]);
  });

  it('merges the same product given twice into one line', async () => {
    const order = await placedOrder(system, alice, [
      { productId: mug.id, quantity: 2 },
      { productId: lamp.id, quantity: 1 },
      { productId: mug.id, quantity: 5 },
    ]);
    expect(order.items.map((item) => [item.product.id, item.quantity, item.lineTotal.amount])).toEqual([
      [mug.id, 7, 7 * 899],
      [lamp.id, 1, 2599],
    ]);
    expect(order.total).toEqual({ amount: 7 * 899 + 2599, currency: 'USD' });
  });

  it("keeps the name and price a product had when it was ordered, and later orders see Catalog's change", async () => {
    const [kettle] = await createProducts(system, admin, [{ n: 3, name: 'Kettle', price: { amount: 3450, currency: 'USD' }, stockQuantity: 1000 }]);
    const bob = await tokenFor('customer-bob-snapshot');
    const before = await placedOrder(system, bob, [{ productId: kettle.id, quantity: 1 }]);

    const renamed = await graphql(system.urls.gateway, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Kettle Pro" }) { id } }`, { id: kettle.id }, { token: admin });
    expect(renamed.errors).toBeUndefined();
    const repriced = await graphql(system.urls.gateway, `mutation($id: ID!) { changeProductPrice(id: $id, price: { amount: 3999, currency: "USD" }) { id } }`, { id: kettle.id }, { token: admin });
    expect(repriced.errors).toBeUndefined();

    // product.updated / product.price.changed reach Orders through the outbox and invalidate its Catalog cache.
    // Each poll places an order (the stock is ample for it): only an order shows what Orders snapshots.
    const after = await waitForValue(
      "an order with Catalog's new name and price",
      async () => {
        const order = await placedOrder(system, bob, [{ productId: kettle.id, quantity: 1 }]);
        return order.items[0]!.unitPrice.amount === 3999 && order.items[0]!.productName === 'Kettle Pro' ? order : undefined;
      },
      { everyMs: 100 },
    );
    expect(after.total).toEqual({ amount: 3999, currency: 'USD' });
    const old = (await read(before.id, bob))!;
    expect(old.items[0]).toEqual({ product: { id: kettle.id }, productName: 'Kettle', unitPrice: { amount: 3450, currency: 'USD' }, quantity: 1, lineTotal: { amount: 3450, currency: 'USD' } });
    expect(old.total).toEqual({ amount: 3450, currency: 'USD' });
  });
});

describe('changing its status', () => {
  it('goes PENDING -> CONFIRMED -> COMPLETED by an admin', async () => {
    const placed = await placedOrder(system, alice, [{ productId: lamp.id, quantity: 1 }]);
    const confirmed = await change(CONFIRM_ORDER, 'confirmOrder', { id: placed.id }, admin);
    expect(confirmed).toEqual({ ...placed, status: 'CONFIRMED', updatedAt: confirmed.updatedAt });
    expect(Date.parse(confirmed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(placed.placedAt));
    const completed = await change(COMPLETE_ORDER, 'completeOrder', { id: placed.id }, admin);
    expect(completed).toEqual({ ...placed, status: 'COMPLETED', updatedAt: completed.updatedAt });
    expect(Date.parse(completed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(confirmed.updatedAt));
    expect(await read(placed.id, alice)).toEqual(completed);
  });

  it('is cancelled by its owner while PENDING and by an admin while CONFIRMED', async () => {
    const first = await placedOrder(system, alice, [{ productId: mug.id, quantity: 1 }]);
    const cancelled = await change(CANCEL_ORDER, 'cancelOrder', { id: first.id, reason: 'ordered by mistake' }, alice);
    expect(cancelled).toEqual({ ...first, status: 'CANCELLED', updatedAt: cancelled.updatedAt });
    expect((await read(first.id, alice))!.status).toBe('CANCELLED');

    const second = await placedOrder(system, alice, [{ productId: mug.id, quantity: 1 }]);
    await change(CONFIRM_ORDER, 'confirmOrder', { id: second.id }, admin);
    expect((await change(CANCEL_ORDER, 'cancelOrder', { id: second.id }, admin)).status).toBe('CANCELLED');
    expect((await read(second.id, admin))!.status).toBe('CANCELLED');
  });

  it('lets the owner cancel a CONFIRMED order too', async () => {
    const order = await placedOrder(system, alice, [{ productId: mug.id, quantity: 1 }]);
    await change(CONFIRM_ORDER, 'confirmOrder', { id: order.id }, admin);
    expect((await change(CANCEL_ORDER, 'cancelOrder', { id: order.id, reason: null }, alice)).status).toBe('CANCELLED');
  });

  it('refuses every transition docs/architecture.md §2 does not allow with INVALID_ORDER_TRANSITION naming both states', async () => {
    const pending = await placedOrder(system, alice, [{ productId: lamp.id, quantity: 1 }]);
    const confirmed = await placedOrder(system, alice, [{ productId: lamp.id, quantity: 1 }]);
    await change(CONFIRM_ORDER, 'confirmOrder', { id: confirmed.id }, admin);
    const completed = await placedOrder(system, alice, [{ productId: lamp.id, quantity: 1 }]);
    await change(CONFIRM_ORDER, 'confirmOrder', { id: completed.id }, admin);
    await change(COMPLETE_ORDER, 'completeOrder', { id: completed.id }, admin);
    const cancelled = await placedOrder(system, alice, [{ productId: lamp.id, quantity: 1 }]);
    await change(CANCEL_ORDER, 'cancelOrder', { id: cancelled.id }, alice);

    const cases = [
      [COMPLETE_ORDER, pending.id, 'PENDING', 'COMPLETED', admin],
      [CONFIRM_ORDER, confirmed.id, 'CONFIRMED', 'CONFIRMED', admin],
      [CONFIRM_ORDER, completed.id, 'COMPLETED', 'CONFIRMED', admin],
      [COMPLETE_ORDER, completed.id, 'COMPLETED', 'COMPLETED', admin],
      [CANCEL_ORDER, completed.id, 'COMPLETED', 'CANCELLED', alice],
      [CONFIRM_ORDER, cancelled.id, 'CANCELLED', 'CONFIRMED', admin],
      [COMPLETE_ORDER, cancelled.id, 'CANCELLED', 'COMPLETED', admin],
      [CANCEL_ORDER, cancelled.id, 'CANCELLED', 'CANCELLED', admin],
    ] as const;
    for (const [mutation, id, from, to, token] of cases) {
      const before = await read(id, admin);
      const response = await graphql(system.urls.gateway, mutation, { id }, { token });
      expect(response.data).toBeNull();
      const error = onlyError(response);
      expect(error.code).toBe('INVALID_ORDER_TRANSITION');
      expect(error.message).toContain(`order ${id} cannot go from ${from} to ${to}`);
      expect(error.details).toEqual({ orderId: id, from, to });
      expect(await read(id, admin)).toEqual(before);
    }
  });
});
