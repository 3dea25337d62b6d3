import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError, ErrorCode } from '../../../lib/ddd';
import { rewardsHarness, type RewardsHarness } from '../test-support/rewards-harness';
import { issueRewardForCompletedOrder } from './issue-order-reward';
import { redeemPoints } from './redeem-points';

/** redeemPoints: a conditional write on the version read, so concurrent redemptions never overdraw. */

let h: RewardsHarness;
beforeAll(async () => {
  h = await rewardsHarness('redeem');
}, 60_000);
afterAll(() => h?.close());

let counter = 0;
const unique = (kind: string) => `${kind}-${(counter += 1)}`;
const customer = (sub: string) => ({ sub, roles: [] });

async function withBalance(points: number): Promise<string> {
  const customerId = unique('customer');
  await issueRewardForCompletedOrder(h.deps, { orderId: unique('order'), customerId, total: { amount: points * 100, currency: 'USD' } }, { consumer: 'rewards', eventId: unique('event') });
  expect((await h.repository.findAccount(customerId))?.balance).toBe(points);
  return customerId;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected the redemption to fail');
}

describe('redeemPoints', () => {
  it('gives exactly ten of twenty concurrent redemptions of 10 on a balance of 100, and leaves 0', async () => {
    const customerId = await withBalance(100);

    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => redeemPoints(h.deps, customer(customerId), 10)));

    const succeeded = settled.filter((s) => s.status === 'fulfilled');
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    expect(failed).toHaveLength(10);
    expect(failed.map((f) => (f.reason as AppError).code)).toEqual(Array.from({ length: 10 }, () => ErrorCode.INSUFFICIENT_POINTS));
    expect((await h.repository.findAccount(customerId))?.snapshot()).toMatchObject({ balance: 0, lifetimePoints: 100, redeemedPoints: 100 });
    const redeemed = (await h.ledger(customerId)).filter((t) => t.type === 'REDEEMED');
    expect(redeemed.map((t) => t.points)).toEqual(Array.from({ length: 10 }, () => 10));
    const events = (await h.pendingEvents()).filter((e) => e.type === 'reward.redeemed' && e.data.customerId === customerId);
    expect(events.map((e) => e.data.balance).sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('returns the account after the redemption, with a ledger entry and a reward.redeemed event', async () => {
    const customerId = await withBalance(250);
    const account = await redeemPoints(h.deps, customer(customerId), 75);
    expect(account.balance).toBe(175);
    expect(account.lifetimePoints).toBe(250);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(175);
    const [latest] = await h.ledger(customerId);
    expect(latest).toMatchObject({ type: 'REDEEMED', points: 75, orderId: undefined, occurredAt: h.clock.now() });
    const events = (await h.pendingEvents()).filter((e) => e.type === 'reward.redeemed' && e.data.customerId === customerId);
    expect(events.map((e) => e.data)).toEqual([{ customerId, points: 75, balance: 175 }]);
  });

  it('refuses more than the balance with INSUFFICIENT_POINTS, and a customer without points too', async () => {
    const customerId = await withBalance(30);
    expect(await codeOf(redeemPoints(h.deps, customer(customerId), 31))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(30);

    const newcomer = unique('customer');
    expect(await codeOf(redeemPoints(h.deps, customer(newcomer), 1))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await h.repository.findAccount(newcomer)).toBeNull();
  });

  it.each([0, -10, 2.5])('refuses %p points with BAD_USER_INPUT', async (points) => {
    const customerId = await withBalance(20);
    expect(await codeOf(redeemPoints(h.deps, customer(customerId), points))).toBe(ErrorCode.BAD_USER_INPUT);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(20);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    expect(await codeOf(redeemPoints(h.deps, null, 10))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it("spends the caller's own points only", async () => {
    const alice = await withBalance(40);
    const bob = await withBalance(40);
    await redeemPoints(h.deps, customer(bob), 15);
    expect((await h.repository.findAccount(alice))?.balance).toBe(40);
    expect((await h.repository.findAccount(bob))?.balance).toBe(25);
  });
});
