import { describe, expect, it } from '@jest/globals';
import { ErrorCode, InsufficientPointsError, ValidationError } from '../../../lib/ddd';
import { RewardAccount, type RewardAccountState } from './reward-account';

const NOW = new Date('2026-03-01T10:00:00.000Z');

function account(state: Partial<RewardAccountState> = {}): RewardAccount {
  return RewardAccount.restore({
    customerId: 'customer-1',
    balance: 0,
    lifetimePoints: 0,
    redeemedPoints: 0,
    expiredPoints: 0,
    version: 3,
    ...state,
  });
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('a new account', () => {
  it('is empty, BRONZE, and not stored yet', () => {
    const fresh = RewardAccount.open('customer-7');
    expect(fresh.snapshot()).toEqual({ customerId: 'customer-7', balance: 0, lifetimePoints: 0, redeemedPoints: 0, expiredPoints: 0, version: 0 });
    expect(fresh.tier).toBe('BRONZE');
    expect(fresh.pullTransactions()).toEqual([]);
    expect(fresh.pullEvents()).toEqual([]);
  });
});

describe('issueForOrder', () => {
  it('issues the points of the tier held before the order, with a ledger entry and a reward.issued event', () => {
    const silver = account({ balance: 40, lifetimePoints: 1000 });
    expect(silver.tier).toBe('SILVER');

    expect(silver.issueForOrder('order-1', { amount: 12_345, currency: 'USD' }, 'tx-1', NOW)).toBe(153);

    expect(silver.snapshot()).toMatchObject({ balance: 193, lifetimePoints: 1153, redeemedPoints: 0, expiredPoints: 0, version: 3 });
    expect(silver.pullTransactions()).toEqual([{ id: 'tx-1', customerId: 'customer-1', type: 'ISSUED', points: 153, orderId: 'order-1', occurredAt: NOW }]);
    expect(silver.pullEvents()).toEqual([
      { type: 'reward.issued', occurredAt: NOW.toISOString(), data: { customerId: 'customer-1', points: 153, balance: 193, orderId: 'order-1' } },
    ]);
  });

  it('takes the tier from lifetime points before the order, not after it', () => {
    const almostSilver = account({ lifetimePoints: 990, balance: 990 });
    // 100 points at BRONZE (not 125): the order that crosses 1,000 is still earned at BRONZE.
    expect(almostSilver.issueForOrder('order-1', { amount: 10_000, currency: 'USD' }, 'tx-1', NOW)).toBe(100);
    expect(almostSilver.lifetimePoints).toBe(1090);
    expect(almostSilver.tier).toBe('SILVER');
    // The next order earns at SILVER.
    expect(almostSilver.issueForOrder('order-2', { amount: 10_000, currency: 'USD' }, 'tx-2', NOW)).toBe(125);

    const almostGold = account({ lifetimePoints: 4999 });
    expect(almostGold.issueForOrder('order-3', { amount: 10_000, currency: 'USD' }, 'tx-3', NOW)).toBe(125);
    expect(almostGold.tier).toBe('GOLD');
    expect(almostGold.issueForOrder('order-4', { amount: 10_000, currency: 'USD' }, 'tx-4', NOW)).toBe(150);
  });

  it('keeps the tier when points are spent or expire: lifetime points never go down', () => {
    const gold = account({ balance: 5000, lifetimePoints: 5000 });
    gold.redeem(4000, 'tx-r', NOW);
    gold.expire(5000, 'tx-e', NOW);
    expect(gold.balance).toBe(0);
    expect(gold.lifetimePoints).toBe(5000);
    expect(gold.tier).toBe('GOLD');
    expect(gold.issueForOrder('order-1', { amount: 10_000, currency: 'USD' }, 'tx-1', NOW)).toBe(150);
  });

  it('adds nothing for an order worth no points', () => {
    const bronze = account({ balance: 7, lifetimePoints: 7 });
    expect(bronze.issueForOrder('order-1', { amount: 99, currency: 'USD' }, 'tx-1', NOW)).toBe(0);
    expect(bronze.snapshot()).toMatchObject({ balance: 7, lifetimePoints: 7 });
    expect(bronze.pullTransactions()).toEqual([]);
    expect(bronze.pullEvents()).toEqual([]);
  });
});

describe('redeem', () => {
  it('spends points, with a ledger entry and a reward.redeemed event', () => {
    const rich = account({ balance: 100, lifetimePoints: 1200 });
    rich.redeem(30, 'tx-1', NOW);
    expect(rich.snapshot()).toMatchObject({ balance: 70, lifetimePoints: 1200, redeemedPoints: 30, expiredPoints: 0 });
    expect(rich.tier).toBe('SILVER');
    expect(rich.pullTransactions()).toEqual([{ id: 'tx-1', customerId: 'customer-1', type: 'REDEEMED', points: 30, orderId: undefined, occurredAt: NOW }]);
    expect(rich.pullEvents()).toEqual([
      { type: 'reward.redeemed', occurredAt: NOW.toISOString(), data: { customerId: 'customer-1', points: 30, balance: 70 } },
    ]);
  });

  it('may take the balance to exactly zero', () => {
    const some = account({ balance: 100, lifetimePoints: 100 });
    some.redeem(100, 'tx-1', NOW);
    expect(some.balance).toBe(0);
  });

  it('refuses more than the balance with INSUFFICIENT_POINTS, changing nothing', () => {
    const some = account({ balance: 100, lifetimePoints: 100, redeemedPoints: 5 });
    const error = thrown(() => some.redeem(101, 'tx-1', NOW));
    expect(error).toBeInstanceOf(InsufficientPointsError);
    expect((error as InsufficientPointsError).code).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect((error as InsufficientPointsError).message).toBe('cannot redeem 101 points: the balance is 100');
    expect((error as InsufficientPointsError).details).toEqual({ requested: 101, balance: 100 });
    expect(some.snapshot()).toMatchObject({ balance: 100, redeemedPoints: 5 });
    expect(some.pullTransactions()).toEqual([]);
    expect(some.pullEvents()).toEqual([]);
  });

  it.each([0, -5, 1.5, Number.NaN, 10_000_001])('refuses %p points with BAD_USER_INPUT', (points) => {
    const rich = account({ balance: 100_000_000, lifetimePoints: 100_000_000 });
    const error = thrown(() => rich.redeem(points, 'tx-1', NOW));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as ValidationError).field).toBe('points');
    expect(rich.balance).toBe(100_000_000);
    expect(rich.pullTransactions()).toEqual([]);
  });
});

