import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type { AnyEventEnvelope } from '../../lib/events';
import type { RunningSystem } from '../../scripts/system';
import { graphql } from '../support/graphql';
import {
  ISO_TIMESTAMP,
  CreatedOrders,
  Recorded,
  WATCH_ORDER,
  changeStatus,
  createProduct,
  updatesOf,
  wsClient,
} from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * `orderStatusChanged` over graphql-ws (graphql-transport-ws) on the gateway's /graphql, as Apollo Client's
 * GraphQLWsLink and Apollo Sandbox use it, with the in-process feed (no Redis): every status change reaches every
 * subscriber in order, and the `order` part resolves through every subgraph.
 */

let system: RunningSystem;
let url: string;
let admin: string;
let backpack: string;
let bottle: string;
let orders: CreatedOrders;
const clients: Client[] = [];

beforeAll(async () => {
  system = await startTestSystem('subs-ws', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  orders = await CreatedOrders.start(system);
  admin = await tokenFor('admin-1', { admin: true });
  backpack = await createProduct(url, admin, { name: 'Trail Backpack', amount: 12_345 });
  bottle = await createProduct(url, admin, { name: 'Water Bottle', amount: 2_500 });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await system?.stop();
});

function client(token: string): Client {
  const created = wsClient(url, token);
  clients.push(created);
  return created;
}

/** Subscribes and waits until the gateway holds the subscription's feed listener. */
async function watch(on: Client, query: string, variables: Record<string, unknown>): Promise<Recorded> {
  const before = system.gateway.feed.stats().listeners;
  const recorded = new Recorded(on, query, variables);
  // The listener is registered before the access check, so a change from here on cannot be missed.
  await waitFor('the subscription to be registered', () => system.gateway.feed.stats().listeners > before || recorded.error !== undefined);
  return recorded;
}

/** Changes the order's status and returns its new updatedAt: the instant its status event carries as `at`. */
async function statusChange(mutation: 'confirmOrder' | 'completeOrder' | 'cancelOrder', orderId: string, token = admin): Promise<string> {
  const response = await graphql<Record<string, { updatedAt: string }>>(url, `mutation ($id: ID!) { ${mutation}(id: $id) { updatedAt } }`, { id: orderId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data![mutation]!.updatedAt;
}

async function rewardPointsOf(orderId: string, token: string): Promise<number | null> {
  const response = await graphql<{ order: { rewardPoints: number | null } }>(url, 'query ($id: ID!) { order(id: $id) { rewardPoints } }', { id: orderId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.order.rewardPoints;
}

describe('the schema clients see', () => {
  it('has the Subscription type with orderStatusChanged, as Sandbox reads it by introspection', async () => {
    const response = await graphql<{
      __schema: { subscriptionType: { name: string; fields: { name: string; args: unknown[]; type: unknown }[] } };
      __type: { fields: { name: string }[] };
    }>(
      url,
      `{
        __schema { subscriptionType { name fields { name args { name type { kind ofType { name } } } type { kind ofType { name } } } } }
        __type(name: "OrderStatusUpdate") { fields { name } }
      }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.__schema.subscriptionType).toEqual({
      name: 'Subscription',
      fields: [
        {
          name: 'orderStatusChanged',
          args: [
            { name: 'orderId', type: { kind: 'NON_NULL', ofType: { name: 'ID' } } },
            { name: 'afterVersion', type: { kind: 'SCALAR', ofType: null } },
          ],
          type: { kind: 'NON_NULL', ofType: { name: 'OrderStatusUpdate' } },
        },
      ],
    });
    expect(response.data!.__type.fields.map((field) => field.name)).toEqual(['order', 'previousStatus', 'status', 'at', 'version']);
  });
});

describe('delivery over graphql-ws', () => {
  it('delivers PENDING -> CONFIRMED and CONFIRMED -> COMPLETED with Catalog product names and Rewards points', async () => {
    const customer = await tokenFor('customer-ws-1');
    const orderId = await orders.place(customer, [
      { productId: backpack, quantity: 1 },
      { productId: bottle, quantity: 2 },
    ]);
    const updates = await watch(client(customer), WATCH_ORDER, { id: orderId });

    const confirmedAt = await statusChange('confirmOrder', orderId);
    const [confirmed] = updatesOf(await updates.take(1));
    expect(confirmed).toEqual({
      status: 'CONFIRMED',
      previousStatus: 'PENDING',
      at: confirmedAt,
      order: { status: 'CONFIRMED', total: { amount: 17_345 }, items: [{ product: { name: 'Trail Backpack' } }, { product: { name: 'Water Bottle' } }], rewardPoints: null },
    });
    expect(confirmedAt).toMatch(ISO_TIMESTAMP);

    const completedAt = await statusChange('completeOrder', orderId);
    const [, completed] = updatesOf(await updates.take(2));
    // Rewards issues points on order.completed asynchronously: when the gateway fetched the order they were either
    // not issued yet or issued in full. $173.45 at BRONZE (a new customer) is floor(173 x 1) = 173 points.
    const { rewardPoints, ...rest } = completed!.order;
    expect([null, 173]).toContain(rewardPoints);
    expect({ ...completed, order: rest }).toEqual({
      status: 'COMPLETED',
      previousStatus: 'CONFIRMED',
      at: completedAt,
      order: { status: 'COMPLETED', total: { amount: 17_345 }, items: [{ product: { name: 'Trail Backpack' } }, { product: { name: 'Water Bottle' } }] },
    });

    // The same selection over HTTP once Rewards has caught up: exactly the points the rule gives.
    await waitFor('the points to be issued', async () => (await rewardPointsOf(orderId, customer)) !== null);
    expect(await rewardPointsOf(orderId, customer)).toBe(173);
    expect(updates.results).toHaveLength(2);
    expect(updates.error).toBeUndefined();
  });

  it('resolves Order.rewardPoints through the subscription path once issued', async () => {
    const customer = await tokenFor('customer-ws-2');
    // First order: $123.45 completed, so Rewards issues floor(123 x 1) = 123 points for it.
    const first = await orders.place(customer, [{ productId: backpack, quantity: 1 }]);
    await changeStatus(url, admin, 'confirmOrder', first);
    await changeStatus(url, admin, 'completeOrder', first);
    await waitFor('the points of the first order', async () => (await rewardPointsOf(first, customer)) !== null);

    // Second order: its update's order selection reaches the first order (through Customer.orders) and its points.
    const second = await orders.place(customer, [{ productId: bottle, quantity: 1 }]);
    const updates = await watch(
      client(customer),
      `subscription ($id: ID!) {
        orderStatusChanged(orderId: $id) {
          status
          order { id rewardPoints customer { orders(status: COMPLETED, first: 5) { edges { node { id rewardPoints items { product { name } } } } } } }
        }
      }`,
      { id: second },
    );
    await changeStatus(url, admin, 'confirmOrder', second);
    const [result] = await updates.take(1);
    expect(result).toEqual({
      data: {
        orderStatusChanged: {
          status: 'CONFIRMED',
          order: {
            id: second,
            rewardPoints: null,
            customer: { orders: { edges: [{ node: { id: first, rewardPoints: 123, items: [{ product: { name: 'Trail Backpack' } }] } }] } },
          },
        },
      },
    });
  });

  it('delivers every change to every subscriber of the order, in order: owner twice, admin, other selections', async () => {
    const customer = await tokenFor('customer-ws-3');
    const orderId = await orders.place(customer, [{ productId: bottle, quantity: 3 }]);
    const ownerConnection = client(customer);
    const subscribers = [
      await watch(ownerConnection, WATCH_ORDER, { id: orderId }),
      await watch(client(customer), WATCH_ORDER, { id: orderId }),
      await watch(client(admin), WATCH_ORDER, { id: orderId }),
    ];
    // A second subscription on the owner's connection with its own selection.
    const narrow = await watch(ownerConnection, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus order { id } } }', { id: orderId });

    const confirmedAt = await statusChange('confirmOrder', orderId);
    for (const subscriber of subscribers) await subscriber.take(1);
    await narrow.take(1);
    const completedAt = await statusChange('completeOrder', orderId);
    const expectedOrder = (status: string) => ({ status, total: { amount: 7_500 }, items: [{ product: { name: 'Water Bottle' } }] });
    for (const subscriber of subscribers) {
      const [confirmed, completed] = updatesOf(await subscriber.take(2));
      expect(confirmed).toEqual({ status: 'CONFIRMED', previousStatus: 'PENDING', at: confirmedAt, order: { ...expectedOrder('CONFIRMED'), rewardPoints: null } });
      expect([null, 75]).toContain(completed!.order.rewardPoints);
      expect(completed).toEqual({ status: 'COMPLETED', previousStatus: 'CONFIRMED', at: completedAt, order: { ...expectedOrder('COMPLETED'), rewardPoints: completed!.order.rewardPoints } });
    }
    expect(await narrow.take(2)).toEqual([
      { data: { orderStatusChanged: { status: 'CONFIRMED', previousStatus: 'PENDING', order: { id: orderId } } } },
      { data: { orderStatusChanged: { status: 'COMPLETED', previousStatus: 'CONFIRMED', order: { id: orderId } } } },
    ]);
    for (const subscriber of [...subscribers, narrow]) expect(subscriber.results).toHaveLength(2);
  });

  it('keeps the order of changes that follow each other at once, and delivers cancellations', async () => {
    const customer = await tokenFor('customer-ws-4');
    const [rushed, cancelled] = [
      await orders.place(customer, [{ productId: bottle, quantity: 1 }]),
      await orders.place(customer, [{ productId: bottle, quantity: 1 }]),
    ];
    const connection = client(customer);
    const rushedUpdates = await watch(connection, WATCH_ORDER, { id: rushed });
    const cancelledUpdates = await watch(connection, WATCH_ORDER, { id: cancelled });
    // No waiting between the two changes.
    await changeStatus(url, admin, 'confirmOrder', rushed);
    await changeStatus(url, admin, 'completeOrder', rushed);
    const cancelledAt = await statusChange('cancelOrder', cancelled, customer);
    const [first, second] = updatesOf(await rushedUpdates.take(2));
    expect([first!.previousStatus, first!.status, second!.previousStatus, second!.status]).toEqual(['PENDING', 'CONFIRMED', 'CONFIRMED', 'COMPLETED']);
    // The order is fetched when each update is resolved, but each update shows the order as of its own change.
    expect(first!.order.status).toBe('CONFIRMED');
    expect(second!.order.status).toBe('COMPLETED');
    const [cancellation] = updatesOf(await cancelledUpdates.take(1));
    expect(cancellation).toEqual({
      status: 'CANCELLED',
      previousStatus: 'PENDING',
      at: cancelledAt,
      order: { status: 'CANCELLED', total: { amount: 2_500 }, items: [{ product: { name: 'Water Bottle' } }], rewardPoints: null },
    });
  });

  it('sends an event the bus delivers twice once (delivery is at least once)', async () => {
    const customer = await tokenFor('customer-ws-7');
    const orderId = await orders.place(customer, [{ productId: bottle, quantity: 1 }]);
    const seen: AnyEventEnvelope[] = [];
    const observer = await system.bus.subscribe({ group: 'redelivery-observer', types: ['order.confirmed'], handle: async (e) => void seen.push(e) });
    try {
      const updates = await watch(client(customer), 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus } }', { id: orderId });
      await changeStatus(url, admin, 'confirmOrder', orderId);
      await updates.take(1);
      await waitFor('the confirmed event', () => seen.some((e) => e.type === 'order.confirmed' && e.data.orderId === orderId));
      // The same envelope again, as a transport retry or a reclaimed stream entry would bring it.
      await system.bus.publish([seen.find((e) => e.type === 'order.confirmed' && e.data.orderId === orderId)!]);
      await waitFor('the redelivery to reach the observer', () => seen.filter((e) => e.type === 'order.confirmed' && e.data.orderId === orderId).length === 2);
      await changeStatus(url, admin, 'completeOrder', orderId);
      await updates.take(2);
      expect(updates.results).toEqual([
        { data: { orderStatusChanged: { status: 'CONFIRMED', previousStatus: 'PENDING' } } },
        { data: { orderStatusChanged: { status: 'COMPLETED', previousStatus: 'CONFIRMED' } } },
      ]);
    } finally {
      await observer.close();
    }
  });

  it('honours aliases, named fragments, __typename and variables in the selection', async () => {
    const customer = await tokenFor('customer-ws-5');
    const orderId = await orders.place(customer, [
      { productId: backpack, quantity: 1 },
      { productId: bottle, quantity: 1 },
    ]);
    const query = `
      subscription Aliased($order: ID!, $withLines: Boolean!, $withTotal: Boolean!) {
        change: orderStatusChanged(orderId: $order) { now: status was: previousStatus ...Details }
      }
      fragment Details on OrderStatusUpdate {
        __typename
        order {
          __typename
          state: status
          sum: total @include(if: $withTotal) { cents: amount currency }
          lines: items @include(if: $withLines) { qty: quantity ...Line }
        }
      }
      fragment Line on OrderItem { product { title: name } }
    `;
    const connection = client(customer);
    const full = await watch(connection, query, { order: orderId, withLines: true, withTotal: false });
    const bare = await watch(connection, query, { order: orderId, withLines: false, withTotal: true });
    await changeStatus(url, admin, 'confirmOrder', orderId);
    expect(await full.take(1)).toEqual([
      {
        data: {
          change: {
            now: 'CONFIRMED',
            was: 'PENDING',
            __typename: 'OrderStatusUpdate',
            order: {
              __typename: 'Order',
              state: 'CONFIRMED',
              lines: [
                { qty: 1, product: { title: 'Trail Backpack' } },
                { qty: 1, product: { title: 'Water Bottle' } },
              ],
            },
          },
        },
      },
    ]);
    expect(await bare.take(1)).toEqual([
      {
        data: {
          change: { now: 'CONFIRMED', was: 'PENDING', __typename: 'OrderStatusUpdate', order: { __typename: 'Order', state: 'CONFIRMED', sum: { cents: 14_845, currency: 'USD' } } },
        },
      },
    ]);
  });

  it('runs queries and mutations sent over the same socket through the supergraph', async () => {
    const customer = await tokenFor('customer-ws-6');
    const orderId = await orders.place(customer, [{ productId: backpack, quantity: 2 }]);
    const connection = client(customer);
    const query = new Recorded(connection, 'query ($id: ID!) { order(id: $id) { status total { amount } items { product { name } } } }', { id: orderId });
    await query.ended();
    expect(query.results).toEqual([
      { data: { order: { status: 'PENDING', total: { amount: 24_690 }, items: [{ product: { name: 'Trail Backpack' } }] } } },
    ]);
    const cancel = new Recorded(connection, 'mutation ($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }', { id: orderId });
    await cancel.ended();
    expect(cancel.results).toEqual([{ data: { cancelOrder: { status: 'CANCELLED' } } }]);
  });
});
