import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signDevToken } from '../../lib/auth';
import type { RunningSystem } from '../../scripts/system';
import type { ProductView } from '../support/catalog';
import { errorCodes, graphql } from '../support/graphql';
import {
  CANCEL_ORDER,
  COMPLETE_ORDER,
  CONFIRM_ORDER,
  MY_ORDERS,
  PLACE_ORDER,
  READ_ORDER,
  createProducts,
  onlyError,
  placedOrder,
  type MyOrdersPage,
  type OrderView,
} from '../support/orders';
import { TEST_JWT_SECRET, TEST_SIGNING_SECRET, startTestSystem, tokenFor } from '../support/system';

/**
 * docs/architecture.md §2 authorization through the real gateway: customers act on their own orders, admins on any, other
 * customers get FORBIDDEN, anonymous callers UNAUTHENTICATED. Every refusal leaves the order as it was.
 */

let system: RunningSystem;
let admin: string;
let owner: string;
let stranger: string;
let product: ProductView;

beforeAll(async () => {
  system = await startTestSystem('orders-authorization');
  admin = await tokenFor('admin-1', { admin: true });
  owner = await tokenFor('customer-owner');
  stranger = await tokenFor('customer-stranger');
  [product] = await createProducts(system, admin, [{ n: 1, name: 'Desk Lamp', price: { amount: 2599, currency: 'USD' }, stockQuantity: 100 }]);
});
afterAll(() => system?.stop());

const place = () => placedOrder(system, owner, [{ productId: product.id, quantity: 1 }]);

async function statusOf(id: string): Promise<string> {
  const response = await graphql<{ order: OrderView }>(system.urls.gateway, READ_ORDER, { id }, { token: admin });
  return response.data!.order.status;
}

async function ordersCount(token: string): Promise<number> {
  const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me!.orders.edges.length;
}

describe('anonymous callers', () => {
  it('get UNAUTHENTICATED for every Orders operation, and nothing changes', async () => {
    const order = await place();
    const before = await ordersCount(owner);
    const operations: [string, Record<string, unknown>][] = [
      [PLACE_ORDER, { input: { items: [{ productId: product.id, quantity: 1 }] } }],
      [READ_ORDER, { id: order.id }],
      [MY_ORDERS, {}],
      [CONFIRM_ORDER, { id: order.id }],
      [COMPLETE_ORDER, { id: order.id }],
      [CANCEL_ORDER, { id: order.id }],
    ];
    for (const [query, variables] of operations) {
      const response = await graphql(system.urls.gateway, query, variables);
      const error = onlyError(response);
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toMatch(/^you must be signed in to .+: send Authorization: Bearer <token>$/);
    }
    expect(await statusOf(order.id)).toBe('PENDING');
    expect(await ordersCount(owner)).toBe(before);
  });

  it('with a forged or expired token are refused with UNAUTHENTICATED, never treated as anonymous or as anyone', async () => {
    const order = await place();
    const forged = await signDevToken({ sub: 'customer-owner', roles: ['admin'], ttlSeconds: 600 }, 'not-the-secret-0123456789abcdef0123456789');
    const expired = await tokenFor('customer-owner', { ttlSeconds: -60 });
    for (const token of [forged, expired, 'garbage']) {
      const read = await graphql(system.urls.gateway, READ_ORDER, { id: order.id }, { token });
      expect(errorCodes(read)).toEqual(['UNAUTHENTICATED']);
      expect(read.data ?? null).toBeNull();
      const confirm = await graphql(system.urls.gateway, CONFIRM_ORDER, { id: order.id }, { token });
      expect(errorCodes(confirm)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await statusOf(order.id)).toBe('PENDING');
  });
  it.each([
    ['a line feed', { sub: 'customer-owner\nx' }],
    ['a header injection', { sub: 'customer-owner\r\nx-identity-roles: admin' }],
    ['a leading space', { sub: ' customer-owner' }],
    ['a non-ASCII letter', { sub: 'cüstomer-owner' }],
    ['5,000 characters', { sub: 'c'.repeat(5000) }],
    ['a comma in a role', { sub: 'customer-owner', roles: ['customer,admin'] }],
  ])('with a token whose claims hold %s are refused with UNAUTHENTICATED, not a masked server error', async (_what, claims) => {
    const order = await place();
    const token = await signDevToken({ roles: [], ...claims, ttlSeconds: 600 }, TEST_JWT_SECRET);
    for (const query of [READ_ORDER, CONFIRM_ORDER]) {
      const response = await graphql(system.urls.gateway, query, { id: order.id }, { token });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.errors![0]!.message).toMatch(/^invalid token: the "(sub|roles)" claim must be /);
    }
    expect(await statusOf(order.id)).toBe('PENDING');
  });
});

