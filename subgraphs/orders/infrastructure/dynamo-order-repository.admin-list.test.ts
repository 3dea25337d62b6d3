import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ErrorCode, ValidationError } from '../../../lib/ddd';
import { shardKeys, shardOf } from '../../../lib/dynamodb';
import { listAllOrders } from '../application/read-orders';
import { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import { ADMIN, customer, openOrdersTable, rejectionOf, type OrdersTable } from '../test-support/orders-fixtures';
import { ORDER_LIST_SHARDS, allOrdersList } from './orders-table';

/**
 * The admin order list on DynamoDB Local: every customer's orders newest first, by status, across write-sharded
 * index partitions merged on read. Its own table, so the list holds exactly the orders placed here.
 */

let t: OrdersTable;
/** Oldest first, as placed. */
const placed: Order[] = [];
const statusOf = new Map<string, OrderStatus>();
const ORDERS = 40;

beforeAll(async () => {
  t = await openOrdersTable('order-admin-list');
  for (let n = 0; n < ORDERS; n += 1) {
    const order = Order.place({
      id: `order-${String(n).padStart(3, '0')}`,
      customerId: `customer-${n % 7}`,
      lines: [{ productId: 'p-1', productName: 'Lamp', unitPrice: { amount: 1000, currency: 'USD' }, quantity: 1 }],
      // Every fifth order shares its instant with the previous one: the id breaks the tie.
      now: n % 5 === 4 ? placed.at(-1)!.placedAt : t.clock.advance(),
    });
    await t.repository.create(order);
    placed.push(order);
    statusOf.set(order.id, 'PENDING');
  }
  for (const [index, change] of [
    [3, 'CONFIRMED'],
    [8, 'CONFIRMED'],
    [21, 'CANCELLED'],
    [30, 'CONFIRMED'],
    [31, 'COMPLETED'],
  ] as const) {
    const order = (await t.repository.findById(placed[index]!.id))!;
    if (change === 'CANCELLED') order.cancel(null, t.clock.advance());
    else order.confirm(t.clock.advance());
    if (change === 'COMPLETED') order.complete(t.clock.advance());
    await t.repository.save(order);
    statusOf.set(order.id, change);
  }
});
afterAll(() => t?.drop());

const newestFirst = (orders: readonly Order[]) =>
  [...orders].sort((x, y) => y.placedAt.getTime() - x.placedAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((order) => order.id);

async function pageThrough(status: OrderStatus | undefined, first: number): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await t.repository.list({ status, first, after });
    sizes.push(page.edges.length);
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.hasNextPage) return { ids, sizes };
    after = page.edges.at(-1)!.cursor;
  }
  throw new Error('listing never ended');
}

describe('DynamoOrderRepository.list (admin list)', () => {
  it("lists every customer's orders newest first in one page", async () => {
    const page = await t.repository.list({ first: 100, after: undefined });
    expect(page.hasNextPage).toBe(false);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(newestFirst(placed));
    expect(page.edges).toHaveLength(ORDERS);
  });

  it('pages through the merged shards without duplicates or gaps', async () => {
    const { ids, sizes } = await pageThrough(undefined, 7);
    expect(sizes).toEqual([7, 7, 7, 7, 7, 5]);
    expect(ids).toEqual(newestFirst(placed));
    expect((await pageThrough(undefined, 8)).sizes).toEqual([8, 8, 8, 8, 8]);
  });

  it.each([
    ['PENDING', 35, 4],
    ['CONFIRMED', 3, 2],
    ['CANCELLED', 1, 1],
    ['COMPLETED', 1, 1],
  ] as const)('filters by status %s (%i orders), newest first, in pages of %i', async (status, count, first) => {
    const { ids } = await pageThrough(status, first);
    expect(ids).toHaveLength(count);
    expect(ids).toEqual(newestFirst(placed.filter((order) => statusOf.get(order.id) === status)));
  });

  it('spreads the orders over every shard of the index, by a stable hash of the id', async () => {
    const shards = new Map<string, number>();
    for (const order of placed) {
      const { Item } = await t.dynamo.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `ORDER#${order.id}`, sk: 'ORDER' } }));
      const key = String(Item?.['listShardKey']);
      expect(key).toBe(`ORDERS#${shardOf(order.id, ORDER_LIST_SHARDS)}`);
      expect(String(Item?.['statusShardKey'])).toBe(`ORDERS#${statusOf.get(order.id)}#${shardOf(order.id, ORDER_LIST_SHARDS)}`);
      shards.set(key, (shards.get(key) ?? 0) + 1);
    }
    expect([...shards.keys()].sort()).toEqual(shardKeys(allOrdersList).sort());
    // 40 ids over 8 shards: no shard takes more than a third of the writes.
    expect(Math.max(...shards.values())).toBeLessThanOrEqual(Math.ceil(ORDERS / 3));
  });

  it("refuses a cursor of another list (a status list, a customer's list) or a made-up one with BAD_USER_INPUT", async () => {
    const pending = await t.repository.list({ status: 'PENDING', first: 1, after: undefined });
    const all = await t.repository.list({ first: 1, after: undefined });
    const customers = await t.repository.listByCustomer('customer-1', { first: 1, after: undefined });
    for (const [status, after] of [
      [undefined, pending.edges[0]!.cursor],
      ['CONFIRMED', pending.edges[0]!.cursor],
      ['PENDING', all.edges[0]!.cursor],
      [undefined, customers.edges[0]!.cursor],
      [undefined, 'not-a-cursor'],
      [undefined, Buffer.from('{"list":"ORDERS","placedKey":""}').toString('base64url')],
    ] as const) {
      const error = await rejectionOf(t.repository.list({ status, first: 5, after }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('after');
    }
  });
});

describe('listAllOrders (use case)', () => {
  it('is for admins only: customers get FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
    expect((await rejectionOf(listAllOrders(t.deps, customer('customer-1'), {}))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejectionOf(listAllOrders(t.deps, null, {}))).code).toBe(ErrorCode.UNAUTHENTICATED);
    const page = await listAllOrders(t.deps, ADMIN, { first: 2, status: 'CONFIRMED' });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(newestFirst(placed.filter((order) => statusOf.get(order.id) === 'CONFIRMED')).slice(0, 2));
    expect(page.hasNextPage).toBe(true);
  });

  it.each([0, 101, -1])('refuses first: %i with BAD_USER_INPUT', async (first) => {
    expect((await rejectionOf(listAllOrders(t.deps, ADMIN, { first }))).code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
