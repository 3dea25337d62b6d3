import { describe, expect, it } from '@jest/globals';
import { ErrorCode, InvalidOrderTransitionError, ValidationError } from '../../../lib/ddd';
import { ORDER_LIMITS, Order, normaliseLines, type PricedLine } from './order';
import { OrderItem } from './order-item';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-01T11:00:00.000Z');
const T2 = new Date('2026-03-01T12:00:00.000Z');
const ORDER_ID = '9b2f0c1e-0000-4000-8000-000000000001';
const P1 = '6f1c2a3e-0000-4000-8000-000000000001';
const P2 = '6f1c2a3e-0000-4000-8000-000000000002';
const P3 = '6f1c2a3e-0000-4000-8000-000000000003';

const line = (productId: string, quantity: number, amount = 1999, currency = 'USD', productName = `Name of ${productId.slice(-1)}`): PricedLine => ({
  productId,
  productName,
  unitPrice: { amount, currency },
  quantity,
});

const place = (lines: readonly PricedLine[]) => Order.place({ id: ORDER_ID, customerId: 'customer-1', lines, now: T0 });

const placed = () => place([line(P1, 3, 1999), line(P2, 2, 5)]);

function errorOf(fn: () => unknown): Error & { code?: string; details?: Readonly<Record<string, unknown>> } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('Order.place', () => {
  it('builds a PENDING order with name and price snapshots, line totals and the total in minor units', () => {
    const order = placed();
    expect(order.id).toBe(ORDER_ID);
    expect(order.customerId).toBe('customer-1');
    expect(order.status).toBe('PENDING');
    expect(order.placedAt).toEqual(T0);
    expect(order.updatedAt).toEqual(T0);
    expect(order.version).toBe(1);
    expect(order.cancellationReason).toBeUndefined();
    expect(order.items.map((item) => ({ productId: item.productId, productName: item.productName, unitPrice: item.unitPrice.toJSON(), quantity: item.quantity, lineTotal: item.lineTotal.toJSON() }))).toEqual([
      { productId: P1, productName: 'Name of 1', unitPrice: { amount: 1999, currency: 'USD' }, quantity: 3, lineTotal: { amount: 5997, currency: 'USD' } },
      { productId: P2, productName: 'Name of 2', unitPrice: { amount: 5, currency: 'USD' }, quantity: 2, lineTotal: { amount: 10, currency: 'USD' } },
    ]);
    expect(order.total.toJSON()).toEqual({ amount: 6007, currency: 'USD' });
  });

  it('records order.created with the lines and the total', () => {
    const order = placed();
    expect(order.pullEvents()).toEqual([
      {
        type: 'order.created',
        occurredAt: T0.toISOString(),
        data: {
          orderId: ORDER_ID,
          customerId: 'customer-1',
          items: [
            { productId: P1, quantity: 3, unitPrice: { amount: 1999, currency: 'USD' } },
            { productId: P2, quantity: 2, unitPrice: { amount: 5, currency: 'USD' } },
          ],
          total: { amount: 6007, currency: 'USD' },
          version: 1,
        },
      },
    ]);
    expect(order.peekEvents()).toEqual([]);
  });

  it('merges the same product given twice into one line, keeping the first position', () => {
    const order = place([line(P1, 2), line(P2, 1, 500), line(P1, 5)]);
    expect(order.items.map((item) => [item.productId, item.quantity])).toEqual([
      [P1, 7],
      [P2, 1],
    ]);
    expect(order.total.toJSON()).toEqual({ amount: 7 * 1999 + 500, currency: 'USD' });
  });

  it('keeps totals exact in integer minor units (no floating point), up to the largest GraphQL Int', () => {
    const order = place([line(P1, 3, 10), line(P2, 3, 20), line(P3, 1000, 2_147_483)]);
    expect(order.total.toJSON()).toEqual({ amount: 90 + 2_147_483_000, currency: 'USD' });
    const largest = place([line(P1, 1, 2_147_483_000), line(P2, 1, 647)]);
    expect(largest.total.amount).toBe(2 ** 31 - 1);
  });

  it('refuses a line total beyond the GraphQL Int range before recording anything, naming the line, the limit and the value', () => {
    const error = errorOf(() => place([line(P1, 1, 100), line(P2, 22, 100_000_000)]));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('items[1].lineTotal.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2200000000');
  });

  it('refuses an order total beyond the GraphQL Int range although every line fits', () => {
    const error = errorOf(() => place([line(P1, 1, 2_000_000_000), line(P2, 1, 147_483_648)]));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('total.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2147483648');
    expect(error.details).toMatchObject({ field: 'total.amount', value: 2_147_483_648, limit: 2_147_483_647 });
  });

  it('refuses an order that mixes currencies with BAD_USER_INPUT naming them', () => {
    const error = errorOf(() => place([line(P1, 1, 100, 'USD'), line(P2, 1, 100, 'EUR')]));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('an order never mixes currencies; these products are priced in EUR and USD');
    expect(error.details).toEqual({ field: 'items', currencies: ['EUR', 'USD'] });
  });

  it('accepts one currency other than USD', () => {
    expect(place([line(P1, 2, 250, 'EUR'), line(P2, 1, 100, 'EUR')]).total.toJSON()).toEqual({ amount: 600, currency: 'EUR' });
  });

  it.each([
    ['no lines', [], 'an order has 1-50 lines, got 0'],
    ['51 lines', Array.from({ length: 51 }, (_, n) => line(`product-${n}`, 1)), 'an order has 1-50 lines, got 51'],
    ['a quantity of 0', [line(P1, 0)], 'items[0].quantity must be at least 1, got 0'],
    ['a quantity of 1001', [line(P1, 1001)], 'items[0].quantity must be at most 1000, got 1001'],
    ['a product ordered 1001 times over two lines', [line(P1, 600), line(P1, 401)], `items[0].quantity must be at most 1000, got 1001`],
  ])('refuses %s with BAD_USER_INPUT', (_label, lines, message) => {
    const error = errorOf(() => place(lines));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe(message);
  });

  it('accepts the limits themselves: 50 lines, 1000 units', () => {
    const lines = Array.from({ length: 50 }, (_, n) => line(`product-${n}`, n === 0 ? 1000 : 1, 1));
    const order = place(lines);
    expect(order.items).toHaveLength(50);
    expect(order.items[0]!.quantity).toBe(1000);
    expect(order.total.amount).toBe(1000 + 49);
  });
});

