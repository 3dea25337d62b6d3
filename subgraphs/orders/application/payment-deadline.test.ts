import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoCustomerLimitsLedger } from '../infrastructure/dynamo-customer-limits';
import { ADMIN, customer, openOrdersTable, type OrdersTable } from '../test-support/orders-fixtures';
import { confirmOrder, confirmOrderOnAuthorization } from './change-order-status';
import type { OrdersDependencies } from './orders-dependencies';
import { cancelOverdueOrders } from './payment-deadline';
import { placeOrder } from './place-order';

/**
 * Orders' half of the checkout saga against the real table: the payment deadline every placed order gets, the
 * sweep that cancels unpaid orders past it (cause payment-timeout), and the confirmation an authorized payment of
 * the order's total brings.
 */

const TIMEOUT_SECONDS = 900;
let t: OrdersTable;
let deps: OrdersDependencies;
let ledger: DynamoCustomerLimitsLedger;
let productId: string;

beforeAll(async () => {
  t = await openOrdersTable('payment-deadline');
  ledger = new DynamoCustomerLimitsLedger(t.dynamo.doc, t.tableName);
  deps = { ...t.deps, paymentTimeoutSeconds: TIMEOUT_SECONDS, limits: { ledger, maxPendingOrders: 5, maxHeldUnits: 100, abandonedAfterMs: 60_000 } };
  productId = t.catalog.add({ name: 'Kettle', unitPrice: { amount: 3450, currency: 'USD' }, availableQuantity: 1000 }).id;
});
afterAll(() => t?.drop());

const place = (sub: string, quantity = 1) => placeOrder(deps, customer(sub), { items: [{ productId, quantity }] });

describe('the payment deadline', () => {
  it('is placedAt + PAYMENT_TIMEOUT_SECONDS, on the order and its order.created event', async () => {
    const order = await place('deadline-shape');
    expect(order.paymentDueAt).toEqual(new Date(order.placedAt.getTime() + TIMEOUT_SECONDS * 1000));
    expect((await t.repository.findById(order.id))!.paymentDueAt).toEqual(order.paymentDueAt);
    const [created] = await t.outboxEventsOf(order.id);
    expect(created).toMatchObject({ type: 'order.created', data: { paymentDueAt: order.paymentDueAt!.toISOString() } });
  });

  it('cancels exactly the unpaid orders past it, with cause payment-timeout, giving back their caps share', async () => {
    const overdue = [await place('deadline-sweep', 2), await place('deadline-sweep', 3)];
    const paid = await place('deadline-sweep');
    await confirmOrder(deps, ADMIN, paid.id);
    t.clock.advance(TIMEOUT_SECONDS * 1000 - 10_000);
    const onTime = await place('deadline-sweep');
    t.clock.advance(10_001);

    expect(await cancelOverdueOrders(deps)).toBeGreaterThanOrEqual(2);
    for (const order of overdue) {
      const stored = (await t.repository.findById(order.id))!;
      expect(stored.status).toBe('CANCELLED');
      expect(stored.cancellationReason).toBe(`payment was not received by ${order.paymentDueAt!.toISOString()}, the order's payment deadline; its stock was released`);
      expect((await t.outboxEventsOf(order.id)).at(-1)).toMatchObject({
        type: 'order.cancelled',
        data: { status: 'CANCELLED', previousStatus: 'PENDING', cause: 'payment-timeout', reason: stored.cancellationReason, version: 2 },
      });
    }
    expect((await t.repository.findById(paid.id))!.status).toBe('CONFIRMED');
    expect((await t.repository.findById(onTime.id))!.status).toBe('PENDING');
    expect(await ledger.usage('deadline-sweep')).toEqual({ pendingOrders: 1, heldUnits: 1 });
    // A second sweep finds nothing left to do.
    expect(await cancelOverdueOrders(deps)).toBe(0);
  });
});

describe('payment.authorized', () => {
  const event = (id: string) => ({ consumer: 'orders', eventId: id });

  it('confirms a PENDING order once, for its own total only', async () => {
    const order = await place('authorized', 2);
    expect(await confirmOrderOnAuthorization(deps, { orderId: order.id, amount: { amount: 6900, currency: 'EUR' } }, event(`${order.id}-wrong`))).toBe('amount-mismatch');
    expect(await confirmOrderOnAuthorization(deps, { orderId: order.id, amount: { amount: 6899, currency: 'USD' } }, event(`${order.id}-short`))).toBe('amount-mismatch');
    expect((await t.repository.findById(order.id))!.status).toBe('PENDING');
    expect(await confirmOrderOnAuthorization(deps, { orderId: order.id, amount: { amount: 6900, currency: 'USD' } }, event(`${order.id}-ok`))).toBe('confirmed');
    expect(await confirmOrderOnAuthorization(deps, { orderId: order.id, amount: { amount: 6900, currency: 'USD' } }, event(`${order.id}-ok`))).toBe('ignored');
    expect((await t.outboxEventsOf(order.id)).map((e) => e.type)).toEqual(['order.created', 'order.confirmed']);
    expect(await ledger.usage('authorized')).toEqual({ pendingOrders: 0, heldUnits: 0 });
  });

  it('changes nothing for an order the deadline already cancelled', async () => {
    const order = await place('authorized-late');
    t.clock.advance(TIMEOUT_SECONDS * 1000 + 1);
    await cancelOverdueOrders(deps);
    expect(await confirmOrderOnAuthorization(deps, { orderId: order.id, amount: { amount: 3450, currency: 'USD' } }, event(`${order.id}-late`))).toBe('ignored');
    expect((await t.repository.findById(order.id))!.status).toBe('CANCELLED');
  });
});
