import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type { AnyEventEnvelope, Subscription } from '../../lib/events';
import type { RunningSystem } from '../../scripts/system';
import { metricValue } from '../support/metrics';
import { testRedisUrl } from '../support/services';
import { CreatedOrders, Recorded, changeStatus, createProduct, wsClient } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * "An update for an order nobody watches costs no supergraph query": counted where the queries would land, as
 * the requests each subgraph served on /graphql (`http_request_duration_seconds_count` on its /metrics), while an
 * unwatched order and a watched one change status. The watched one is the control: its update costs exactly one
 * request (the order fetch), so a query for the unwatched one could not hide.
 */

describe.each([
  ['in-process', false],
  ['Redis', true],
])('with the %s feed', (label, withRedis) => {
  let system: RunningSystem;
  let observer: Subscription;
  const confirmed: AnyEventEnvelope[] = [];
  let client: Client;
  let orders: CreatedOrders;

  beforeAll(async () => {
    system = await startTestSystem(`subs-unwatched-${label.toLowerCase()}`, {
      env: withRedis ? { REDIS_URL: testRedisUrl() } : {},
      relay: { sweepIntervalMs: 200, minAgeMs: 100 },
    });
    // Sees what the gateway's fan-out consumer sees: the bus hands each event to every group at once.
    orders = await CreatedOrders.start(system);
    observer = await system.bus.subscribe({ group: 'unwatched-observer', types: ['order.confirmed'], handle: async (envelope) => void confirmed.push(envelope) });
  });
  afterAll(async () => {
    await client?.dispose();
    await observer?.close();
    await system?.stop();
  });

  /** Requests the three subgraphs served on /graphql so far. */
  async function subgraphRequests(): Promise<{ catalog: number; orders: number; rewards: number }> {
    const count = (base: string) => metricValue(base, 'http_request_duration_seconds_count', { route: '/graphql' });
    const [catalog, orders, rewards] = await Promise.all([count(system.urls.catalog), count(system.urls.orders), count(system.urls.rewards)]);
    return { catalog, orders, rewards };
  }

  it('costs no subgraph request when an unwatched order changes status', async () => {
    const url = system.urls.gateway;
    const admin = await tokenFor('admin-1', { admin: true });
    const customer = await tokenFor('customer-unwatched-1');
    const productId = await createProduct(url, admin, { name: 'Paper Clips', amount: 199 });
    // Both creation events through the gateway first: a PENDING update for the watched order would be a request.
    const unwatched = await orders.place(customer, [{ productId, quantity: 1 }]);
    const watched = await orders.place(customer, [{ productId, quantity: 1 }]);
    const beforeSubscribing = await subgraphRequests();
    client = wsClient(url, customer);
    const updates = new Recorded(client, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status order { id status } } }', { id: watched });
    // The subscription's access check is one request to Orders; the baseline is read after it.
    await waitFor('the access check', async () => (await subgraphRequests()).orders === beforeSubscribing.orders + 1);
    expect(system.gateway.feed.stats()).toEqual({ orders: 1, listeners: 1 });
    const before = await subgraphRequests();
    expect(before).toEqual({ ...beforeSubscribing, orders: beforeSubscribing.orders + 1 });

    await changeStatus(url, admin, 'confirmOrder', unwatched); // one request to Orders: the mutation itself
    await waitFor("the unwatched order's event on the bus", () => confirmed.some((e) => e.type === 'order.confirmed' && e.data.orderId === unwatched));
    await changeStatus(url, admin, 'confirmOrder', watched); // one request to Orders: the mutation itself
    // The fan-out handles events one at a time in bus order, so by the time the watched order's update arrives the
    // unwatched order's event has been through the gateway (and, with Redis, through Redis) already.
    expect(await updates.take(1)).toEqual([{ data: { orderStatusChanged: { status: 'CONFIRMED', order: { id: watched, status: 'CONFIRMED' } } } }]);

    const expected = { catalog: before.catalog, orders: before.orders + 3, rewards: before.rewards };
    await waitFor('the counts to include every request', async () => (await subgraphRequests()).orders >= expected.orders).catch(() => undefined);
    // Two mutations and one order fetch for the watched order's subscriber; nothing for the unwatched order.
    expect(await subgraphRequests()).toEqual(expected);
    expect(system.gateway.feed.stats()).toEqual({ orders: 1, listeners: 1 });
  });
});
