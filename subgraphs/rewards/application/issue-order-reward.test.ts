import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rewardsHarness, type RewardsHarness } from '../test-support/rewards-harness';
import { issueRewardForCompletedOrder } from './issue-order-reward';

/** On order.completed: points once per order, at the tier held before the order, against DynamoDB Local. */

let h: RewardsHarness;
beforeAll(async () => {
  h = await rewardsHarness('issue-reward');
}, 60_000);
afterAll(() => h?.close());

let counter = 0;
const unique = (kind: string) => `${kind}-${(counter += 1)}`;

function complete(customerId: string, orderId: string, totalMinorUnits: number, eventId = unique('event'), currency = 'USD') {
  return issueRewardForCompletedOrder(h.deps, { orderId, customerId, total: { amount: totalMinorUnits, currency } }, { consumer: 'rewards', eventId });
}

async function issuedEvents(customerId: string) {
  return (await h.pendingEvents()).filter((e) => e.type === 'reward.issued' && e.data.customerId === customerId);
}

describe('issueRewardForCompletedOrder', () => {
  it('issues 153 points for $123.45 to a SILVER customer, and a reward.issued event', async () => {
    const customerId = unique('customer');
    // $1,000.00 at BRONZE: 1,000 points, which makes the customer SILVER.
    expect(await complete(customerId, unique('order'), 100_000)).toBe('issued');
    h.clock.advanceMs(1000);
    const orderId = unique('order');

    expect(await complete(customerId, orderId, 12_345)).toBe('issued');

    const account = (await h.repository.findAccount(customerId))!;
    expect(account.snapshot()).toMatchObject({ balance: 1153, lifetimePoints: 1153 });
    expect(account.tier).toBe('SILVER');
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 153 }]);
    const ledger = await h.ledger(customerId);
    expect(ledger.map((t) => [t.type, t.points, t.orderId])).toEqual([
      ['ISSUED', 153, orderId],
      ['ISSUED', 1000, expect.any(String)],
    ]);
    expect(ledger[0]!.occurredAt).toEqual(h.clock.now());
    expect((await issuedEvents(customerId)).map((e) => e.data)).toEqual(
      expect.arrayContaining([{ customerId, points: 153, balance: 1153, orderId }]),
    );
  });

  it('issues nothing for a redelivered event, even when the deliveries run concurrently', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');
    const eventId = unique('event');

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => complete(customerId, orderId, 5_000, eventId)));

    expect(outcomes.filter((o) => o === 'issued')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'issued').every((o) => o === 'duplicate-event' || o === 'already-issued')).toBe(true);
    expect((await h.repository.findAccount(customerId))?.snapshot()).toMatchObject({ balance: 50, lifetimePoints: 50 });
    expect(await h.ledger(customerId)).toHaveLength(1);
    expect(await issuedEvents(customerId)).toHaveLength(1);
    // And a late redelivery, after the fact.
    expect(await complete(customerId, orderId, 5_000, eventId)).toBe('duplicate-event');
    expect((await h.repository.findAccount(customerId))?.balance).toBe(50);
  });

  it('issues nothing for a second event about the same order (a different event id)', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');

    const outcomes = await Promise.all([complete(customerId, orderId, 7_000), complete(customerId, orderId, 7_000)]);

    expect(outcomes.sort()).toEqual(['already-issued', 'issued']);
    expect(await complete(customerId, orderId, 7_000)).toBe('already-issued');
    expect((await h.repository.findAccount(customerId))?.balance).toBe(70);
    expect(await h.ledger(customerId)).toHaveLength(1);
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 70 }]);
    expect(await issuedEvents(customerId)).toHaveLength(1);
  });

  it("issues every one of a customer's orders completed at the same time (optimistic retries on the balance)", async () => {
    const customerId = unique('customer');
    const orders = Array.from({ length: 10 }, (_, i) => ({ orderId: unique('order'), total: (i + 1) * 1_000 }));

    const outcomes = await Promise.all(orders.map((o) => complete(customerId, o.orderId, o.total)));

    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'issued'));
    // 10 + 20 + ... + 100 = 550 points, all at BRONZE.
    expect((await h.repository.findAccount(customerId))?.snapshot()).toMatchObject({ balance: 550, lifetimePoints: 550, version: 10 });
    expect((await h.ledger(customerId)).map((t) => t.points).sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const events = await issuedEvents(customerId);
    expect(events).toHaveLength(10);
    // Each event carries the balance right after its own change: 10 distinct balances ending at 550.
    expect(new Set(events.map((e) => e.data.balance)).size).toBe(10);
    expect(Math.max(...events.map((e) => e.data.balance))).toBe(550);
  });

  it('records an order worth less than one point as issued with 0 points, once', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');
    expect(await complete(customerId, orderId, 99)).toBe('issued');
    expect(await complete(customerId, orderId, 99)).toBe('already-issued');
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 0 }]);
    expect(await issuedEvents(customerId)).toEqual([]);
  });
});
