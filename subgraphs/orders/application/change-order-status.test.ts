import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConcurrentModificationError, ErrorCode } from '../../../lib/ddd';
import type { Order } from '../domain/order';
import type { OrderRepository } from '../domain/order-repository';
import { ADMIN, customer, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';
import { cancelOrder, confirmOrder, confirmOrderOnAuthorization, confirmOrderOnPayment } from './change-order-status';
import { completeOrder } from './fulfil-order';
import { placeOrder } from './place-order';
import type { OrdersDependencies } from './orders-dependencies';

/**
 * Status changes against the real repository. The optimistic-retry tests make the interleaving deterministic:
 * another writer changes the order right after the use case has read it, so its first save is sure to lose.
 */

let t: OrdersTable;
let productId: string;
const OWNER = customer('customer-owner');
const STRANGER = customer('customer-stranger');

beforeAll(async () => {
  t = await openOrdersTable('order-status');
  productId = t.catalog.add({ name: 'Kettle', unitPrice: { amount: 3450, currency: 'USD' }, availableQuantity: 100 }).id;
});
afterAll(() => t?.drop());

const placed = () => placeOrder(t.deps, OWNER, { items: [{ productId, quantity: 2 }] });

/** Another writer's change, through the real repository. */
async function meanwhile(id: string, change: (order: Order) => void): Promise<void> {
  const order = (await t.repository.findById(id))!;
  change(order);
  await t.repository.save(order);
}

/** Dependencies whose reads are each followed by `interfere(n)` (n = 1 for the first read) before the caller sees them. */
function interfered(interfere: (read: number, id: string) => Promise<void>): { deps: OrdersDependencies; reads: () => number } {
  let reads = 0;
  const repository = t.repository;
  const orders: OrderRepository = {
    create: (order, claim) => repository.create(order, claim),
    save: (order, causedBy) => repository.save(order, causedBy),
    async findById(id) {
      const found = await repository.findById(id);
      reads += 1;
      await interfere(reads, id);
      return found;
    },
    findByIds: (ids) => repository.findByIds(ids),
    findIdempotencyKey: (customerId, key) => repository.findIdempotencyKey(customerId, key),
    listOverdue: (now, limit) => repository.listOverdue(now, limit),
    listByCustomer: (customerId, query) => repository.listByCustomer(customerId, query),
    list: (query) => repository.list(query),
  };
  return { deps: { ...t.deps, orders }, reads: () => reads };
}

describe('a lost optimistic race', () => {
  it('is retried once against the fresh state, where the change may still be valid', async () => {
    const order = await placed();
    const { deps, reads } = interfered(async (read, id) => {
      if (read === 1) await meanwhile(id, (fresh) => fresh.confirm(t.clock.advance()));
    });
    const cancelled = await cancelOrder(deps, OWNER, order.id, 'changed my mind');
    expect(reads()).toBe(2);
    expect(cancelled.status).toBe('CANCELLED');
    const stored = (await t.repository.findById(order.id))!;
    expect(stored.status).toBe('CANCELLED');
    expect(stored.version).toBe(3);
    expect(await t.outboxEventsOf(order.id)).toEqual([
      expect.objectContaining({ type: 'order.created' }),
      expect.objectContaining({ type: 'order.confirmed' }),
      expect.objectContaining({ type: 'order.cancelled', data: expect.objectContaining({ previousStatus: 'CONFIRMED', reason: 'changed my mind' }) }),
    ]);
  });

  it('fails with the domain error when the fresh state no longer allows the change', async () => {
    const order = await placed();
    const { deps, reads } = interfered(async (read, id) => {
      if (read === 1) await meanwhile(id, (fresh) => fresh.confirm(t.clock.advance()));
    });
    const error = await rejectionOf(confirmOrder(deps, ADMIN, order.id));
    expect(reads()).toBe(2);
    expect(error.code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
    expect(error.message).toBe(`order ${order.id} cannot go from CONFIRMED to CONFIRMED (from CONFIRMED it can go to SHIPPED or COMPLETED or CANCELLED)`);
    expect((await t.outboxEventsOf(order.id)).map((event) => event.type)).toEqual(['order.created', 'order.confirmed']);
  });

  it('fails with CONFLICT when the retry loses too, and is not retried a third time', async () => {
    const order = await placed();
    const { deps, reads } = interfered(async (read, id) => {
      if (read === 1) await meanwhile(id, (fresh) => fresh.confirm(t.clock.advance()));
      if (read === 2) await meanwhile(id, (fresh) => fresh.complete(t.clock.advance()));
    });
    const error = await rejectionOf(cancelOrder(deps, ADMIN, order.id, null));
    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect(error.code).toBe(ErrorCode.CONFLICT);
    expect(reads()).toBe(2);
    expect((await t.repository.findById(order.id))!.status).toBe('COMPLETED');
  });
});

describe('who may change an order', () => {
  it.each([
    ['confirm', (id: string) => confirmOrder(t.deps, OWNER, id), 'only an admin may confirm orders'],
    ['complete', (id: string) => completeOrder(t.deps, OWNER, id), 'only an admin may complete orders'],
  ])('only an admin may %s: the owner gets FORBIDDEN', async (_label, act, message) => {
    const order = await placed();
    const error = await rejectionOf(act(order.id));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(error.message).toBe(message);
    expect((await t.repository.findById(order.id))!.version).toBe(1);
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const order = await placed();
    for (const act of [() => confirmOrder(t.deps, null, order.id), () => completeOrder(t.deps, null, order.id), () => cancelOrder(t.deps, null, order.id, null)]) {
      expect((await rejectionOf(act())).code).toBe(ErrorCode.UNAUTHENTICATED);
    }
    expect((await t.repository.findById(order.id))!.status).toBe('PENDING');
  });

  it("lets the owner and an admin cancel, and refuses another customer with FORBIDDEN", async () => {
    const first = await placed();
    const error = await rejectionOf(cancelOrder(t.deps, STRANGER, first.id, null));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(error.message).toBe(`order ${first.id} belongs to another customer`);
    expect((await t.repository.findById(first.id))!.status).toBe('PENDING');
    expect((await cancelOrder(t.deps, OWNER, first.id, null)).status).toBe('CANCELLED');
    const second = await placed();
    expect((await cancelOrder(t.deps, ADMIN, second.id, 'out of stock')).cancellationReason).toBe('out of stock');
  });

  it('answers an unknown order with NOT_FOUND naming the id', async () => {
    const id = randomUUID();
    for (const act of [() => confirmOrder(t.deps, ADMIN, id), () => completeOrder(t.deps, ADMIN, id), () => cancelOrder(t.deps, OWNER, id, null)]) {
      const error = await rejectionOf(act());
      expect(error.code).toBe(ErrorCode.NOT_FOUND);
      expect(error.message).toBe(`no order with id "${id}"`);
      expect(error.details).toEqual({ field: 'id', value: id });
    }
  });
});

describe('what confirmed an order', () => {
  it('is told on order.confirmed (confirmedBy): an admin by hand, the order’s card payment, or an outside payment', async () => {
    const confirmedBy = async (orderId: string) => (await t.outboxEventsOf(orderId)).find((e) => e.type === 'order.confirmed')?.data['confirmedBy'];
    const byHand = await placed();
    await confirmOrder(t.deps, ADMIN, byHand.id);
    const byCard = await placed();
    expect(await confirmOrderOnAuthorization(t.deps, { orderId: byCard.id, amount: byCard.total.toJSON() }, { consumer: 'orders', eventId: randomUUID() })).toBe('confirmed');
    const byOutsidePayment = await placed();
    await confirmOrderOnPayment(t.deps, byOutsidePayment.id, { consumer: 'orders', eventId: randomUUID() });
    expect([await confirmedBy(byHand.id), await confirmedBy(byCard.id), await confirmedBy(byOutsidePayment.id)]).toEqual(['admin', 'payment-authorized', 'payment-completed']);
    // And the order remembers it (stored): only the one its card payment confirmed is ever captured.
    const stored = async (orderId: string) => (await t.repository.findById(orderId))!;
    expect([(await stored(byHand.id)).paidOtherwise, (await stored(byCard.id)).paidOtherwise, (await stored(byOutsidePayment.id)).paidOtherwise]).toEqual([true, false, true]);
  });
});

describe('confirmOrderOnPayment (payment.completed)', () => {
  it('confirms a PENDING order once; a redelivered event changes nothing', async () => {
    const order = await placed();
    const event = { consumer: 'orders', eventId: randomUUID() };
    expect(await confirmOrderOnPayment(t.deps, order.id, event)).toBe('confirmed');
    expect(await confirmOrderOnPayment(t.deps, order.id, event)).toBe('ignored');
    const stored = (await t.repository.findById(order.id))!;
    expect(stored.status).toBe('CONFIRMED');
    expect(stored.version).toBe(2);
    expect((await t.outboxEventsOf(order.id)).map((e) => e.type)).toEqual(['order.created', 'order.confirmed']);
  });

  it('ignores an order that is unknown or already past PENDING', async () => {
    expect(await confirmOrderOnPayment(t.deps, randomUUID(), { consumer: 'orders', eventId: randomUUID() })).toBe('ignored');
    const order = await placed();
    await cancelOrder(t.deps, OWNER, order.id, null);
    expect(await confirmOrderOnPayment(t.deps, order.id, { consumer: 'orders', eventId: randomUUID() })).toBe('ignored');
    expect((await t.repository.findById(order.id))!.status).toBe('CANCELLED');
  });
});
