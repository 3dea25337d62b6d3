import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CatalogUnavailableError, ErrorCode } from '../../../lib/ddd';
import { customer, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';
import { placeOrder } from './place-order';
import type { ProductInfo } from './product-catalog';
import type { StockHolds } from './stock-holds';

/**
 * placeOrder against the real repository (DynamoDB Local) and an in-memory catalog port: the snapshot it takes,
 * the errors it maps, and that bad input is refused before anything is looked up or written.
 */

let t: OrdersTable;
let lamp: ProductInfo;
let mug: ProductInfo;
let euroBook: ProductInfo;
const buyer = customer('customer-place');

beforeAll(async () => {
  t = await openOrdersTable('place-order');
  lamp = t.catalog.add({ name: 'Desk Lamp', unitPrice: { amount: 2599, currency: 'USD' }, availableQuantity: 10 });
  mug = t.catalog.add({ name: 'Mug', unitPrice: { amount: 899, currency: 'USD' }, availableQuantity: 3 });
  euroBook = t.catalog.add({ name: 'Buch', unitPrice: { amount: 1500, currency: 'EUR' }, availableQuantity: 5 });
});
afterAll(() => t?.drop());

async function ordersOf(customerId: string): Promise<number> {
  return (await t.repository.listByCustomer(customerId, { first: 100, after: undefined })).edges.length;
}

describe('placeOrder', () => {
  it("snapshots each product's name and unit price, merges repeated products and stores the order", async () => {
    const order = await placeOrder(t.deps, buyer, {
      items: [
        { productId: lamp.id, quantity: 2 },
        { productId: mug.id, quantity: 1 },
        { productId: lamp.id, quantity: 3 },
      ],
    });
    expect(order.customerId).toBe('customer-place');
    expect(order.status).toBe('PENDING');
    expect(order.items.map((item) => ({ id: item.productId, name: item.productName, price: item.unitPrice.toJSON(), quantity: item.quantity }))).toEqual([
      { id: lamp.id, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, quantity: 5 },
      { id: mug.id, name: 'Mug', price: { amount: 899, currency: 'USD' }, quantity: 1 },
    ]);
    expect(order.total.toJSON()).toEqual({ amount: 5 * 2599 + 899, currency: 'USD' });
    expect(t.catalog.lookups.at(-1)).toEqual([lamp.id, mug.id]);

    // Later catalog changes do not touch a placed order.
    t.catalog.products.set(lamp.id, { ...lamp, name: 'Desk Lamp v2', unitPrice: { amount: 9999, currency: 'USD' } });
    try {
      const stored = (await t.repository.findById(order.id))!;
      expect(stored.items[0]!.productName).toBe('Desk Lamp');
      expect(stored.items[0]!.unitPrice.toJSON()).toEqual({ amount: 2599, currency: 'USD' });
    } finally {
      t.catalog.products.set(lamp.id, lamp);
    }
  });

  it('refuses an unknown product with NOT_FOUND naming the id and its position in the request', async () => {
    const unknown = randomUUID();
    const error = await rejectionOf(
      placeOrder(t.deps, buyer, {
        items: [
          { productId: lamp.id, quantity: 1 },
          { productId: mug.id, quantity: 1 },
          { productId: lamp.id, quantity: 1 },
          { productId: unknown, quantity: 1 },
        ],
      }),
    );
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.message).toBe(`no product with id "${unknown}"`);
    expect(error.details).toEqual({ field: 'items[3].productId', value: unknown });
  });

  it('refuses an unknown product from the catalog read model, without asking Catalog to hold anything', async () => {
    const holds = t.catalog.holds.size;
    const unknown = randomUUID();
    let holdsAsked = 0;
    const counting: StockHolds = { hold: (request) => ((holdsAsked += 1), t.catalog.hold(request)), release: (id) => t.catalog.release(id) };
    const error = await rejectionOf(placeOrder({ ...t.deps, stock: counting }, buyer, { items: [{ productId: unknown, quantity: 1 }] }));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(holdsAsked).toBe(0);
    expect(t.catalog.holds.size).toBe(holds);
  });

  it('lets the hold decide when the read model cannot answer (Catalog down, nothing cached)', async () => {
    const unreadable = {
      getProducts: async () => {
        throw new CatalogUnavailableError('The product catalog is unavailable: try again shortly.');
      },
    };
    const order = await placeOrder({ ...t.deps, catalog: unreadable }, customer('customer-read-model-down'), { items: [{ productId: lamp.id, quantity: 1 }] });
    expect(order.items.map((item) => [item.productName, item.quantity])).toEqual([['Desk Lamp', 1]]);
    expect(t.catalog.holds.get(order.id)?.open).toBe(true);
  });

  it('refuses more units than Catalog has in stock with PRODUCT_UNAVAILABLE, counting merged lines together', async () => {
    t.catalog.products.set(mug.id, { ...mug, availableQuantity: 3 });
    const before = await ordersOf('customer-place');
    const error = await rejectionOf(
      placeOrder(t.deps, buyer, {
        items: [
          { productId: mug.id, quantity: 2 },
          { productId: mug.id, quantity: 2 },
        ],
      }),
    );
    expect(error.code).toBe(ErrorCode.PRODUCT_UNAVAILABLE);
    expect(error.message).toBe(`only 3 of "Mug" (${mug.id}) in stock, 4 requested`);
    expect(error.details).toEqual({ productId: mug.id, requested: 4, available: 3 });
    expect(await ordersOf('customer-place')).toBe(before);
    // Nothing was held for the refused order; exactly the stock is fine, and takes it.
    expect(t.catalog.products.get(mug.id)!.availableQuantity).toBe(3);
    const order = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 3 }] });
    expect(order.items[0]!.quantity).toBe(3);
    expect(t.catalog.products.get(mug.id)!.availableQuantity).toBe(0);
    t.catalog.products.set(mug.id, mug);
  });

  it('refuses products priced in different currencies with BAD_USER_INPUT', async () => {
    const error = await rejectionOf(
      placeOrder(t.deps, buyer, {
        items: [
          { productId: lamp.id, quantity: 1 },
          { productId: euroBook.id, quantity: 1 },
        ],
      }),
    );
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('an order never mixes currencies; these products are priced in EUR and USD');
  });

  it.each([
    ['no lines', { items: [] }, 'an order has 1-50 lines, got 0'],
    ['a quantity of 0', { items: [{ productId: randomUUID(), quantity: 0 }] }, 'items[0].quantity must be at least 1, got 0'],
    ['a quantity of 1001', { items: [{ productId: randomUUID(), quantity: 1001 }] }, 'items[0].quantity must be at most 1000, got 1001'],
    ['51 lines', { items: Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })) }, 'an order has 1-50 lines, got 51'],
    ['an empty idempotency key', { items: [{ productId: randomUUID(), quantity: 1 }], idempotencyKey: '' }, 'idempotencyKey must be 1-128 visible ASCII characters, got ""'],
    ['an idempotency key with a space', { items: [{ productId: randomUUID(), quantity: 1 }], idempotencyKey: 'a b' }, 'idempotencyKey must be 1-128 visible ASCII characters, got "a b"'],
    ['an idempotency key of 129 characters', { items: [{ productId: randomUUID(), quantity: 1 }], idempotencyKey: 'k'.repeat(129) }, /^idempotencyKey must be 1-128 visible ASCII characters, got "kkkk/],
  ])('refuses %s with BAD_USER_INPUT before looking anything up', async (_label, input, message) => {
    const lookups = t.catalog.lookups.length;
    const error = await rejectionOf(placeOrder(t.deps, buyer, input));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(t.catalog.lookups.length).toBe(lookups);
  });

  it('accepts a 128-character idempotency key of visible ASCII', async () => {
    const key = `!~${'k'.repeat(124)}#%`;
    const order = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: key });
    expect((await t.repository.findIdempotencyKey('customer-place', key))?.orderId ?? null).toBe(order.id);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED before anything else', async () => {
    const lookups = t.catalog.lookups.length;
    const error = await rejectionOf(placeOrder(t.deps, null, { items: [{ productId: lamp.id, quantity: 1 }] }));
    expect(error.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(t.catalog.lookups.length).toBe(lookups);
  });

  it('passes CATALOG_UNAVAILABLE through and stores nothing', async () => {
    const down: StockHolds = {
      hold: async (request) => {
        throw new CatalogUnavailableError('The product catalog is unavailable: stock could not be held for this order. Try again shortly.', { orderId: request.orderId });
      },
      release: async () => undefined,
    };
    const who = customer('customer-catalog-down');
    const error = await rejectionOf(placeOrder({ ...t.deps, stock: down }, who, { items: [{ productId: lamp.id, quantity: 1 }], idempotencyKey: 'k-down' }));
    expect(error.code).toBe(ErrorCode.CATALOG_UNAVAILABLE);
    expect(await ordersOf('customer-catalog-down')).toBe(0);
    expect((await t.repository.findIdempotencyKey('customer-catalog-down', 'k-down'))?.orderId ?? null).toBeNull();
  });
});