describe('normaliseLines (the request, before any catalog lookup)', () => {
  it('merges repeated products, in first-seen order', () => {
    expect(
      normaliseLines([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });

  it.each([
    ['no lines', [], 'items', 'an order has 1-50 lines, got 0', { field: 'items', value: 0 }],
    ['51 lines', Array.from({ length: 51 }, (_, n) => ({ productId: `p${n}`, quantity: 1 })), 'items', 'an order has 1-50 lines, got 51', { field: 'items', value: 51 }],
    ['quantity 0', [{ productId: 'a', quantity: 0 }], 'items[0].quantity', 'items[0].quantity must be at least 1, got 0', { field: 'items[0].quantity', value: 0 }],
    ['quantity -3 on the second line', [{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: -3 }], 'items[1].quantity', 'items[1].quantity must be at least 1, got -3', { field: 'items[1].quantity', value: -3 }],
    ['quantity 1001', [{ productId: 'a', quantity: 1001 }], 'items[0].quantity', 'items[0].quantity must be at most 1000, got 1001', { field: 'items[0].quantity', value: 1001 }],
    ['quantity 1.5', [{ productId: 'a', quantity: 1.5 }], 'items[0].quantity', 'items[0].quantity must be an integer, got 1.5', { field: 'items[0].quantity', value: 1.5 }],
    ['an empty product id', [{ productId: '  ', quantity: 1 }], 'items[0].productId', 'items[0].productId must be 1-100 characters, got 0 ("  ")', { field: 'items[0].productId', value: '' }],
    [
      'one product 1001 times in total',
      [{ productId: 'a', quantity: 1000 }, { productId: 'a', quantity: 1 }],
      'items',
      'product a is ordered 1001 times in total; at most 1000 per line',
      { field: 'items', productId: 'a', value: 1001 },
    ],
  ])('refuses %s with BAD_USER_INPUT naming the field and the value', (_label, lines, field, message, details) => {
    const error = errorOf(() => normaliseLines(lines));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(error.message).toBe(message);
    expect(error.details).toEqual(details);
  });

  it('accepts exactly 1 and 50 lines and 1..1000 units', () => {
    expect(normaliseLines([{ productId: 'a', quantity: 1 }])).toEqual([{ productId: 'a', quantity: 1 }]);
    expect(normaliseLines(Array.from({ length: 50 }, (_, n) => ({ productId: `p${n}`, quantity: 1000 })))).toHaveLength(ORDER_LIMITS.lines.max);
  });
});

describe('Order status changes', () => {
  it('goes PENDING -> CONFIRMED -> COMPLETED, stamping updatedAt and recording one event each', () => {
    const order = placed();
    order.pullEvents();
    order.confirm(T1);
    expect(order.status).toBe('CONFIRMED');
    expect(order.updatedAt).toEqual(T1);
    expect(order.placedAt).toEqual(T0);
    order.complete(T2);
    expect(order.status).toBe('COMPLETED');
    expect(order.updatedAt).toEqual(T2);
    expect(order.pullEvents()).toEqual([
      {
        type: 'order.confirmed',
        occurredAt: T1.toISOString(),
        data: { orderId: ORDER_ID, customerId: 'customer-1', status: 'CONFIRMED', previousStatus: 'PENDING', total: { amount: 6007, currency: 'USD' }, version: 2 },
      },
      {
        type: 'order.completed',
        occurredAt: T2.toISOString(),
        data: { orderId: ORDER_ID, customerId: 'customer-1', status: 'COMPLETED', previousStatus: 'CONFIRMED', total: { amount: 6007, currency: 'USD' }, version: 3 },
      },
    ]);
  });

  it('cancels from PENDING and from CONFIRMED, keeping the trimmed reason', () => {
    const pending = placed();
    pending.pullEvents();
    pending.cancel('  changed my mind  ', T1);
    expect(pending.status).toBe('CANCELLED');
    expect(pending.cancellationReason).toBe('changed my mind');
    expect(pending.pullEvents()).toEqual([
      {
        type: 'order.cancelled',
        occurredAt: T1.toISOString(),
        data: { orderId: ORDER_ID, customerId: 'customer-1', status: 'CANCELLED', previousStatus: 'PENDING', total: { amount: 6007, currency: 'USD' }, reason: 'changed my mind', version: 2 },
      },
    ]);

    const confirmed = placed();
    confirmed.confirm(T1);
    confirmed.pullEvents();
    confirmed.cancel(null, T2);
    expect(confirmed.status).toBe('CANCELLED');
    expect(confirmed.cancellationReason).toBeUndefined();
    const [event] = confirmed.pullEvents();
    expect(event!.data).toEqual({ orderId: ORDER_ID, customerId: 'customer-1', status: 'CANCELLED', previousStatus: 'CONFIRMED', total: { amount: 6007, currency: 'USD' }, version: 3 });
  });

  it('treats a blank reason as none', () => {
    const order = placed();
    order.cancel('   ', T1);
    expect(order.cancellationReason).toBeUndefined();
    expect(order.pullEvents().at(-1)!.data).not.toHaveProperty('reason');
  });

  it('refuses a reason over 500 characters with BAD_USER_INPUT and changes nothing', () => {
    const order = placed();
    order.pullEvents();
    const error = errorOf(() => order.cancel('x'.repeat(501), T1));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toMatch(/^reason must be at most 500 characters, got 501 /);
    expect(order.status).toBe('PENDING');
    expect(order.peekEvents()).toEqual([]);
    order.cancel('x'.repeat(500), T1);
    expect(order.cancellationReason).toHaveLength(500);
  });

  const toConfirmed = (order: Order) => order.confirm(T1);
  const toCompleted = (order: Order) => (order.confirm(T1), order.complete(T1));
  const toCancelled = (order: Order) => order.cancel(null, T1);
  it.each([
    ['complete a PENDING order', () => undefined, (order: Order) => order.complete(T2), 'PENDING', 'COMPLETED'],
    ['confirm a CONFIRMED order', toConfirmed, (order: Order) => order.confirm(T2), 'CONFIRMED', 'CONFIRMED'],
    ['confirm a COMPLETED order', toCompleted, (order: Order) => order.confirm(T2), 'COMPLETED', 'CONFIRMED'],
    ['cancel a COMPLETED order', toCompleted, (order: Order) => order.cancel('late', T2), 'COMPLETED', 'CANCELLED'],
    ['confirm a CANCELLED order', toCancelled, (order: Order) => order.confirm(T2), 'CANCELLED', 'CONFIRMED'],
    ['cancel a CANCELLED order', toCancelled, (order: Order) => order.cancel(null, T2), 'CANCELLED', 'CANCELLED'],
    ['complete a CANCELLED order', toCancelled, (order: Order) => order.complete(T2), 'CANCELLED', 'COMPLETED'],
  ])('refuses to %s with INVALID_ORDER_TRANSITION, leaving the order as it was', (_label, setup, refused, from, to) => {
    const order = placed();
    setup(order);
    const before = { state: order.snapshot(), events: [...order.peekEvents()] };
    const error = errorOf(() => refused(order));
    expect(error).toBeInstanceOf(InvalidOrderTransitionError);
    expect(error.code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
    expect(error.message).toContain(`order ${ORDER_ID} cannot go from ${from} to ${to}`);
    expect(order.status).toBe(from);
    expect(order.snapshot()).toEqual(before.state);
    expect(order.peekEvents()).toEqual(before.events);
  });

  it('is restored from its state as it was stored', () => {
    const state = placed().snapshot();
    const restored = Order.restore({ ...state, status: 'CONFIRMED', version: 7 });
    expect(restored.status).toBe('CONFIRMED');
    expect(restored.version).toBe(7);
    expect(restored.total.toJSON()).toEqual({ amount: 6007, currency: 'USD' });
    expect(restored.peekEvents()).toEqual([]);
    expect(restored.isOwnedBy('customer-1')).toBe(true);
    expect(restored.isOwnedBy('customer-2')).toBe(false);
  });
});

describe('OrderItem', () => {
  it('computes its line total from the snapshot price', () => {
    const item = OrderItem.of({ productId: P1, productName: 'Lamp', unitPrice: { amount: 1234, currency: 'EUR' }, quantity: 4 });
    expect(item.lineTotal.toJSON()).toEqual({ amount: 4936, currency: 'EUR' });
  });

  it('refuses an invalid snapshot price, naming unitPrice', () => {
    const error = errorOf(() => OrderItem.of({ productId: P1, productName: 'Lamp', unitPrice: { amount: 12.5, currency: 'EUR' }, quantity: 1 }));
    expect((error as ValidationError).field).toBe('unitPrice.amount');
  });
});
