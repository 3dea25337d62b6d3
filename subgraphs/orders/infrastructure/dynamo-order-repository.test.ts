import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, ErrorCode, ValidationError } from '../../../lib/ddd';
import { confirmOrder } from '../application/change-order-status';
import { placeOrder } from '../application/place-order';
import type { ProductInfo } from '../application/product-catalog';
import { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import { ADMIN, barrier, customer, holdingReads, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';

/**
 * The Orders repository on DynamoDB Local: round trips, optimistic concurrency on `version`, idempotency keys
 * claimed in the order's transaction, and the customer index (newest first, status filter, cursors). The races
 * go through the use cases, exactly as requests run them.
 */

let t: OrdersTable;
let lamp: ProductInfo;
let mug: ProductInfo;

beforeAll(async () => {
  t = await openOrdersTable('order-repo');
  lamp = t.catalog.add({ name: 'Desk Lamp', unitPrice: { amount: 2599, currency: 'USD' }, availableQuantity: 500 });
  mug = t.catalog.add({ name: 'Mug', unitPrice: { amount: 899, currency: 'USD' }, availableQuantity: 500 });
});
afterAll(() => t?.drop());

/** A new PENDING order of `customerId`, placed one clock step after the previous one. */
function newOrder(customerId: string, quantity = 1): Order {
  return Order.place({
    id: randomUUID(),
    customerId,
    lines: [
      { productId: lamp.id, productName: lamp.name, unitPrice: lamp.unitPrice, quantity },
      { productId: mug.id, productName: mug.name, unitPrice: mug.unitPrice, quantity: 2 },
    ],
    now: t.clock.advance(),
  });
}

async function stored(customerId: string, quantity = 1): Promise<Order> {
  const order = newOrder(customerId, quantity);
  expect(await t.repository.create(order)).toEqual({ created: true });
  return order;
}

describe('DynamoOrderRepository: storing and reading', () => {
  it('stores an order and reads it back unchanged, with its order.created event in the same transaction', async () => {
    const order = newOrder('customer-roundtrip', 3);
    const state = order.snapshot();
    await t.repository.create(order);
    expect(order.peekEvents()).toEqual([]);
    const found = await t.repository.findById(order.id);
    expect(found?.snapshot()).toEqual(state);
    expect(found?.total.toJSON()).toEqual({ amount: 3 * 2599 + 2 * 899, currency: 'USD' });
    expect(found?.items.map((item) => item.lineTotal.toJSON())).toEqual([
      { amount: 7797, currency: 'USD' },
      { amount: 1798, currency: 'USD' },
    ]);
    expect(await t.outboxEventsOf(order.id)).toEqual([
      {
        type: 'order.created',
        data: {
          orderId: order.id,
          customerId: 'customer-roundtrip',
          items: [
            { productId: lamp.id, quantity: 3, unitPrice: { amount: 2599, currency: 'USD' } },
            { productId: mug.id, quantity: 2, unitPrice: { amount: 899, currency: 'USD' } },
          ],
          total: { amount: 9595, currency: 'USD' },
          version: 1,
        },
      },
    ]);
  });

  it('returns null for an unknown id, also for one too long to be a DynamoDB key', async () => {
    expect(await t.repository.findById(randomUUID())).toBeNull();
    expect(await t.repository.findById('x'.repeat(3000))).toBeNull();
    expect(await t.repository.findByIds(['x'.repeat(3000)])).toEqual([]);
  });

  it('reads many ids at once, skipping unknown ones and repeats', async () => {
    const orders = [await stored('customer-batch'), await stored('customer-batch'), await stored('customer-other-batch')];
    const unknown = Array.from({ length: 120 }, () => randomUUID());
    const found = await t.repository.findByIds([...unknown.slice(0, 70), orders[0]!.id, orders[0]!.id, ...unknown.slice(70), orders[1]!.id, orders[2]!.id, 'x'.repeat(3000)]);
    expect(found.map((order) => order.id).sort()).toEqual(orders.map((order) => order.id).sort());
  });

  it('saves a change with an incremented version and its event, and refuses a stale write', async () => {
    const order = await stored('customer-versions');
    const copyA = (await t.repository.findById(order.id))!;
    const copyB = (await t.repository.findById(order.id))!;
    copyA.confirm(t.clock.advance());
    expect(await t.repository.save(copyA)).toBe('saved');
    const saved = (await t.repository.findById(order.id))!;
    expect(saved.version).toBe(2);
    expect(saved.status).toBe('CONFIRMED');

    copyB.cancel('too late', t.clock.advance());
    const error = await rejectionOf(t.repository.save(copyB));
    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect(error.code).toBe(ErrorCode.CONFLICT);
    expect(error.message).toBe(`order ${order.id} was changed by someone else meanwhile; retry with its current state`);
    const after = (await t.repository.findById(order.id))!;
    expect(after.status).toBe('CONFIRMED');
    expect(after.version).toBe(2);
    expect((await t.outboxEventsOf(order.id)).map((event) => event.type)).toEqual(['order.created', 'order.confirmed']);
  });

  it('keeps the cancellation reason', async () => {
    const order = await stored('customer-reason');
    const loaded = (await t.repository.findById(order.id))!;
    loaded.cancel('found it cheaper', t.clock.advance());
    await t.repository.save(loaded);
    expect((await t.repository.findById(order.id))!.cancellationReason).toBe('found it cheaper');
  });

  it('writes nothing when nothing changed', async () => {
    const order = await stored('customer-unchanged');
    const loaded = (await t.repository.findById(order.id))!;
    expect(await t.repository.save(loaded)).toBe('saved');
    expect((await t.repository.findById(order.id))!.version).toBe(1);
  });

  it('commits a change caused by an event once: the redelivery is a duplicate that writes nothing', async () => {
    const order = await stored('customer-event');
    const cause = { consumer: 'orders', eventId: randomUUID() };
    const first = (await t.repository.findById(order.id))!;
    first.confirm(t.clock.advance());
    expect(await t.repository.save(first, cause)).toBe('saved');
    const again = (await t.repository.findById(order.id))!;
    again.complete(t.clock.advance());
    expect(await t.repository.save(again, cause)).toBe('duplicate');
    expect((await t.repository.findById(order.id))!.status).toBe('CONFIRMED');
  });
});

describe('DynamoOrderRepository: optimistic concurrency through confirmOrder', () => {
  it('lets exactly one of six concurrent confirmations of a PENDING order succeed', async () => {
    const order = await stored('customer-race');
    // All six read the PENDING order before any of them writes: a real race on version 1.
    const racing = { ...t.deps, orders: holdingReads(t.repository, barrier(6)) };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => confirmOrder(racing, ADMIN, order.id)));

    const succeeded = results.filter((result) => result.status === 'fulfilled');
    expect(succeeded).toHaveLength(1);
    const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error & { code?: string }] : []));
    expect(losers).toHaveLength(5);
    for (const loser of losers) {
      expect(['INVALID_ORDER_TRANSITION', 'CONFLICT']).toContain(loser.code);
      if (loser.code === 'INVALID_ORDER_TRANSITION') expect(loser.message).toContain('cannot go from CONFIRMED to CONFIRMED');
    }
    const after = (await t.repository.findById(order.id))!;
    expect(after.status).toBe('CONFIRMED');
    expect(after.version).toBe(2);
    expect((await t.outboxEventsOf(order.id)).map((event) => event.type)).toEqual(['order.created', 'order.confirmed']);
  });
});

