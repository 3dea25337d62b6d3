import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../../../lib/ddd';
import { DynamoCustomerLimitsLedger } from '../infrastructure/dynamo-customer-limits';
import { ADMIN, customer, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';
import { cancelOrder, confirmOrder } from './change-order-status';
import type { CustomerLimits } from './customer-limits';
import type { OrdersDependencies } from './orders-dependencies';
import { placeOrder } from './place-order';
import type { StockHolds } from './stock-holds';

/**
 * The per-customer caps on unpaid orders against the real table (DynamoDB Local): refused with LIMIT_EXCEEDED
 * before any stock is held, exact under concurrent placements by one customer, given back when an order leaves
 * PENDING, and never lost to a placement that crashed between two of its steps.
 */

const ABANDONED_AFTER_MS = 60_000;
let t: OrdersTable;
let ledger: DynamoCustomerLimitsLedger;
let deps: OrdersDependencies;
let productId: string;

beforeAll(async () => {
  t = await openOrdersTable('customer-limits');
  ledger = new DynamoCustomerLimitsLedger(t.dynamo.doc, t.tableName);
  const limits: CustomerLimits = { ledger, maxPendingOrders: 5, maxHeldUnits: 100, abandonedAfterMs: ABANDONED_AFTER_MS };
  deps = { ...t.deps, limits };
  productId = t.catalog.add({ name: 'Lamp', unitPrice: { amount: 1000, currency: 'USD' }, availableQuantity: 100_000 }).id;
});
afterAll(() => t?.drop());

const line = (quantity: number) => ({ items: [{ productId, quantity }] });
const openHolds = () => [...t.catalog.holds.values()].filter((hold) => hold.open).length;

describe('MAX_PENDING_ORDERS_PER_CUSTOMER', () => {
  it('lets exactly 5 of 20 concurrent placements by one customer through; the others get LIMIT_EXCEEDED and hold nothing', async () => {
    const buyer = customer('caps-concurrent');
    const holdsBefore = openHolds();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => placeOrder(deps, buyer, line(1))));
    const placed = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as { code?: string; details?: unknown }] : []));
    expect(placed).toHaveLength(5);
    expect(refused.map((error) => error.code)).toEqual(Array(15).fill(ErrorCode.LIMIT_EXCEEDED));
    expect(refused[0]!.details).toEqual({ limit: 'MAX_PENDING_ORDERS_PER_CUSTOMER', max: 5, value: 6 });
    expect(openHolds() - holdsBefore).toBe(5);
    expect(await ledger.usage('caps-concurrent')).toEqual({ pendingOrders: 5, heldUnits: 5 });
  });

  it('gives an order’s share back when it leaves PENDING, confirmed or cancelled', async () => {
    const buyer = customer('caps-release');
    const orders = [];
    for (let i = 0; i < 5; i += 1) orders.push(await placeOrder(deps, buyer, line(2)));
    expect((await rejectionOf(placeOrder(deps, buyer, line(1)))).message).toBe(
      'you have 5 unpaid orders, and a customer may have at most 5 (MAX_PENDING_ORDERS_PER_CUSTOMER): pay for or cancel one first',
    );
    await confirmOrder(deps, ADMIN, orders[0]!.id);
    await cancelOrder(deps, buyer, orders[1]!.id, 'changed my mind');
    expect(await ledger.usage('caps-release')).toEqual({ pendingOrders: 3, heldUnits: 6 });
    await placeOrder(deps, buyer, line(1));
    await placeOrder(deps, buyer, line(1));
    expect((await rejectionOf(placeOrder(deps, buyer, line(1)))).code).toBe(ErrorCode.LIMIT_EXCEEDED);
    // A status change that does not leave PENDING twice gives nothing back twice.
    await cancelOrder(deps, ADMIN, orders[0]!.id, null);
    expect(await ledger.usage('caps-release')).toEqual({ pendingOrders: 5, heldUnits: 8 });
  });

  it('does not cap admins', async () => {
    for (let i = 0; i < 7; i += 1) await placeOrder(deps, ADMIN, line(30));
    expect(await ledger.usage(ADMIN!.sub)).toEqual({ pendingOrders: 0, heldUnits: 0 });
  });

  it('counts a placement repeated with its idempotency key once, also concurrently', async () => {
    const buyer = customer('caps-idempotent');
    const orders = await Promise.all(Array.from({ length: 4 }, () => placeOrder(deps, buyer, { ...line(3), idempotencyKey: 'checkout-1' })));
    expect(new Set(orders.map((order) => order.id)).size).toBe(1);
    await placeOrder(deps, buyer, { ...line(3), idempotencyKey: 'checkout-1' });
    expect(await ledger.usage('caps-idempotent')).toEqual({ pendingOrders: 1, heldUnits: 3 });
  });
});