describe('customers', () => {
  it('read and cancel their own orders', async () => {
    const order = await place();
    const read = await graphql<{ order: OrderView }>(system.urls.gateway, READ_ORDER, { id: order.id }, { token: owner });
    expect(read.errors).toBeUndefined();
    expect(read.data!.order).toEqual(order);
    const cancelled = await graphql<{ cancelOrder: OrderView }>(system.urls.gateway, CANCEL_ORDER, { id: order.id }, { token: owner });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelOrder.status).toBe('CANCELLED');
  });

  it("get FORBIDDEN reading or cancelling another customer's order, which stays as it was", async () => {
    const order = await place();
    const read = await graphql<{ order: OrderView | null }>(system.urls.gateway, READ_ORDER, { id: order.id }, { token: stranger });
    expect(read.data).toEqual({ order: null });
    expect(onlyError(read)).toEqual({ code: 'FORBIDDEN', message: `order ${order.id} belongs to another customer`, details: { orderId: order.id } });

    const cancel = await graphql(system.urls.gateway, CANCEL_ORDER, { id: order.id, reason: 'not mine' }, { token: stranger });
    expect(onlyError(cancel)).toEqual({ code: 'FORBIDDEN', message: `order ${order.id} belongs to another customer`, details: { orderId: order.id } });
    expect(await statusOf(order.id)).toBe('PENDING');
  });

  it('get FORBIDDEN confirming or completing orders, even their own', async () => {
    const order = await place();
    const confirm = await graphql(system.urls.gateway, CONFIRM_ORDER, { id: order.id }, { token: owner });
    expect(onlyError(confirm)).toMatchObject({ code: 'FORBIDDEN', message: 'only an admin may confirm orders' });
    expect(await statusOf(order.id)).toBe('PENDING');
    await graphql(system.urls.gateway, CONFIRM_ORDER, { id: order.id }, { token: admin });
    const complete = await graphql(system.urls.gateway, COMPLETE_ORDER, { id: order.id }, { token: owner });
    expect(onlyError(complete)).toMatchObject({ code: 'FORBIDDEN', message: 'only an admin may complete orders' });
    expect(await statusOf(order.id)).toBe('CONFIRMED');
  });

  it('see only their own orders in me.orders', async () => {
    const order = await place();
    const mine = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token: owner });
    const theirs = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, { first: 100 }, { token: stranger });
    expect(mine.data!.me!.id).toBe('customer-owner');
    expect(mine.data!.me!.orders.edges.map((edge) => edge.node.id)).toContain(order.id);
    expect(theirs.data!.me).toEqual({ id: 'customer-stranger', orders: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
  });

  it("cannot reach another customer's order list through a reference", async () => {
    const order = await place();
    // The stranger asks for the owner's order together with its customer's orders: the order itself is refused.
    const response = await graphql<{ order: unknown }>(system.urls.gateway, `query($id: ID!) { order(id: $id) { id customer { id orders { edges { node { id } } } } } }`, { id: order.id }, { token: stranger });
    expect(response.data).toEqual({ order: null });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });
});

