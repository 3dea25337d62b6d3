import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { guard, withOptimisticRetry } from '../../../lib/ddd';
import { MAX_REDEMPTION, type RewardAccount } from '../domain/reward-account';
import { loadAccount } from './account-access';
import { ACCOUNT_RETRY, type RewardsDependencies } from './rewards-dependencies';

/**
 * A customer spends points. The write is conditional on the version read, and each retry re-checks the balance,
 * so concurrent redemptions never take the balance below zero: the ones that no longer fit get
 * INSUFFICIENT_POINTS.
 */
export async function redeemPoints(deps: RewardsDependencies, caller: Caller, points: number): Promise<RewardAccount> {
  // async: a refused caller or amount rejects the returned promise rather than throwing before it exists.
  const customer = requireAuthenticated(caller, 'redeem points');
  guard.integer('points', points, { min: 1, max: MAX_REDEMPTION });
  return withOptimisticRetry(async () => {
    const account = await loadAccount(deps, customer.sub);
    account.redeem(points, deps.newId(), deps.clock.now());
    await deps.rewards.save(account);
    return account;
  }, ACCOUNT_RETRY);
}
