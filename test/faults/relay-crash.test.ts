import { afterAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient } from '../../lib/redis';
import type { RunningSystem } from '../../scripts/system';
import { REWARDS_CONSUMER_GROUP } from '../../subgraphs/rewards/infrastructure/event-consumers';
import { type OrderView, completedOrderVia, createProduct, issuancesPerOrder, pendingOutbox, rewardPointsVia, streamEnvelopes } from '../support/commerce';
import { testRedisUrl, uniquePrefix } from '../support/services';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Fault: the relay stops between commit and publish. A first system commits orders (and their events, in the
 * outbox) but never publishes them: no publish after commit, and it dies before its first sweep could run. A new
 * process on the same tables publishes the leftovers with its sweep; every order gets exactly one issuance.
 */

const tablePrefix = uniquePrefix('fault-relay');
const env = { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl(), TABLE_PREFIX: tablePrefix };
const customers = ['relay-customer-1', 'relay-customer-2'];
let crashed: RunningSystem | undefined;
let restarted: RunningSystem | undefined;
const redis: Redis = createRedisClient(testRedisUrl());

afterAll(async () => {
  await crashed?.stop();
  await restarted?.stop();
  await redis.quit();
});

describe('the relay stopped between commit and publish', () => {
  it('leaves the events in the outbox, and the sweep of the next process publishes them: one issuance per order', async () => {
    crashed = await startTestSystem('fault-relay', { env, relay: { publishAfterCommit: false, sweepIntervalMs: 3_600_000 } });
    const productId = await createProduct(crashed.urls.gateway, 'RELAY-1', 12_345);
    const tokens = await Promise.all(customers.map((sub) => tokenFor(sub)));
    const orders: OrderView[] = [];
    for (let i = 0; i < 6; i += 1) orders.push(await completedOrderVia(crashed.urls.gateway, tokens[i % 2]!, productId));

    // Committed but not published: every event waits in its context's outbox, nothing reached Rewards.
    const stranded = await pendingOutbox(crashed, 'orders');
    const count = (type: string) => stranded.filter((e) => e.type === type && orders.some((o) => o.id === (e.data as { orderId: string }).orderId)).length;
    expect([count('order.created'), count('order.confirmed'), count('order.completed')]).toEqual([6, 6, 6]);
    // Catalog's own events stay pending too: the product, and the stock each order held.
    expect((await pendingOutbox(crashed, 'catalog')).map((e) => e.type).sort()).toEqual(['product.created', ...Array(6).fill('stock.held')]);
    expect(await streamEnvelopes(redis, crashed, 'order.completed')).toEqual([]);
    expect(await rewardPointsVia(crashed.urls.gateway, tokens[0]!, orders[0]!.id)).toBeNull();
    await crashed.stop();
    crashed = undefined;

    restarted = await startTestSystem('fault-relay', { env, relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
    const system = restarted;
    await waitFor('every order to be issued', async () => (await system.rewards.deps.rewards.findIssuances(orders.map((o) => o.id))).length === 6, 30_000, 100);
    await waitFor('the outboxes to drain', async () => (await pendingOutbox(system, 'orders')).length === 0 && (await pendingOutbox(system, 'catalog')).length === 0);

    expect((await streamEnvelopes(redis, system, 'order.completed')).map((e) => e.data.orderId).sort()).toEqual(orders.map((o) => o.id).sort());
    const perOrder = await issuancesPerOrder(system, customers);
    expect([...perOrder.keys()].sort()).toEqual(orders.map((o) => o.id).sort());
    expect([...perOrder.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    // Three $123.45 orders each, earned at BRONZE: 123 points apiece.
    for (const customerId of customers) expect((await system.rewards.deps.rewards.findAccount(customerId))?.balance).toBe(369);
    expect(await rewardPointsVia(system.urls.gateway, tokens[0]!, orders[0]!.id)).toBe(123);
    expect(await redis.xlen(`${tablePrefix}events:dead-letter:${REWARDS_CONSUMER_GROUP}`)).toBe(0);
  }, 120_000);
});
