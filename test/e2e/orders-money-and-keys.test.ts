import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AnyEventEnvelope } from '../../lib/events';
import type { RunningSystem } from '../../scripts/system';
import { createProduct, pendingOutbox } from '../support/commerce';
import { errorCodes, graphql } from '../support/graphql';
import { MY_ORDERS, PLACE_ORDER, type MyOrdersPage, type OrderView } from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';
import { waitFor } from '../../lib/events/testing/wait-for';

/**
 * Issue 9 through the gateway: an order whose total would not fit GraphQL's Int is refused before anything is
 * written (before, it was committed with its event, the caller got INTERNAL_SERVER_ERROR and that customer's
 * order list failed from then on); an idempotency key is bound to its request.
 */

let system: RunningSystem;
let expensive: string;
let cheap: string;
let mid: string;
const created: AnyEventEnvelope[] = [];

beforeAll(async () => {
  system = await startTestSystem('orders-money-keys');
  await system.bus.subscribe({ group: 'money-test', types: ['order.created'], handle: async (envelope) => void created.push(envelope) });
  expensive = await createProduct(system.urls.gateway, 'MONEY-BIG', 100_000_000, { stock: 100 });
  cheap = await createProduct(system.urls.gateway, 'MONEY-SMALL', 1_250, { stock: 100 });
  mid = await createProduct(system.urls.gateway, 'MONEY-MID', 50_000_000, { stock: 100 });
});
afterAll(() => system?.stop());

const place = async (token: string, items: { productId: string; quantity: number }[], idempotencyKey?: string) =>
  graphql<{ placeOrder: OrderView }>(system.urls.gateway, PLACE_ORDER, { input: { items, ...(idempotencyKey ? { idempotencyKey } : {}) } }, { token });
const createdFor = (customerId: string) => created.filter((event) => (event.data as { customerId?: string }).customerId === customerId);

describe('an order total beyond the GraphQL Int range', () => {
  it('is BAD_USER_INPUT naming the limit and the value, and writes nothing: no order, no event, the order list still works', async () => {
    const customer = 'customer-money-limit';
    const token = await tokenFor(customer);
    const before = await place(token, [{ productId: cheap, quantity: 1 }]);
    expect(before.errors).toBeUndefined();

    const refused = await place(token, [{ productId: cheap, quantity: 2 }, { productId: expensive, quantity: 22 }], 'too-big-1');
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toBe('items[1].lineTotal.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2200000000');
    const total = await place(token, [{ productId: expensive, quantity: 21 }, { productId: mid, quantity: 1 }]);
    expect(errorCodes(total)).toEqual(['BAD_USER_INPUT']);
    expect(total.errors![0]!.message).toBe('total.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2150000000');
    expect(total.errors![0]!.extensions?.['details']).toMatchObject({ field: 'total.amount', value: 2_150_000_000, limit: 2_147_483_647 });

    // The key of the refused request was not claimed, and the largest order that fits is fine.
    const after = await place(token, [{ productId: expensive, quantity: 21 }], 'too-big-1');
    expect(after.errors).toBeUndefined();
    expect(after.data!.placeOrder.total).toEqual({ amount: 2_100_000_000, currency: 'USD' });

    const mine = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 10 }, { token });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.me!.orders.edges.map((edge) => edge.node.id)).toEqual([after.data!.placeOrder.id, before.data!.placeOrder.id]);
    // Events of the two orders placed arrive; none was written for the refused ones (nor is one left in the outbox).
    await waitFor('the two order.created events', () => createdFor(customer).length === 2);
    expect(createdFor(customer).map((event) => (event.data as { orderId: string }).orderId).sort()).toEqual([before.data!.placeOrder.id, after.data!.placeOrder.id].sort());
    expect((await pendingOutbox(system, 'orders')).some((event) => ((event.data as { total?: { amount: number } }).total?.amount ?? 0) > 2_147_483_647)).toBe(false);
  });
});

describe('an idempotency key', () => {
  it('answers the same order for the same items, and CONFLICT naming the key for other items', async () => {
    const token = await tokenFor('customer-key-bound');
    const first = await place(token, [{ productId: cheap, quantity: 2 }], 'checkout-1');
    expect(first.errors).toBeUndefined();
    const again = await place(token, [{ productId: cheap, quantity: 1 }, { productId: cheap, quantity: 1 }], 'checkout-1');
    expect(again.data!.placeOrder.id).toBe(first.data!.placeOrder.id);

    const other = await place(token, [{ productId: cheap, quantity: 3 }], 'checkout-1');
    expect(errorCodes(other)).toEqual(['CONFLICT']);
    expect(other.errors![0]!.message).toBe('idempotency key "checkout-1" was already used for a different order (other products, quantities, shipping address or email); use a new key for a new order');
    const mine = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 10 }, { token });
    expect(mine.data!.me!.orders.edges.map((edge) => edge.node.id)).toEqual([first.data!.placeOrder.id]);
  });
});