describe('DynamoOrderRepository: idempotency keys through placeOrder', () => {
  it('gives eight identical concurrent calls with one key the same single order', async () => {
    const buyer = customer('customer-idem-race');
    const lampStockBefore = t.catalog.products.get(lamp.id)!.availableQuantity;
    // All eight pass the "key already used?" check before any of them writes.
    t.catalog.wait = barrier(8);
    let results: PromiseSettledResult<Order>[];
    try {
      results = await Promise.allSettled(
        Array.from({ length: 8 }, () => placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey: 'checkout-7f3a' })),
      );
    } finally {
      t.catalog.wait = undefined;
    }
    expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual(Array(8).fill('ok'));
    const orders = results.map((result) => (result as PromiseFulfilledResult<Order>).value);
    const ids = new Set(orders.map((order) => order.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(orders.every((order) => order.total.amount === 2 * 2599)).toBe(true);

    const listed = await t.repository.listByCustomer('customer-idem-race', { first: 100, after: undefined });
    expect(listed.edges.map((edge) => edge.node.id)).toEqual([id]);
    expect((await t.repository.findIdempotencyKey('customer-idem-race', 'checkout-7f3a'))?.orderId ?? null).toBe(id);
    expect((await t.outboxEventsOf(id!)).map((event) => event.type)).toEqual(['order.created']);
    // Every call asked Catalog to hold stock for the same order id: one hold, two units taken once.
    expect([...t.catalog.holds.keys()].filter((orderId) => orderId === id)).toHaveLength(1);
    expect(t.catalog.products.get(lamp.id)!.availableQuantity).toBe(lampStockBefore - 2);
  });

  it('returns the existing order for a repeated key without asking the catalog again', async () => {
    const buyer = customer('customer-idem-repeat');
    const first = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-1' });
    const lookups = t.catalog.lookups.length;
    const again = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    expect(t.catalog.lookups.length).toBe(lookups);
    const other = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-2' });
    expect(other.id).not.toBe(first.id);
    const unkeyed = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }] });
    expect(new Set([first.id, other.id, unkeyed.id]).size).toBe(3);
  });

  it('keeps keys apart per customer, even when ids and keys contain the separator', async () => {
    const a = await placeOrder(t.deps, customer('alice'), { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'x#k' });
    const b = await placeOrder(t.deps, customer('alice#x'), { items: [{ productId: lamp.id, quantity: 1 }], idempotencyKey: 'k' });
    const c = await placeOrder(t.deps, customer('bob'), { items: [{ productId: lamp.id, quantity: 1 }], idempotencyKey: 'x#k' });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(b.customerId).toBe('alice#x');
    expect(b.items.map((item) => item.productName)).toEqual(['Desk Lamp']);
    expect((await t.repository.findIdempotencyKey('alice', 'x#k'))?.orderId ?? null).toBe(a.id);
    expect((await t.repository.findIdempotencyKey('alice#x', 'k'))?.orderId ?? null).toBe(b.id);
  });

  it('writes neither the order nor the key when the order is refused', async () => {
    const buyer = customer('customer-idem-refused');
    const error = await rejectionOf(placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 501 }], idempotencyKey: 'k-refused' }));
    expect(error.code).toBe('PRODUCT_UNAVAILABLE');
    expect((await t.repository.findIdempotencyKey('customer-idem-refused', 'k-refused'))?.orderId ?? null).toBeNull();
    const placed = await placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 5 }], idempotencyKey: 'k-refused' });
    expect(placed.items[0]!.quantity).toBe(5);
  });

  it('binds a key to its request: the same cart in another shape is the same order, another cart is a CONFLICT naming the key', async () => {
    const buyer = customer('customer-idem-fingerprint');
    const first = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 2 }, { productId: lamp.id, quantity: 1 }], idempotencyKey: 'cart-42' });
    // Same products and quantities, lines reordered and split: the same request.
    const reshaped = await placeOrder(t.deps, buyer, {
      items: [{ productId: lamp.id, quantity: 1 }, { productId: mug.id, quantity: 1 }, { productId: mug.id, quantity: 1 }],
      idempotencyKey: 'cart-42',
    });
    expect(reshaped.id).toBe(first.id);

    for (const items of [[{ productId: mug.id, quantity: 3 }, { productId: lamp.id, quantity: 1 }], [{ productId: mug.id, quantity: 2 }]]) {
      const error = await rejectionOf(placeOrder(t.deps, buyer, { items, idempotencyKey: 'cart-42' }));
      expect(error.code).toBe(ErrorCode.CONFLICT);
      expect(error.message).toBe('idempotency key "cart-42" was already used for a different order (other products, quantities, shipping address or email); use a new key for a new order');
    }
    // Another customer's cart-42 is theirs.
    const other = await placeOrder(t.deps, customer('customer-idem-fingerprint-2'), { items: [{ productId: mug.id, quantity: 3 }], idempotencyKey: 'cart-42' });
    expect(other.id).not.toBe(first.id);
    expect((await t.repository.listByCustomer(buyer!.sub, { first: 10, after: undefined })).edges.map((edge) => edge.node.id)).toEqual([first.id]);
  });

  it('binds a key to the address and email as checked, and still honours a key claimed before they were part of it', async () => {
    const buyer = customer('customer-idem-contact');
    const address = { name: 'Jane Doe', line1: '1 High St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' };
    const first = await placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], shippingAddress: address, email: 'jane@example.com', idempotencyKey: 'k-contact' });
    const retyped = await placeOrder(t.deps, buyer, {
      items: [{ productId: mug.id, quantity: 1 }],
      shippingAddress: { ...address, postalCode: 'sw1a  2aa', country: 'gb' },
      email: 'jane@EXAMPLE.com',
      idempotencyKey: 'k-contact',
    });
    expect(retyped.id).toBe(first.id);
    const moved = await rejectionOf(placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], shippingAddress: { ...address, line1: '2 High St' }, email: 'jane@example.com', idempotencyKey: 'k-contact' }));
    expect(moved.code).toBe(ErrorCode.CONFLICT);

    // A key row written before the contact was fingerprinted holds the digest of the lines alone.
    const legacy = createHash('sha256').update(JSON.stringify(['placeOrder/v1', buyer!.sub, [[lamp.id, 2]]])).digest('base64url');
    const old = await placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey: 'k-legacy' });
    await t.dynamo.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `IDEMPOTENCY#${buyer!.sub}#k-legacy`, sk: 'IDEMPOTENCY' }, UpdateExpression: 'SET fingerprint = :f', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':f': legacy } }),
    );
    expect((await placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 2 }], shippingAddress: address, email: 'jane@example.com', idempotencyKey: 'k-legacy' })).id).toBe(old.id);
    expect((await rejectionOf(placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 3 }], idempotencyKey: 'k-legacy' }))).code).toBe(ErrorCode.CONFLICT);
  });

  it('loads a stored address as it was stored, even one today’s postal code rules would refuse (checked at input only)', async () => {
    const address = { name: 'Max Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' };
    const order = await placeOrder(t.deps, customer('customer-old-address'), { items: [{ productId: mug.id, quantity: 1 }], shippingAddress: address, email: 'max@example.com' });
    // As if written when the postal code library accepted a format it refuses now (a German code has five digits).
    await t.dynamo.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { pk: `ORDER#${order.id}`, sk: 'ORDER' },
        UpdateExpression: 'SET shippingAddress.postalCode = :code',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':code': '1011' },
      }),
    );
    const loaded = await t.repository.findById(order.id);
    expect(loaded?.shippingAddress?.toJSON()).toEqual({ ...address, postalCode: '1011' });
    // And it stays usable: a status change saves it back unchanged.
    await confirmOrder(t.deps, ADMIN, order.id);
    expect((await t.repository.findById(order.id))?.shippingAddress?.postalCode).toBe('1011');
  });

  it('expires a key after IDEMPOTENCY_KEY_TTL_SECONDS (a TTL attribute), and treats an expired row DynamoDB has not deleted yet as absent', async () => {
    const buyer = customer('customer-idem-ttl');
    const deps = { ...t.deps, idempotencyKeyTtlSeconds: 60 };
    const first = await placeOrder(deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-ttl' });
    const record = await t.repository.findIdempotencyKey('customer-idem-ttl', 'k-ttl');
    expect(record?.orderId).toBe(first.id);
    expect(record!.expiresAt!.getTime()).toBe(Math.floor((first.placedAt.getTime() + 60_000) / 1000) * 1000);

    t.clock.advance(59_000);
    expect((await placeOrder(deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-ttl' })).id).toBe(first.id);

    t.clock.advance(2000);
    // Expired but still stored (TTL deletes up to 48 h late): a new request with the key is a new order, even with other items.
    expect((await t.repository.findIdempotencyKey('customer-idem-ttl', 'k-ttl'))?.orderId).toBe(first.id);
    const second = await placeOrder(deps, buyer, { items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey: 'k-ttl' });
    expect(second.id).not.toBe(first.id);
    expect((await t.repository.findIdempotencyKey('customer-idem-ttl', 'k-ttl'))?.orderId).toBe(second.id);
    expect((await placeOrder(deps, buyer, { items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey: 'k-ttl' })).id).toBe(second.id);
    expect((await t.repository.listByCustomer(buyer!.sub, { first: 10, after: undefined })).edges).toHaveLength(2);
  });

  it('places a new order, with its own hold, when an expired key is reused for the very same cart', async () => {
    const buyer = customer('customer-idem-ttl-same');
    const deps = { ...t.deps, idempotencyKeyTtlSeconds: 60 };
    const cart = { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-same' };
    const first = await placeOrder(deps, buyer, cart);
    t.clock.advance(61_000);
    const second = await placeOrder(deps, buyer, cart);
    expect(second.id).not.toBe(first.id);
    expect(t.catalog.holds.get(second.id)?.open).toBe(true);
    expect(t.catalog.holds.get(first.id)?.open).toBe(true);
    expect((await placeOrder(deps, buyer, cart)).id).toBe(second.id);
    expect((await t.repository.listByCustomer(buyer!.sub, { first: 10, after: undefined })).edges.map((edge) => edge.node.id)).toEqual([second.id, first.id]);
  });

  it('gives back the stock of a cart that lost its key to another cart placed at the same moment', async () => {
    const buyer = customer('customer-idem-race-carts');
    const held = t.catalog.holds.size;
    // Both requests have found the key unused before either holds stock.
    t.catalog.wait = barrier(2);
    const results = await Promise.allSettled([
      placeOrder(t.deps, buyer, { items: [{ productId: mug.id, quantity: 1 }], idempotencyKey: 'k-race' }),
      placeOrder(t.deps, buyer, { items: [{ productId: lamp.id, quantity: 1 }], idempotencyKey: 'k-race' }),
    ]).finally(() => (t.catalog.wait = undefined));
    const placed = results.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<Order>).value);
    const refused = results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason as { code?: string });
    expect(placed).toHaveLength(1);
    expect(refused.map((error) => error.code)).toEqual([ErrorCode.CONFLICT]);
    const holds = [...t.catalog.holds.entries()].slice(held);
    expect(holds).toHaveLength(2);
    expect(holds.map(([orderId, hold]) => [orderId === placed[0]!.id, hold.open]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);
  });
});

describe('DynamoOrderRepository.listByCustomer', () => {
  const who = 'customer-list';
  /** Oldest first, as placed. */
  const placed: Order[] = [];
  const statusOf = new Map<string, OrderStatus>();

  beforeAll(async () => {
    for (let n = 0; n < 8; n += 1) {
      placed.push(await stored(who));
      // Another customer's order in between: the index must keep customers apart.
      await stored('customer-list-neighbour');
    }
    // Two orders placed at the same instant: the id breaks the tie, and paging still sees each once.
    const tieA = newOrder(who);
    const tieB = Order.restore({ ...newOrder(who).snapshot(), placedAt: tieA.placedAt, updatedAt: tieA.placedAt });
    for (const order of [tieA, tieB]) {
      await t.repository.create(order);
      placed.push(order);
    }
    for (const order of placed) statusOf.set(order.id, 'PENDING');
    const change = async (index: number, apply: (order: Order) => void, status: OrderStatus) => {
      const loaded = (await t.repository.findById(placed[index]!.id))!;
      apply(loaded);
      await t.repository.save(loaded);
      statusOf.set(loaded.id, status);
    };
    await change(1, (order) => order.confirm(t.clock.advance()), 'CONFIRMED');
    await change(2, (order) => order.confirm(t.clock.advance()), 'CONFIRMED');
    await change(4, (order) => order.cancel(null, t.clock.advance()), 'CANCELLED');
    await change(6, (order) => order.confirm(t.clock.advance()), 'CONFIRMED');
  });

  /** The expected list: newest placedAt first, ties by id descending. */
  const newestFirst = (orders: readonly Order[]) =>
    [...orders].sort((x, y) => y.placedAt.getTime() - x.placedAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((order) => order.id);

  async function pageThrough(status: OrderStatus | undefined, first: number): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages += 1) {
      const page = await t.repository.listByCustomer(who, { status, first, after });
      sizes.push(page.edges.length);
      ids.push(...page.edges.map((edge) => edge.node.id));
      if (!page.hasNextPage) return { ids, sizes };
      after = page.edges.at(-1)!.cursor;
    }
    throw new Error('listing never ended');
  }

  it("lists only the customer's orders, newest first, in one page", async () => {
    const page = await t.repository.listByCustomer(who, { first: 100, after: undefined });
    expect(page.hasNextPage).toBe(false);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(newestFirst(placed));
    expect(page.edges.map((edge) => edge.node.status)).toEqual(newestFirst(placed).map((id) => statusOf.get(id)));
  });

  it('pages through with cursors without duplicates or gaps', async () => {
    const { ids, sizes } = await pageThrough(undefined, 3);
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(ids).toEqual(newestFirst(placed));
  });

  it('reports no next page when the last page is exactly full', async () => {
    const { sizes } = await pageThrough(undefined, 5);
    expect(sizes).toEqual([5, 5]);
    const one = await t.repository.listByCustomer(who, { first: 10, after: undefined });
    expect(one.hasNextPage).toBe(false);
  });

  it.each([
    ['PENDING', 2],
    ['CONFIRMED', 2],
    ['CANCELLED', 1],
    ['COMPLETED', 1],
  ] as const)('filters by status %s, newest first, across pages of %i', async (status, first) => {
    const expected = newestFirst(placed.filter((order) => statusOf.get(order.id) === status));
    const { ids } = await pageThrough(status, first);
    expect(ids).toEqual(expected);
    expect(ids.length).toBe({ PENDING: 6, CONFIRMED: 3, CANCELLED: 1, COMPLETED: 0 }[status]);
  });

  it('moves an order between status lists when its status changes', async () => {
    const order = await stored('customer-moves');
    expect((await t.repository.listByCustomer('customer-moves', { status: 'PENDING', first: 10, after: undefined })).edges.map((edge) => edge.node.id)).toEqual([order.id]);
    const loaded = (await t.repository.findById(order.id))!;
    loaded.confirm(t.clock.advance());
    await t.repository.save(loaded);
    expect((await t.repository.listByCustomer('customer-moves', { status: 'PENDING', first: 10, after: undefined })).edges).toEqual([]);
    expect((await t.repository.listByCustomer('customer-moves', { status: 'CONFIRMED', first: 10, after: undefined })).edges.map((edge) => edge.node.id)).toEqual([order.id]);
  });

  it("refuses another customer's cursor, another list's cursor and made-up ones with BAD_USER_INPUT", async () => {
    const neighbours = await t.repository.listByCustomer('customer-list-neighbour', { first: 1, after: undefined });
    const pending = await t.repository.listByCustomer(who, { status: 'PENDING', first: 1, after: undefined });
    const all = await t.repository.listByCustomer(who, { first: 1, after: undefined });
    for (const [status, after] of [
      [undefined, neighbours.edges[0]!.cursor],
      [undefined, pending.edges[0]!.cursor],
      ['CONFIRMED', pending.edges[0]!.cursor],
      ['PENDING', all.edges[0]!.cursor],
      [undefined, 'not-a-cursor'],
      [undefined, Buffer.from('{"pk":"ORDER#x"}').toString('base64url')],
    ] as const) {
      const error = await rejectionOf(t.repository.listByCustomer(who, { status, first: 5, after }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('after');
    }
  });
});
