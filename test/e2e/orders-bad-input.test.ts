import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cursor } from '../../lib/dynamodb';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import { errorCodes, graphql, type GraphQLResponse } from '../support/graphql';
import {
  CANCEL_ORDER,
  COMPLETE_ORDER,
  CONFIRM_ORDER,
  MY_ORDERS,
  READ_ORDER,
  createProducts,
  expectNoInternals,
  onlyError,
  placeOrderAs,
  placedOrder,
  type MyOrdersPage,
  type OrderView,
} from '../support/orders';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Every bad input to Orders through the real gateway answers with its docs/architecture.md §2 code and a message naming the
 * field and the value, writes nothing, and shows nothing of the implementation.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000aa';

let system: RunningSystem;
let admin: string;
let carol: string;
let lamp: ProductView;
let mug: ProductView;
let euroBook: ProductView;
let soldOut: ProductView;

beforeAll(async () => {
  system = await startTestSystem('orders-bad-input');
  admin = await tokenFor('admin-1', { admin: true });
  carol = await tokenFor('customer-carol');
  [lamp, mug, euroBook, soldOut] = await createProducts(system, admin, [
    { n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 5 },
    { n: 2, name: 'Mug', price: { amount: 899, currency: 'USD' }, stockQuantity: 1000 },
    { n: 3, name: 'Buch', price: { amount: 1500, currency: 'EUR' }, stockQuantity: 10 },
    { n: 4, name: 'Sold Out Chair', price: { amount: 9900, currency: 'USD' }, stockQuantity: 0 },
  ]);
});
afterAll(() => system?.stop());

/** The refused order left no trace: the caller still has no orders (only the last describe places any). */
async function expectNoOrders(token: string): Promise<void> {
  const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token });
  expect(response.errors).toBeUndefined();
  expect(response.data!.me!.orders.edges).toEqual([]);
}

function refused(response: GraphQLResponse<unknown>, code: string, message: string | RegExp, details?: unknown): void {
  expect(response.data ?? null).toBeNull();
  const error = onlyError(response);
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  if (details !== undefined) expect(error.details).toEqual(details);
  expectNoInternals(response);
}