describe('admins', () => {
  it("read, confirm, complete and cancel any customer's orders, and see the customer's order list", async () => {
    const first = await place();
    const read = await graphql<{ order: OrderView }>(system.urls.gateway, READ_ORDER, { id: first.id }, { token: admin });
    expect(read.data!.order).toEqual(first);
    expect((await graphql<{ confirmOrder: OrderView }>(system.urls.gateway, CONFIRM_ORDER, { id: first.id }, { token: admin })).data!.confirmOrder.status).toBe('CONFIRMED');
    expect((await graphql<{ completeOrder: OrderView }>(system.urls.gateway, COMPLETE_ORDER, { id: first.id }, { token: admin })).data!.completeOrder.status).toBe('COMPLETED');
    const second = await place();
    expect((await graphql<{ cancelOrder: OrderView }>(system.urls.gateway, CANCEL_ORDER, { id: second.id }, { token: admin })).data!.cancelOrder.status).toBe('CANCELLED');

    const list = await graphql<{ order: { customer: { id: string; orders: { edges: { node: { id: string } }[] } } } }>(
      system.urls.gateway,
      `query($id: ID!) { order(id: $id) { customer { id orders(first: 100) { edges { node { id } } } } } }`,
      { id: first.id },
      { token: admin },
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.order.customer.id).toBe('customer-owner');
    const ids = list.data!.order.customer.orders.edges.map((edge) => edge.node.id);
    expect(ids.slice(0, 2)).toEqual([second.id, first.id]);
    expect(ids).toHaveLength(await ordersCount(owner));
  });

  it('list every customer\'s orders, newest first and by status, through the gateway; customers and anonymous callers may not', async () => {
    const ADMIN_LIST = `query($status: OrderStatus, $first: Int, $after: String) {
      orders(status: $status, first: $first, after: $after) { edges { node { id status customer { id } } } pageInfo { hasNextPage endCursor } } }`;
    const mine = await place();
    const theirs = await placedOrder(system, stranger, [{ productId: product.id, quantity: 2 }]);
    await graphql(system.urls.gateway, CONFIRM_ORDER, { id: theirs.id }, { token: admin });

    type AdminList = { orders: { edges: { node: { id: string; status: string; customer: { id: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const firstPage = await graphql<AdminList>(system.urls.gateway, ADMIN_LIST, { first: 2 }, { token: admin });
    expect(firstPage.errors).toBeUndefined();
    expect(firstPage.data!.orders.edges.map((edge) => edge.node)).toEqual([
      { id: theirs.id, status: 'CONFIRMED', customer: { id: 'customer-stranger' } },
      { id: mine.id, status: 'PENDING', customer: { id: 'customer-owner' } },
    ]);
    expect(firstPage.data!.orders.pageInfo.hasNextPage).toBe(true);
    const next = await graphql<AdminList>(system.urls.gateway, ADMIN_LIST, { first: 1, after: firstPage.data!.orders.pageInfo.endCursor }, { token: admin });
    expect(next.data!.orders.edges.map((edge) => edge.node.id)).not.toContain(theirs.id);
    expect(next.data!.orders.edges).toHaveLength(1);

    const confirmed = await graphql<AdminList>(system.urls.gateway, ADMIN_LIST, { status: 'CONFIRMED', first: 100 }, { token: admin });
    expect(confirmed.data!.orders.edges.every((edge) => edge.node.status === 'CONFIRMED')).toBe(true);
    expect(confirmed.data!.orders.edges[0]!.node.id).toBe(theirs.id);

    expect(onlyError(await graphql(system.urls.gateway, ADMIN_LIST, {}, { token: owner }))).toEqual({
      code: 'FORBIDDEN',
      message: 'only an admin may list all orders',
      details: undefined,
    });
    expect(errorCodes(await graphql(system.urls.gateway, ADMIN_LIST, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it("have their own, empty order list as me", async () => {
    const response = await graphql<MyOrdersPage>(system.urls.gateway, MY_ORDERS, {}, { token: admin });
    expect(response.data!.me).toEqual({ id: 'admin-1', orders: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
  });
});

describe('the Orders subgraph itself', () => {
  const CUSTOMER_ORDERS = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { id orders { edges { node { id } } } } } }`;
  const ORDER_ENTITY = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id status } } }`;
  const asCaller = (sub: string, roles: string[] = []) => ({ signedAs: { caller: { sub, roles }, secret: TEST_SIGNING_SECRET } });

  it("answers a Customer reference with that customer's orders only for the customer or an admin", async () => {
    const order = await place();
    const representations = [{ __typename: 'Customer', id: 'customer-owner' }];
    const url = `${system.urls.orders}/graphql`;

    const own = await graphql<{ _entities: { id: string; orders: { edges: { node: { id: string } }[] } }[] }>(url, CUSTOMER_ORDERS, { representations }, asCaller('customer-owner'));
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0]!.orders.edges[0]!.node.id).toBe(order.id);
    const byAdmin = await graphql<{ _entities: { id: string; orders: { edges: { node: { id: string } }[] } }[] }>(url, CUSTOMER_ORDERS, { representations }, asCaller('admin-1', ['admin']));
    expect(byAdmin.data!._entities[0]!.orders.edges[0]!.node.id).toBe(order.id);

    const foreign = await graphql(url, CUSTOMER_ORDERS, { representations }, asCaller('customer-stranger'));
    expect(onlyError(foreign)).toEqual({ code: 'FORBIDDEN', message: 'the orders of customer customer-owner are not yours to see', details: { customerId: 'customer-owner' } });
    const unsigned = await graphql(url, CUSTOMER_ORDERS, { representations }, { headers: { 'x-identity-sub': 'customer-owner', 'x-identity-roles': 'admin' } });
    expect(errorCodes(unsigned)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers Order references per order: the caller\'s own resolve, others are FORBIDDEN in place, unknown ones null', async () => {
    const own = await place();
    const strangers = await placedOrder(system, stranger, [{ productId: product.id, quantity: 1 }]);
    const unknown = '00000000-0000-4000-8000-00000000beef';
    const response = await graphql<{ _entities: ({ id: string; status: string } | null)[] }>(
      `${system.urls.orders}/graphql`,
      ORDER_ENTITY,
      { representations: [own.id, strangers.id, unknown].map((id) => ({ __typename: 'Order', id })) },
      asCaller('customer-owner'),
    );
    expect(response.data!._entities).toEqual([{ id: own.id, status: 'PENDING' }, null, null]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions?.['code']).toBe('FORBIDDEN');
    expect(response.errors![0]!.path).toEqual(['_entities', 1]);
  });
});
