import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { eventStreamKey, type EventEnvelope } from '../../lib/events';
import { signedEventBody } from '../../lib/events/event-signature';
import { sampleEnvelope, TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient } from '../../lib/redis';
import { eventStreamPrefix, type RunningSystem } from '../../scripts/system';
import { REWARDS_CONSUMER_GROUP } from '../../subgraphs/rewards/infrastructure/event-consumers';
import { completeInProcess, confirmedOrders, createProduct, issuancesPerOrder, pendingOutbox, streamEnvelopes } from '../support/commerce';
import { testRedisUrl } from '../support/services';
import { FAULT_TEST_RELAY } from '../support/fault-process';
import { startTestSystem } from '../support/system';

/**
 * Fault: the same order.completed delivered twice (republished by a relay, re-added to the stream), and two
 * different events about one order (before and after its first issuance, and at the same moment): one issuance.
 */

const customerIds = ['dup-customer-1', 'dup-customer-2'];
let system: RunningSystem;
let redis: Redis;
let productId: string;

beforeAll(async () => {
  system = await startTestSystem('fault-duplicates', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    relay: FAULT_TEST_RELAY,
  });
  redis = createRedisClient(testRedisUrl());
  productId = await createProduct(system.urls.gateway, 'DUP-1', 4_200);
}, 60_000);
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

const issued = async (ids: readonly string[]) => (await system.rewards.deps.rewards.findIssuances(ids)).length;
const balanceOf = async (customerId: string) => (await system.rewards.deps.rewards.findAccount(customerId))?.balance;
const completedStream = () => eventStreamKey(eventStreamPrefix(system.config), 'order.completed');

/** An order completed through Orders, and the order.completed envelope that went out for it. */
async function completedOrder(customerId: string): Promise<{ id: string; event: EventEnvelope<'order.completed'> }> {
  const [order] = await confirmedOrders(system, 1, { customerIds: [customerId], productId });
  await completeInProcess(system, order!.id);
  let event: EventEnvelope<'order.completed'> | undefined;
  await waitFor('its order.completed on the stream', async () => {
    event = (await streamEnvelopes(redis, system, 'order.completed')).find((e) => e.data.orderId === order!.id);
    return event !== undefined;
  });
  return { id: order!.id, event: event! };
}

/** Waits for a marker order completed after the deliveries under test: the group handles entries in order. */
async function settle(customerId: string): Promise<void> {
  const marker = await completedOrder(customerId);
  await waitFor('the marker issuance', async () => (await issued([marker.id])) === 1);
  await waitFor('nothing pending in the group', async () => ((await redis.xpending(completedStream(), REWARDS_CONSUMER_GROUP)) as [number])[0] === 0);
  await waitFor('the outboxes to drain', async () => (await pendingOutbox(system, 'rewards')).length === 0 && (await pendingOutbox(system, 'orders')).length === 0);
}

describe('duplicates', () => {
  it('the same event delivered again (published twice, re-added to the stream) issues nothing more', async () => {
    const customerId = customerIds[0]!;
    const one = await completedOrder(customerId);
    const two = await completedOrder(customerId);
    await waitFor('both issuances', async () => (await issued([one.id, two.id])) === 2);
    expect(await balanceOf(customerId)).toBe(84);

    // A relay that published and crashed before deleting its outbox row publishes the same envelope again...
    await system.bus.publish([one.event, one.event]);
    // ...and an entry is re-added verbatim, as a reclaim or a replay would deliver it.
    await redis.xadd(completedStream(), '*', 'id', two.event.id, 'event', signedEventBody(two.event, TEST_EVENT_SIGNING_SECRET));
    await settle(customerId);

    const perOrder = await issuancesPerOrder(system, [customerId]);
    expect(perOrder.get(one.id)).toBe(1);
    expect(perOrder.get(two.id)).toBe(1);
    expect(await balanceOf(customerId)).toBe(126);
    const rewardEvents = (await streamEnvelopes(redis, system, 'reward.issued')).filter((e) => e.data.customerId === customerId);
    expect(rewardEvents.map((e) => e.data.orderId).sort()).toEqual([...perOrder.keys()].sort());
  });

  it('two events for one order (another event id, later or at the same moment) issue once', async () => {
    const customerId = customerIds[1]!;
    const early = await completedOrder(customerId);
    await waitFor('the first issuance', async () => (await issued([early.id])) === 1);
    // A second, distinct event for an order already rewarded.
    await system.bus.publish([sampleEnvelope('order.completed', { ...early.event.data })]);

    // And for a new order, its own event and a second one racing it.
    const [racing] = await confirmedOrders(system, 1, { customerIds: [customerId], productId });
    const rival = sampleEnvelope('order.completed', {
      orderId: racing!.id,
      customerId,
      status: 'COMPLETED',
      previousStatus: 'CONFIRMED',
      total: { amount: racing!.total, currency: 'USD' },
    });
    await Promise.all([completeInProcess(system, racing!.id), system.bus.publish([rival])]);
    await settle(customerId);

    const perOrder = await issuancesPerOrder(system, [customerId]);
    expect(perOrder.get(early.id)).toBe(1);
    expect(perOrder.get(racing!.id)).toBe(1);
    expect([...perOrder.values()]).toEqual([1, 1, 1]);
    // early 42 + racing 42 x quantity + marker 42.
    expect(await balanceOf(customerId)).toBe(42 + Math.floor(racing!.total / 100) + 42);
    const rewardEvents = (await streamEnvelopes(redis, system, 'reward.issued')).filter((e) => e.data.customerId === customerId);
    expect(rewardEvents).toHaveLength(3);
    expect(await redis.xlen(`${eventStreamPrefix(system.config)}:dead-letter:${REWARDS_CONSUMER_GROUP}`)).toBe(0);
  });
});
