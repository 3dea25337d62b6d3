import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningSystem } from '../../scripts/system';
import {
  adminToken,
  completedOrderVia,
  createProduct,
  placeOrderVia,
  rewardPointsVia,
  transitionVia,
  waitForRewardPoints,
} from '../support/commerce';
import { errorCodes, graphql } from '../support/graphql';
import { metricValue } from '../support/metrics';
import { startTestSystem, tokenFor } from '../support/system';

/**
 * Rewards in the supergraph: Customer.rewards, Order.rewardPoints (null until issued, batched), RewardTransaction
 * .order resolved by Orders, redeemPoints, and the reward rules end to end (order.completed over the bus).
 */

let system: RunningSystem;
let url: string;
let admin: string;
let dollar123: string;
let dollar1000: string;
let dollar10: string;

beforeAll(async () => {
  system = await startTestSystem('rewards-graph', { relay: { sweepIntervalMs: 200, minAgeMs: 100 } });
  url = system.urls.gateway;
  admin = await adminToken();
  [dollar123, dollar1000, dollar10] = await Promise.all([
    createProduct(url, 'RG-12345', 12_345),
    createProduct(url, 'RG-100000', 100_000),
    createProduct(url, 'RG-1000', 1_000),
  ]);
});
afterAll(() => system?.stop());

const REWARDS = `query($first: Int, $after: String) { me { rewards { balance lifetimePoints tier
  transactions(first: $first, after: $after) { edges { cursor node { id type points occurredAt order { id status total { amount } } } } pageInfo { hasNextPage endCursor } } } } }`;

