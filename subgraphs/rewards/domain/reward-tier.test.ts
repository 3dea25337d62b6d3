import { describe, expect, it } from '@jest/globals';
import { TIER_THRESHOLDS, pointsFor, tierFor, type RewardTier } from './reward-tier';

/** docs/architecture.md §2: points = floor(floor(total.amount / 100) x multiplier); BRONZE 1, SILVER 1.25, GOLD 1.5. */
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('pointsFor', () => {
  it('gives 153 points for $123.45 at SILVER (the example of docs/architecture.md §2)', () => {
    expect(pointsFor(usd(12_345), 'SILVER')).toBe(153);
  });

  it.each<[number, RewardTier, number]>([
    [12_345, 'BRONZE', 123],
    [12_345, 'GOLD', 184], // floor(123 x 1.5) = floor(184.5)
    [10_000, 'BRONZE', 100],
    [10_000, 'SILVER', 125],
    [10_000, 'GOLD', 150],
    [300, 'SILVER', 3], // floor(3.75)
    [400, 'SILVER', 5],
    [300, 'GOLD', 4], // floor(4.5)
    [100, 'BRONZE', 1],
    [100, 'SILVER', 1],
    [100, 'GOLD', 1],
  ])('gives for %i cents at %s %i points', (total, tier, points) => {
    expect(pointsFor(usd(total), tier)).toBe(points);
  });

  it('drops the cents before applying the multiplier (the inner floor)', () => {
    // floor(123.99 x 1.25) would be 154; whole units first gives floor(123 x 1.25) = 153.
    expect(pointsFor(usd(12_399), 'SILVER')).toBe(153);
    // floor(1.99 x 1.5) would be 2; floor(1 x 1.5) = 1.
    expect(pointsFor(usd(199), 'GOLD')).toBe(1);
  });

  it('gives nothing for less than one whole currency unit', () => {
    expect(pointsFor(usd(0), 'GOLD')).toBe(0);
    expect(pointsFor(usd(99), 'BRONZE')).toBe(0);
    expect(pointsFor(usd(99), 'GOLD')).toBe(0);
  });

  it('stays exact for large totals (no floating-point drift)', () => {
    // 10,000,000.00: 10,000,000 x 1.25 and x 1.5 exactly.
    expect(pointsFor(usd(1_000_000_000), 'SILVER')).toBe(12_500_000);
    expect(pointsFor(usd(1_000_000_099), 'GOLD')).toBe(15_000_000);
  });
});

describe('tierFor', () => {
  it('is BRONZE below 1,000 lifetime points, SILVER from 1,000, GOLD from 5,000', () => {
    expect(TIER_THRESHOLDS).toEqual({ SILVER: 1000, GOLD: 5000 });
    expect(tierFor(0)).toBe('BRONZE');
    expect(tierFor(999)).toBe('BRONZE');
    expect(tierFor(1000)).toBe('SILVER');
    expect(tierFor(4999)).toBe('SILVER');
    expect(tierFor(5000)).toBe('GOLD');
    expect(tierFor(1_000_000)).toBe('GOLD');
  });
});

describe('pointsFor in currencies with other minor units (ISO 4217)', () => {
  it.each<[number, string, RewardTier, number]>([
    [12_345, 'JPY', 'BRONZE', 12_345], // no minor units: every yen is a whole unit
    [12_345, 'JPY', 'SILVER', 15_431], // floor(12,345 x 1.25)
    [12_345, 'KWD', 'BRONZE', 12], // three decimals: 12.345 KWD
    [12_345, 'EUR', 'GOLD', 184],
  ])('gives for %i minor units of %s at %s %i points', (amount, currency, tier, points) => {
    expect(pointsFor({ amount, currency }, tier)).toBe(points);
  });
});
