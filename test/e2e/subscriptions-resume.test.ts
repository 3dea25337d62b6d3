import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../../lib/events/testing/wait-for';
import { freePort } from '../../lib/process';
import { startGatewayInstance, type RunningSystem } from '../../scripts/system';
import { ResumingWsLink } from '../../web/src/apollo/resuming-ws-link';
import { graphql } from '../support/graphql';
import { testRedisUrl } from '../support/services';
import { CreatedOrders, createProduct } from '../support/subscriptions';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Resuming a subscription (orderStatusChanged(afterVersion)): a gateway restarts, and while it is down the order
 * is CONFIRMED. The storefront's client (its Apollo link over graphql-ws, as the browser runs it) reconnects and
 * subscribes again with the last version it saw; its first update is CONFIRMED, then the live changes follow, each
 * once and in order.
 */

const RESUMABLE = gql`
  subscription Resumable($orderId: ID!, $afterVersion: Int) {
    orderStatusChanged(orderId: $orderId, afterVersion: $afterVersion) {
      status
      previousStatus
      version
      order {
        id
        status
        version
      }
    }
  }
`;

type Update = { status: string; previousStatus: string | null; version: number; order: { id: string; status: string; version: number } };

let system: RunningSystem;
let port: number;
let gateway: Awaited<ReturnType<typeof startGatewayInstance>> | undefined;
let admin: string;

const startGateway = async () => {
  gateway = await startGatewayInstance({ ...system.config, ports: { ...system.config.ports, gateway: port } }, system.bus);
};

beforeAll(async () => {
  // Through Redis, so each gateway instance hears every order's changes (the bus gives each event to one of them).
  system = await startTestSystem('subs-resume', { env: { REDIS_URL: testRedisUrl() }, relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  port = await freePort();
  await startGateway();
  admin = await tokenFor('admin-resume', { admin: true });
});
afterAll(async () => {
  await gateway?.stopAll();
  await system?.stop();
});

it('sends an order confirmed during a gateway restart first to the client that resubscribes, then the live changes', async () => {
  const customer = await tokenFor('customer-resume');
  const created = await CreatedOrders.start(system);
  const orderId = await created.place(customer, [{ productId: await createProduct(system.urls.gateway, admin, { name: 'Kettle', amount: 3_500 }), quantity: 1 }]);
  await created.close();
  const read = await graphql<{ order: { version: number; status: string } }>(system.urls.gateway, 'query ($id: ID!) { order(id: $id) { status version } }', { id: orderId }, { token: customer });
  expect(read.data?.order).toEqual({ status: 'PENDING', version: 1 });

  const socket = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${customer}` },
    lazy: true,
    // Keeps trying while the gateway is away (graphql-ws's own back-off between attempts).
    retryAttempts: 100,
    shouldRetry: () => true,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
  });
  const apollo = new ApolloClient({ link: new ResumingWsLink(socket), cache: new InMemoryCache() });
  const updates: Update[] = [];
  const errors: unknown[] = [];
  let connections = 0;
  socket.on('connected', () => void (connections += 1));
  const subscription = apollo.subscribe<{ orderStatusChanged: Update }>({ query: RESUMABLE, variables: { orderId, afterVersion: read.data!.order.version } }).subscribe({
    next: (result) => {
      if (result.error) errors.push(result.error);
      else if (result.data) updates.push(result.data.orderStatusChanged as Update);
    },
    error: (error) => errors.push(error),
  });
  try {
    await waitFor('the subscription on the gateway', () => gateway!.feed.stats().listeners === 1);
    expect(updates).toEqual([]);

    await gateway!.stopAll();
    gateway = undefined;
    // Confirmed while that gateway is away (through another one).
    const confirmed = await graphql(system.urls.gateway, 'mutation ($id: ID!) { confirmOrder(id: $id) { status version } }', { id: orderId }, { token: admin });
    expect(confirmed.data).toEqual({ confirmOrder: { status: 'CONFIRMED', version: 2 } });
    await startGateway();

    await waitFor(() => `the resubscribed client's first update (has ${JSON.stringify(updates)}, errors ${JSON.stringify(errors)})`, () => updates.length >= 1 || errors.length > 0, 30_000);
    expect(connections).toBe(2);
    expect(updates.map(({ status, previousStatus, version, order }) => ({ status, previousStatus, version, order: { id: order.id, status: order.status, version: order.version } }))).toEqual([
      { status: 'CONFIRMED', previousStatus: null, version: 2, order: { id: orderId, status: 'CONFIRMED', version: 2 } },
    ]);

    // Then the live changes, each once.
    await waitFor('the subscription on the new gateway', () => gateway!.feed.stats().listeners === 1);
    const completed = await graphql(system.urls.gateway, 'mutation ($id: ID!) { completeOrder(id: $id) { status } }', { id: orderId }, { token: admin });
    expect(completed.errors).toBeUndefined();
    await waitFor(() => `the completion (has ${JSON.stringify(updates)})`, () => updates.length >= 2, 15_000);
    expect(updates.map((update) => [update.status, update.previousStatus, update.version])).toEqual([
      ['CONFIRMED', null, 2],
      ['COMPLETED', 'CONFIRMED', 3],
    ]);
    expect(errors).toEqual([]);
  } finally {
    subscription.unsubscribe();
    await socket.dispose();
    apollo.stop();
  }
}, 90_000);
