import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'iovalkey';
import { eventStreamKey } from '../../lib/events';
import { waitFor } from '../../lib/events/testing/wait-for';
import { createRedisClient } from '../../lib/redis';
import { eventStreamPrefix, type RunningSystem } from '../../scripts/system';
import { REWARDS_CONSUMER_GROUP } from '../../subgraphs/rewards/infrastructure/event-consumers';
import {
  completeInProcess,
  confirmedOrders,
  createProduct,
  issuancesPerOrder,
  mapLimit,
  pendingOutbox,
  streamEnvelopes,
} from '../support/commerce';
import { FAULT_TEST_RELAY, startReadyProcess } from '../support/fault-process';
import { testRedisUrl } from '../support/services';
import { startTestSystem, TEST_EVENT_SIGNING_SECRET, TEST_JWT_SECRET, TEST_SIGNING_SECRET } from '../support/system';

/**
 * Fault: the Rewards consumer process is killed (SIGKILL) in the middle of a batch and another one is started.
 * Entries it had read but not acknowledged stay pending in the group and are reclaimed by the new process;
 * the ones it had already applied are recognised by their processed mark. Nothing is lost, nothing doubled.
 */

const ORDERS = 200;
const customerIds = Array.from({ length: 20 }, (_, i) => `crash-customer-${i}`);

let system: RunningSystem;
let redis: Redis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // No consumers in this process: Rewards runs only in the child processes.
  system = await startTestSystem('fault-consumer-crash', {
    env: { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() },
    consumers: false,
    relay: FAULT_TEST_RELAY,
  });
  redis = createRedisClient(testRedisUrl());
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await system?.stop();
  await redis?.quit();
});

/** Starts a Rewards process on the system's tables and streams; resolves once it has subscribed. */
async function startRewardsProcess(): Promise<ChildProcess> {
  const child = await startReadyProcess(
    'test/support/rewards-consumer-process.ts',
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      REWARDS_PORT: '0',
      DYNAMODB_ENDPOINT: system.config.dynamodb.endpoint,
      TABLE_PREFIX: system.config.namespace,
      EVENT_BUS: 'redis',
      REDIS_URL: testRedisUrl(),
      JWT_SECRET: TEST_JWT_SECRET,
      GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
      RECLAIM_IDLE_MS: '1500',
    },
    'the Rewards process',
  );
  children.push(child);
  return child;
}

/** Entries of order.completed read by the rewards group and not acknowledged yet, per consumer name. */
async function pendingByConsumer(): Promise<Map<string, number>> {
  const stream = eventStreamKey(eventStreamPrefix(system.config), 'order.completed');
  const summary = (await redis.xpending(stream, REWARDS_CONSUMER_GROUP)) as [number, string | null, string | null, [string, string][] | null];
  return new Map((summary[3] ?? []).map(([consumer, count]) => [consumer, Number(count)]));
}

describe('the Rewards consumer process killed mid-batch and restarted', () => {
  it('loses nothing and doubles nothing', async () => {
    const productId = await createProduct(system.urls.gateway, 'CRASH-1', 1_000);
    const orders = await confirmedOrders(system, ORDERS, { customerIds, productId });
    await mapLimit(orders, 8, (order) => completeInProcess(system, order.id));
    await waitFor('every order.completed on the stream', async () => (await pendingOutbox(system, 'orders')).length === 0, 30_000, 100);
    const ids = orders.map((o) => o.id);
    const issued = async () => (await system.rewards.deps.rewards.findIssuances(ids)).length;

    const first = await startRewardsProcess();
    // Kill it once it is well into the backlog and holds a batch it has read but not finished.
    let pendingAtKill = new Map<string, number>();
    await waitFor(
      'the first process to be mid-batch',
      async () => {
        if ((await issued()) < 40) return false;
        pendingAtKill = await pendingByConsumer();
        return [...pendingAtKill.values()].some((count) => count > 0);
      },
      60_000,
      5,
    );
    first.kill('SIGKILL');
    await new Promise((resolveExit) => first.once('exit', resolveExit));
    const issuedAtKill = await issued();
    const stranded = [...(await pendingByConsumer()).values()].reduce((sum, count) => sum + count, 0);

    expect(issuedAtKill).toBeGreaterThanOrEqual(40);
    expect(issuedAtKill).toBeLessThan(ORDERS);
    // The dead process still holds entries it read: only a reclaim by the next process gets them handled.
    expect(stranded).toBeGreaterThan(0);

    const second = await startRewardsProcess();
    await waitFor('an issuance for every order', async () => (await issued()) === ORDERS, 120_000, 200);
    await waitFor('nothing pending in the group', async () => [...(await pendingByConsumer()).values()].every((count) => count === 0), 30_000, 200);
    await waitFor('the rewards outbox to drain', async () => (await pendingOutbox(system, 'rewards')).length === 0, 30_000, 200);

    const perOrder = await issuancesPerOrder(system, customerIds);
    expect([...perOrder.keys()].sort()).toEqual([...ids].sort());
    expect([...perOrder.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    for (const customerId of customerIds) {
      const expected = orders.filter((o) => o.customerId === customerId).reduce((sum, o) => sum + Math.floor(o.total / 100), 0);
      expect({ customerId, balance: (await system.rewards.deps.rewards.findAccount(customerId))?.balance }).toEqual({ customerId, balance: expected });
    }
    const rewardEvents = (await streamEnvelopes(redis, system, 'reward.issued')).filter((e) => customerIds.includes(e.data.customerId));
    expect(rewardEvents).toHaveLength(ORDERS);
    expect(new Set(rewardEvents.map((e) => e.data.orderId)).size).toBe(ORDERS);
    expect(await redis.xlen(`${eventStreamPrefix(system.config)}:dead-letter:${REWARDS_CONSUMER_GROUP}`)).toBe(0);

    second.kill('SIGTERM');
    await new Promise((resolveExit) => second.once('exit', resolveExit));
  }, 240_000);
});