describe('expire (first in, first out)', () => {
  it('expires every unspent point issued before the cutoff, with a ledger entry and a reward.expired event', () => {
    // 100 old points, 50 recent ones, nothing spent: the 100 old ones expire.
    const held = account({ balance: 150, lifetimePoints: 150 });
    expect(held.expire(100, 'tx-1', NOW)).toBe(100);
    expect(held.snapshot()).toMatchObject({ balance: 50, lifetimePoints: 150, redeemedPoints: 0, expiredPoints: 100 });
    expect(held.pullTransactions()).toEqual([{ id: 'tx-1', customerId: 'customer-1', type: 'EXPIRED', points: 100, orderId: undefined, occurredAt: NOW }]);
    expect(held.pullEvents()).toEqual([
      { type: 'reward.expired', occurredAt: NOW.toISOString(), data: { customerId: 'customer-1', points: 100, balance: 50 } },
    ]);
  });

  it('counts redeemed points as taken from the oldest issuances', () => {
    // Old 100, recent 50, 30 redeemed: the 30 came out of the old 100, so 70 expire and the recent 50 stay.
    const spent = account({ balance: 120, lifetimePoints: 150, redeemedPoints: 30 });
    expect(spent.expire(100, 'tx-1', NOW)).toBe(70);
    expect(spent.balance).toBe(50);
  });

  it('expires nothing when the old points were all spent, even into the recent ones', () => {
    // Old 100, recent 50, 120 redeemed: all 100 old points and 20 recent ones are gone; the 30 left are recent.
    const spent = account({ balance: 30, lifetimePoints: 150, redeemedPoints: 120 });
    expect(spent.expire(100, 'tx-1', NOW)).toBe(0);
    expect(spent.balance).toBe(30);
    expect(spent.pullTransactions()).toEqual([]);
    expect(spent.pullEvents()).toEqual([]);
  });

  it('never expires the same points twice: what expired before counts as consumed', () => {
    const held = account({ balance: 150, lifetimePoints: 150 });
    expect(held.expire(100, 'tx-1', NOW)).toBe(100);
    expect(held.expire(100, 'tx-2', NOW)).toBe(0);
    // A year later the 50 that were recent are old too: only they expire.
    expect(held.expire(150, 'tx-3', NOW)).toBe(50);
    expect(held.snapshot()).toMatchObject({ balance: 0, expiredPoints: 150, redeemedPoints: 0 });
  });

  it('combines earlier expiries and redemptions', () => {
    // Issued 100 (t1), 200 (t2), 300 (t3). At cutoff after t1: 100 expired. Then 250 redeemed (from t2's 200 and
    // 50 of t3's). At a cutoff after t2: 100 + 200 issued before it, 100 + 250 consumed: nothing left of them.
    const mixed = account({ balance: 250, lifetimePoints: 600, expiredPoints: 100, redeemedPoints: 250 });
    expect(mixed.expire(300, 'tx-1', NOW)).toBe(0);
    // At a cutoff after t3: all 600 issued before it, 350 consumed: the remaining 250 expire.
    expect(mixed.expire(600, 'tx-2', NOW)).toBe(250);
    expect(mixed.balance).toBe(0);
  });

  it('never takes the balance below zero', () => {
    const inconsistent = account({ balance: 10, lifetimePoints: 500 });
    expect(inconsistent.expire(500, 'tx-1', NOW)).toBe(10);
    expect(inconsistent.balance).toBe(0);
  });
});