interface RewardsView {
  balance: number;
  lifetimePoints: number;
  tier: string;
  transactions: {
    edges: { cursor: string; node: { id: string; type: string; points: number; occurredAt: string; order: { id: string; status: string; total: { amount: number } } | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function rewardsOf(token: string, page: { first?: number; after?: string } = {}): Promise<RewardsView> {
  const response = await graphql<{ me: { rewards: RewardsView } }>(url, REWARDS, page, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.me.rewards;
}

describe('Order.rewardPoints and Customer.rewards', () => {
  it('are null and an empty BRONZE account before anything completes, then show the points issued on order.completed', async () => {
    const token = await tokenFor('rg-customer-1');
    expect(await rewardsOf(token)).toEqual({ balance: 0, lifetimePoints: 0, tier: 'BRONZE', transactions: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    const order = await placeOrderVia(url, token, dollar123);
    expect(order.total.amount).toBe(12_345);
    expect(await rewardPointsVia(url, token, order.id)).toBeNull();
    expect(await transitionVia(url, admin, 'confirmOrder', order.id)).toEqual({ status: 'CONFIRMED' });
    expect(await rewardPointsVia(url, token, order.id)).toBeNull();
    expect(await transitionVia(url, admin, 'completeOrder', order.id)).toEqual({ status: 'COMPLETED' });

    expect(await waitForRewardPoints(url, token, order.id)).toBe(123);
    const rewards = await rewardsOf(token);
    expect(rewards).toMatchObject({ balance: 123, lifetimePoints: 123, tier: 'BRONZE' });
    // RewardTransaction.order is a reference to Orders' Order: the gateway resolves its fields there.
    expect(rewards.transactions.edges.map((e) => e.node)).toEqual([
      { id: expect.any(String), type: 'ISSUED', points: 123, occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), order: { id: order.id, status: 'COMPLETED', total: { amount: 12_345 } } },
    ]);
  });

  it('gives 153 points for $123.45 at SILVER: the tier is the one held before the order', async () => {
    const token = await tokenFor('rg-customer-silver');
    const big = await completedOrderVia(url, token, dollar1000);
    // $1,000.00 at BRONZE: 1,000 points, not 1,250, although it makes the customer SILVER.
    expect(await waitForRewardPoints(url, token, big.id)).toBe(1000);
    expect(await rewardsOf(token)).toMatchObject({ balance: 1000, lifetimePoints: 1000, tier: 'SILVER' });

    const order = await completedOrderVia(url, token, dollar123);
    expect(await waitForRewardPoints(url, token, order.id)).toBe(153);
    expect(await rewardsOf(token)).toMatchObject({ balance: 1153, lifetimePoints: 1153, tier: 'SILVER' });
  });

  it('reaches GOLD from 5,000 lifetime points and earns x1.5 from then on', async () => {
    const token = await tokenFor('rg-customer-gold');
    // 4 x 1,000 at BRONZE then SILVER: 1,000 + 1,250 + 1,250 + 1,250 = 4,750; one more $1,000 at SILVER: 6,000.
    const first = await completedOrderVia(url, token, dollar1000, 1);
    expect(await waitForRewardPoints(url, token, first.id)).toBe(1000);
    const second = await completedOrderVia(url, token, dollar1000, 3);
    expect(await waitForRewardPoints(url, token, second.id)).toBe(3750);
    expect(await rewardsOf(token)).toMatchObject({ lifetimePoints: 4750, tier: 'SILVER' });
    const third = await completedOrderVia(url, token, dollar1000, 1);
    expect(await waitForRewardPoints(url, token, third.id)).toBe(1250);
    expect(await rewardsOf(token)).toMatchObject({ balance: 6000, lifetimePoints: 6000, tier: 'GOLD' });
    const fourth = await completedOrderVia(url, token, dollar123);
    expect(await waitForRewardPoints(url, token, fourth.id)).toBe(184);
  });

  it("hides an order's points from other customers but shows them to admins", async () => {
    const owner = await tokenFor('rg-customer-owner');
    const order = await completedOrderVia(url, owner, dollar10);
    expect(await waitForRewardPoints(url, owner, order.id)).toBe(10);
    expect(await rewardPointsVia(url, admin, order.id)).toBe(10);
    const other = await graphql(url, `query($id: ID!) { order(id: $id) { rewardPoints } }`, { id: order.id }, { token: await tokenFor('rg-someone-else') });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    const adminView = await graphql<{ order: { customer: { rewards: { balance: number } } } }>(
      url,
      `query($id: ID!) { order(id: $id) { customer { id rewards { balance } } } }`,
      { id: order.id },
      { token: admin },
    );
    expect(adminView.errors).toBeUndefined();
    expect(adminView.data!.order.customer.rewards.balance).toBe(10);
    const anonymous = await graphql(url, `{ me { rewards { balance } } }`);
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('batches the rewardPoints of every order in a response into one BatchGetItem', async () => {
    const token = await tokenFor('rg-customer-many');
    const orders = [];
    for (let i = 0; i < 12; i += 1) orders.push(await completedOrderVia(url, token, dollar10, 1 + (i % 4)));
    for (const order of orders) await waitForRewardPoints(url, token, order.id);
    const pending = await placeOrderVia(url, token, dollar10);

    const before = await metricValue(system.urls.rewards, 'dynamodb_requests_total', { operation: 'BatchGetItem' });
    const response = await graphql<{ me: { orders: { edges: { node: { id: string; rewardPoints: number | null } }[] } } }>(
      url,
      `{ me { orders(first: 50) { edges { node { id rewardPoints } } } } }`,
      {},
      { token },
    );
    const after = await metricValue(system.urls.rewards, 'dynamodb_requests_total', { operation: 'BatchGetItem' });

    expect(response.errors).toBeUndefined();
    const byId = new Map(response.data!.me.orders.edges.map((e) => [e.node.id, e.node.rewardPoints]));
    expect(byId.size).toBe(13);
    expect(orders.map((o) => byId.get(o.id))).toEqual(orders.map((_, i) => 10 * (1 + (i % 4))));
    expect(byId.get(pending.id)).toBeNull();
    expect(after - before).toBe(1);
  });

  it('pages through transactions newest first and refuses first over 100', async () => {
    const token = await tokenFor('rg-customer-pages');
    const placed = [];
    for (let i = 1; i <= 3; i += 1) {
      const order = await completedOrderVia(url, token, dollar10, i);
      await waitForRewardPoints(url, token, order.id);
      placed.push(order);
    }
    const first = await rewardsOf(token, { first: 2 });
    expect(first.transactions.edges.map((e) => e.node.points)).toEqual([30, 20]);
    expect(first.transactions.pageInfo).toEqual({ hasNextPage: true, endCursor: first.transactions.edges[1]!.cursor });
    const second = await rewardsOf(token, { first: 2, after: first.transactions.pageInfo.endCursor! });
    expect(second.transactions.edges.map((e) => [e.node.points, e.node.order?.id])).toEqual([[10, placed[0]!.id]]);
    expect(second.transactions.pageInfo.hasNextPage).toBe(false);
    const tooMany = await graphql(url, REWARDS, { first: 101 }, { token });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('redeemPoints', () => {
  it('spends points and returns the account; the ledger shows a REDEEMED entry without an order', async () => {
    const token = await tokenFor('rg-redeemer');
    const order = await completedOrderVia(url, token, dollar123);
    await waitForRewardPoints(url, token, order.id);
    const response = await graphql<{ redeemPoints: { balance: number; lifetimePoints: number; tier: string } }>(
      url,
      `mutation { redeemPoints(points: 23) { balance lifetimePoints tier } }`,
      {},
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.redeemPoints).toEqual({ balance: 100, lifetimePoints: 123, tier: 'BRONZE' });
    const rewards = await rewardsOf(token);
    expect(rewards.transactions.edges.map((e) => [e.node.type, e.node.points, e.node.order])).toEqual([
      ['REDEEMED', 23, null],
      ['ISSUED', 123, expect.objectContaining({ id: order.id })],
    ]);
  });

  it('gives exactly ten of twenty concurrent redemptions of 10 on a balance of 100; the rest get INSUFFICIENT_POINTS', async () => {
    const token = await tokenFor('rg-concurrent');
    const order = await completedOrderVia(url, token, dollar10, 10);
    expect(await waitForRewardPoints(url, token, order.id)).toBe(100);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => graphql<{ redeemPoints: { balance: number } }>(url, `mutation { redeemPoints(points: 10) { balance } }`, {}, { token })),
    );

    const successes = responses.filter((r) => r.errors === undefined);
    const failures = responses.filter((r) => r.errors !== undefined);
    // One assertion, so a failure shows both sides: which balances were reached and what the others were told.
    expect({
      balances: successes.map((r) => r.data!.redeemPoints.balance).sort((a, b) => a - b),
      failures: failures.map((r) => errorCodes(r)),
    }).toEqual({
      balances: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
      failures: Array.from({ length: 10 }, () => ['INSUFFICIENT_POINTS']),
    });
    expect(await rewardsOf(token)).toMatchObject({ balance: 0, lifetimePoints: 100 });
  });

  it('refuses bad amounts, anonymous callers, and more than the balance', async () => {
    const token = await tokenFor('rg-refused');
    const redeem = (points: number, t?: string) => graphql(url, `mutation($p: Int!) { redeemPoints(points: $p) { balance } }`, { p: points }, t ? { token: t } : {});
    expect(errorCodes(await redeem(0, token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await redeem(-5, token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await redeem(5))).toEqual(['UNAUTHENTICATED']);
    const short = await redeem(1, token);
    expect(errorCodes(short)).toEqual(['INSUFFICIENT_POINTS']);
    expect(short.errors![0]!.message).toBe('cannot redeem 1 points: the balance is 0');
  });
});

describe('cancelled orders', () => {
  it('never earn points, whether cancelled while pending or once confirmed', async () => {
    const token = await tokenFor('rg-canceller');
    const pending = await placeOrderVia(url, token, dollar123);
    const confirmed = await placeOrderVia(url, token, dollar123);
    expect(await transitionVia(url, admin, 'confirmOrder', confirmed.id)).toEqual({ status: 'CONFIRMED' });
    expect(await transitionVia(url, token, 'cancelOrder', pending.id)).toEqual({ status: 'CANCELLED' });
    expect(await transitionVia(url, admin, 'cancelOrder', confirmed.id)).toEqual({ status: 'CANCELLED' });
    expect(await transitionVia(url, admin, 'completeOrder', confirmed.id)).toEqual({ code: 'INVALID_ORDER_TRANSITION' });

    // An order completed after the cancellations: once its points are in, the cancellations have been seen too.
    const later = await completedOrderVia(url, token, dollar10);
    expect(await waitForRewardPoints(url, token, later.id)).toBe(10);
    expect(await rewardPointsVia(url, token, pending.id)).toBeNull();
    expect(await rewardPointsVia(url, token, confirmed.id)).toBeNull();
    const rewards = await rewardsOf(token);
    expect(rewards).toMatchObject({ balance: 10, lifetimePoints: 10 });
    expect(rewards.transactions.edges).toHaveLength(1);
  });
});