describe('placeOrder', () => {
  const cases: [string, () => { items: { productId: string; quantity: number }[]; message: string; details: unknown }][] = [
    ['no lines', () => ({ items: [], message: 'an order has 1-50 lines, got 0', details: { field: 'items', value: 0 } })],
    [
      '51 lines',
      () => ({ items: Array.from({ length: 51 }, () => ({ productId: mug.id, quantity: 1 })), message: 'an order has 1-50 lines, got 51', details: { field: 'items', value: 51 } }),
    ],
    ['a quantity of 0', () => ({ items: [{ productId: mug.id, quantity: 0 }], message: 'items[0].quantity must be at least 1, got 0', details: { field: 'items[0].quantity', value: 0 } })],
    [
      'a negative quantity',
      () => ({
        items: [{ productId: lamp.id, quantity: 1 }, { productId: mug.id, quantity: -2 }],
        message: 'items[1].quantity must be at least 1, got -2',
        details: { field: 'items[1].quantity', value: -2 },
      }),
    ],
    ['a quantity of 1001', () => ({ items: [{ productId: mug.id, quantity: 1001 }], message: 'items[0].quantity must be at most 1000, got 1001', details: { field: 'items[0].quantity', value: 1001 } })],
    [
      'one product 1001 times over two lines',
      () => ({
        items: [{ productId: mug.id, quantity: 1000 }, { productId: mug.id, quantity: 1 }],
        message: `product ${mug.id} is ordered 1001 times in total; at most 1000 per line`,
        details: { field: 'items', productId: mug.id, value: 1001 },
      }),
    ],
    ['an empty product id', () => ({ items: [{ productId: '', quantity: 1 }], message: 'items[0].productId must be 1-100 characters, got 0 ("")', details: { field: 'items[0].productId', value: '' } })],
    [
      'products in two currencies',
      () => ({
        items: [{ productId: lamp.id, quantity: 1 }, { productId: euroBook.id, quantity: 1 }],
        message: 'an order never mixes currencies; these products are priced in EUR and USD',
        details: { field: 'items', currencies: ['EUR', 'USD'] },
      }),
    ],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT and writes nothing', async (_label, make) => {
    const { items, message, details } = make();
    refused(await placeOrderAs(system, carol, items), 'BAD_USER_INPUT', message, details);
    await expectNoOrders(carol);
  });

  it('refuses a product id too long to be one with BAD_USER_INPUT', async () => {
    const productId = 'x'.repeat(3000);
    refused(await placeOrderAs(system, carol, [{ productId, quantity: 1 }]), 'BAD_USER_INPUT', /^items\[0\]\.productId must be 1-100 characters, got 3000 \("x{60,}/);
  });

  it.each([
    ['beyond GraphQL Int', 2 ** 31, /2147483648/],
    ['a fraction', 1.5, /1\.5/],
    ['a string', '3', /"3"/],
  ])('refuses a quantity %s with BAD_USER_INPUT naming the value', async (_label, quantity, mention) => {
    const response = await graphql(system.urls.gateway, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { items: [{ productId: mug.id, quantity }] },
    }, { token: carol });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toMatch(mention);
    expectNoInternals(response);
    await expectNoOrders(carol);
  });

  it.each([
    ['an unknown product', UNKNOWN_ID],
    ['an id Catalog would never issue', 'no-such-product'],
  ])('refuses %s with NOT_FOUND naming the id and its position', async (_label, productId) => {
    refused(
      await placeOrderAs(system, carol, [
        { productId: lamp.id, quantity: 1 },
        { productId, quantity: 1 },
      ]),
      'NOT_FOUND',
      `no product with id "${productId}"`,
      { field: 'items[1].productId', value: productId },
    );
    await expectNoOrders(carol);
  });

  it('refuses more units than in stock with PRODUCT_UNAVAILABLE, counting repeated lines together', async () => {
    refused(await placeOrderAs(system, carol, [{ productId: lamp.id, quantity: 6 }]), 'PRODUCT_UNAVAILABLE', `only 5 of "Desk Lamp" (${lamp.id}) in stock, 6 requested`, {
      productId: lamp.id,
      requested: 6,
      available: 5,
    });
    refused(
      await placeOrderAs(system, carol, [
        { productId: lamp.id, quantity: 3 },
        { productId: mug.id, quantity: 1 },
        { productId: lamp.id, quantity: 3 },
      ]),
      'PRODUCT_UNAVAILABLE',
      `only 5 of "Desk Lamp" (${lamp.id}) in stock, 6 requested`,
    );
    refused(await placeOrderAs(system, carol, [{ productId: soldOut.id, quantity: 1 }]), 'PRODUCT_UNAVAILABLE', `only 0 of "Sold Out Chair" (${soldOut.id}) in stock, 1 requested`);
    await expectNoOrders(carol);
  });

  it.each([
    ['empty', '', 'idempotencyKey must be 1-128 visible ASCII characters, got ""'],
    ['with a space', 'my key', 'idempotencyKey must be 1-128 visible ASCII characters, got "my key"'],
    ['non-ASCII', 'clé', 'idempotencyKey must be 1-128 visible ASCII characters, got "clé"'],
    ['129 characters long', 'k'.repeat(129), /^idempotencyKey must be 1-128 visible ASCII characters, got "k+\.\.\.$/],
  ])('refuses an idempotency key %s with BAD_USER_INPUT', async (_label, key, message) => {
    refused(await placeOrderAs(system, carol, [{ productId: mug.id, quantity: 1 }], key), 'BAD_USER_INPUT', message);
    await expectNoOrders(carol);
  });

  it('refuses an unknown field or a missing product id as a document that does not validate, GRAPHQL_VALIDATION_FAILED', async () => {
    const missing = await graphql(system.urls.gateway, `mutation { placeOrder(input: { items: [{ quantity: 1 }] }) { id } }`, {}, { token: carol });
    expect(errorCodes(missing)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(missing.errors![0]!.message).toContain('productId');
    const unknownField = await graphql(system.urls.gateway, `mutation { placeOrder(input: { items: [{ productId: "${mug.id}", quantity: 1, colour: "red" }] }) { id } }`, {}, { token: carol });
    expect(errorCodes(unknownField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknownField.errors![0]!.message).toContain('colour');
    await expectNoOrders(carol);
  });
});

describe('order(id) and the status mutations', () => {
  it('answer an unknown order with null for a read and NOT_FOUND for a change', async () => {
    const read = await graphql<{ order: OrderView | null }>(system.urls.gateway, READ_ORDER, { id: UNKNOWN_ID }, { token: admin });
    expect(read).toMatchObject({ data: { order: null }, errors: undefined });
    for (const [mutation, token] of [
      [CONFIRM_ORDER, admin],
      [COMPLETE_ORDER, admin],
      [CANCEL_ORDER, carol],
    ] as const) {
      refused(await graphql(system.urls.gateway, mutation, { id: UNKNOWN_ID }, { token }), 'NOT_FOUND', `no order with id "${UNKNOWN_ID}"`, { field: 'id', value: UNKNOWN_ID });
    }
  });

  it('treat an id too long to be a key as unknown, not as an internal error', async () => {
    const id = 'x'.repeat(3000);
    const read = await graphql<{ order: OrderView | null }>(system.urls.gateway, READ_ORDER, { id }, { token: admin });
    expect(read).toMatchObject({ data: { order: null }, errors: undefined });
    const confirm = await graphql(system.urls.gateway, CONFIRM_ORDER, { id }, { token: admin });
    expect(errorCodes(confirm)).toEqual(['NOT_FOUND']);
    expectNoInternals(confirm);
  });

  it('refuse a cancellation reason over 500 characters with BAD_USER_INPUT and leave the order as it was', async () => {
    const dave = await tokenFor('customer-dave');
    const order = await placedOrder(system, dave, [{ productId: mug.id, quantity: 1 }]);
    refused(await graphql(system.urls.gateway, CANCEL_ORDER, { id: order.id, reason: 'r'.repeat(501) }, { token: dave }), 'BAD_USER_INPUT', /^reason must be at most 500 characters, got 501 \("r+\.\.\.\)$/);
    const read = await graphql<{ order: OrderView }>(system.urls.gateway, READ_ORDER, { id: order.id }, { token: dave });
    expect(read.data!.order).toEqual(order);
  });
});

describe('me.orders', () => {
  let erin: string;
  beforeAll(async () => {
    erin = await tokenFor('customer-erin');
    for (let n = 0; n < 3; n += 1) await placedOrder(system, erin, [{ productId: mug.id, quantity: 1 }]);
  });

  it.each([0, -1, 101, 1000])('refuses first = %p with BAD_USER_INPUT naming the value', async (first) => {
    const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first }, { token: erin });
    expect(response.data).toEqual({ me: null });
    expect(onlyError(response)).toEqual({ code: 'BAD_USER_INPUT', message: `first must be between 1 and 100, got ${first}`, details: { field: 'first', value: first } });
  });

  it('accepts first = 1 and first = 100', async () => {
    for (const first of [1, 100]) {
      const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first }, { token: erin });
      expect(response.errors).toBeUndefined();
      expect(response.data!.me!.orders.edges).toHaveLength(Math.min(first, 3));
    }
  });

  it("refuses a malformed cursor, another customer's cursor and another list's cursor with BAD_USER_INPUT", async () => {
    const frank = await tokenFor('customer-frank');
    await placedOrder(system, frank, [{ productId: mug.id, quantity: 1 }]);
    const franks = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 1 }, { token: frank });
    const erinsPending = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 1, status: 'PENDING' }, { token: erin });
    const cursors = [
      'not a cursor!',
      Buffer.from('{"hello":"world"}').toString('base64url'),
      cursor.encode({ pk: 'ORDER#x', sk: 'ORDER', customerKey: 'CUSTOMER#customer-frank', placedKey: '2026' }),
      franks.data!.me!.orders.pageInfo.endCursor!,
      erinsPending.data!.me!.orders.pageInfo.endCursor!,
    ];
    for (const after of cursors) {
      const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 5, after }, { token: erin });
      expect(response.data).toEqual({ me: null });
      const error = onlyError(response);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toBe(`after is not a valid cursor: pass the endCursor of a previous page, got ${JSON.stringify(after.slice(0, 60))}`);
      expectNoInternals(response);
    }
  });

  it('refuses a status that does not exist with BAD_USER_INPUT naming it', async () => {
    const response = await graphql(system.urls.gateway, MY_ORDERS, { status: 'RETURNED' }, { token: erin });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('RETURNED');
  });
});