describe('MAX_HELD_UNITS_PER_CUSTOMER', () => {
  it('lets concurrent placements hold at most 100 units in all, naming the cap and the value', async () => {
    const buyer = customer('caps-units');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => placeOrder(deps, buyer, line(30))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const refusal = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toMatchObject({ code: ErrorCode.LIMIT_EXCEEDED, details: { limit: 'MAX_HELD_UNITS_PER_CUSTOMER', max: 100, value: 120 } });
    expect(await ledger.usage('caps-units')).toEqual({ pendingOrders: 3, heldUnits: 90 });
  });

  it('refuses one order of more units than the cap before asking anything of Catalog', async () => {
    const holdsBefore = t.catalog.holds.size;
    const error = await rejectionOf(placeOrder(deps, customer('caps-one-big'), line(101)));
    expect([error.code, error.details]).toEqual([ErrorCode.LIMIT_EXCEEDED, { limit: 'MAX_HELD_UNITS_PER_CUSTOMER', max: 100, value: 101 }]);
    expect(t.catalog.holds.size).toBe(holdsBefore);
    expect(await ledger.usage('caps-one-big')).toEqual({ pendingOrders: 0, heldUnits: 0 });
  });
});

describe('a placement that crashed between two of its steps', () => {
  it('leaves a share no order claims, which the next refused placement reclaims once no placement can still use it', async () => {
    const buyer = customer('caps-crash');
    // Crashed right after reserving (x3), and after reserving and holding (x2): no order was written.
    for (let i = 0; i < 3; i += 1) await ledger.reserve({ customerId: 'caps-crash', orderId: `crashed-${i}`, units: 10, at: t.clock.now() }, deps.limits!);
    for (let i = 3; i < 5; i += 1) {
      await ledger.reserve({ customerId: 'caps-crash', orderId: `crashed-${i}`, units: 10, at: t.clock.now() }, deps.limits!);
      await t.catalog.hold({ orderId: `crashed-${i}`, customerId: 'caps-crash', lines: [{ productId, quantity: 10 }] });
    }
    // Too recent to be abandoned: the placements might still be running.
    expect((await rejectionOf(placeOrder(deps, buyer, line(1)))).code).toBe(ErrorCode.LIMIT_EXCEEDED);
    t.clock.advance(ABANDONED_AFTER_MS + 1);
    const order = await placeOrder(deps, buyer, line(1));
    expect(order.status).toBe('PENDING');
    expect(await ledger.usage('caps-crash')).toEqual({ pendingOrders: 1, heldUnits: 1 });
  });

  it('cannot claim a share reclaimed while it was still running: nothing is written and its stock goes back', async () => {
    const buyer = customer('caps-slow');
    const slowHold: StockHolds = {
      async hold(request) {
        const held = await t.catalog.hold(request);
        // The placement stalls past every deadline; meanwhile its share is reclaimed as abandoned.
        const now = t.clock.advance(ABANDONED_AFTER_MS + 1);
        expect(await ledger.reclaimAbandoned('caps-slow', new Date(now.getTime() - ABANDONED_AFTER_MS))).toBe(1);
        return held;
      },
      release: (orderId) => t.catalog.release(orderId),
    };
    const error = await rejectionOf(placeOrder({ ...deps, stock: slowHold }, buyer, line(4)));
    expect([error.code, error.message]).toEqual([ErrorCode.CONFLICT, 'placing the order took too long and was abandoned; try again']);
    expect((await t.repository.listByCustomer('caps-slow', { first: 10, after: undefined })).edges).toEqual([]);
    expect(t.catalog.holds.get(error.details!['orderId'] as string)?.open).toBe(false);
    expect(await ledger.usage('caps-slow')).toEqual({ pendingOrders: 0, heldUnits: 0 });
  });

  it('gives the share back at once when the placement fails after reserving (no stock)', async () => {
    t.catalog.add({ id: 'caps-scarce', name: 'Scarce', unitPrice: { amount: 100, currency: 'USD' }, availableQuantity: 1 });
    const error = await rejectionOf(placeOrder(deps, customer('caps-scarce'), { items: [{ productId: 'caps-scarce', quantity: 2 }] }));
    expect(error.code).toBe(ErrorCode.PRODUCT_UNAVAILABLE);
    expect(await ledger.usage('caps-scarce')).toEqual({ pendingOrders: 0, heldUnits: 0 });
  });
});
