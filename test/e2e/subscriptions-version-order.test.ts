import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import type { RunningSystem } from '../../scripts/system';
import { CreatedOrders, Recorded, createProduct, updatesOf, wsClient } from '../support/subscriptions';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Status events carry the order's version, and the gateway keeps each subscriber's updates in version order
 * whatever order the bus delivers them in (transports do not keep order across event types, and delivery is at
 * least once): COMPLETED published before CONFIRMED still reaches the subscriber after it, a replayed creation
 * (PENDING) or a repeated CONFIRMED never reaches it, and each update's `order.status` is the update's status.
 */
let system: RunningSystem;
let client: Client;

beforeAll(async () => {
  system = await startTestSystem('subs-version-order');
});
afterAll(async () => {
  await client?.dispose();
  await system?.stop();
});

describe('order status updates in version order', () => {
  it('reorders COMPLETED published before CONFIRMED and drops replays of older versions', async () => {
    const url = system.urls.gateway;
    const admin = await tokenFor('admin-1', { admin: true });
    const customer = await tokenFor('customer-version-order');
    const orders = await CreatedOrders.start(system);
    const productId = await createProduct(url, admin, { name: 'Lantern', amount: 1_500 });
    const orderId = await orders.place(customer, [{ productId, quantity: 1 }]);
    await orders.close();

    client = wsClient(url, customer);
    const before = system.gateway.feed.stats().listeners;
    const updates = new Recorded(client, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus order { id status } } }', { id: orderId });
    await waitFor('the subscription to be registered', () => system.gateway.feed.stats().listeners > before);

    const base = { orderId, customerId: 'customer-version-order', total: { amount: 1_500, currency: 'USD' } };
    const completed = sampleEnvelope('order.completed', { ...base, status: 'COMPLETED', previousStatus: 'CONFIRMED', version: 3 });
    const confirmed = sampleEnvelope('order.confirmed', { ...base, status: 'CONFIRMED', previousStatus: 'PENDING', version: 2 });
    const replayedCreation = sampleEnvelope('order.created', { ...base, items: [{ productId, quantity: 1, unitPrice: { amount: 1_500, currency: 'USD' } }], version: 1 });
    // What an unordered transport can do: the later change first, then the earlier one, then a replay.
    await system.bus.publish([completed]);
    await system.bus.publish([confirmed]);
    await system.bus.publish([replayedCreation, { ...confirmed }]);

    expect(updatesOf(await updates.take(2))).toEqual([
      { status: 'CONFIRMED', previousStatus: 'PENDING', order: { id: orderId, status: 'CONFIRMED' } },
      { status: 'COMPLETED', previousStatus: 'CONFIRMED', order: { id: orderId, status: 'COMPLETED' } },
    ]);

    // A barrier through the same fan-out: once its update arrives, the replays above have been through too.
    const cancelledLater = sampleEnvelope('order.cancelled', { ...base, status: 'CANCELLED', previousStatus: 'COMPLETED', version: 4 });
    await system.bus.publish([cancelledLater]);
    const all = updatesOf(await updates.take(3));
    expect(all.map((update) => update.status)).toEqual(['CONFIRMED', 'COMPLETED', 'CANCELLED']);
    expect(updates.results).toHaveLength(3);
  });
});
