import { wholeUnits, type MoneyProps } from '../../../lib/ddd';

export type RewardTier = 'BRONZE' | 'SILVER' | 'GOLD';

/** docs/architecture.md §2: SILVER from 1,000 lifetime points, GOLD from 5,000. */
export const TIER_THRESHOLDS = { SILVER: 1_000, GOLD: 5_000 } as const;

export function tierFor(lifetimePoints: number): RewardTier {
  if (lifetimePoints >= TIER_THRESHOLDS.GOLD) return 'GOLD';
  if (lifetimePoints >= TIER_THRESHOLDS.SILVER) return 'SILVER';
  return 'BRONZE';
}

/** Multipliers in quarters (BRONZE 1, SILVER 1.25, GOLD 1.5), so points are computed in exact integers. */
const MULTIPLIER_QUARTERS: Readonly<Record<RewardTier, number>> = { BRONZE: 4, SILVER: 5, GOLD: 6 };

/**
 * docs/architecture.md §2: points = floor(floor(total.amount / 10^digits) x multiplier), i.e. whole currency units (the ISO
 * 4217 minor units of the order's currency: 2 for USD, 0 for JPY, 3 for KWD) times the multiplier of the tier held
 * before the order, rounded down. $123.45 at SILVER -> floor(123 x 1.25) = 153; JPY 12,345 at BRONZE -> 12,345.
 */
export function pointsFor(total: MoneyProps, tierBefore: RewardTier): number {
  return Math.floor((wholeUnits(total.amount, total.currency) * MULTIPLIER_QUARTERS[tierBefore]) / 4);
}
