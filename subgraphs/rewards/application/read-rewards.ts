import { isAdmin, type Caller } from '../../../lib/auth';
import { pageRequest, type Page } from '../../../lib/ddd';
import type { RewardAccount } from '../domain/reward-account';
import type { RewardTransaction } from '../domain/reward-transaction';
import { assertCanSeeRewards, loadAccount } from './account-access';
import type { RewardsDependencies } from './rewards-dependencies';

type Deps = Pick<RewardsDependencies, 'rewards'>;

/** The customer themself or an admin: the customer's account (an empty BRONZE one before any points). */
export async function getRewardAccount(deps: Deps, caller: Caller, customerId: string): Promise<RewardAccount> {
  assertCanSeeRewards(caller, customerId);
  return loadAccount(deps, customerId);
}

/** The customer themself or an admin: ledger entries, newest first. */
export function listRewardTransactions(
  deps: Deps,
  caller: Caller,
  customerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<RewardTransaction>> {
  assertCanSeeRewards(caller, customerId);
  return deps.rewards.listTransactions(customerId, pageRequest(args.first, args.after));
}

/**
 * Points issued per order, in the order of `orderIds`: null until issued, and null for orders the caller
 * may not see (their owner's points are not the caller's business). DataLoader-shaped.
 */
export async function rewardPointsForOrders(deps: Deps, caller: Caller, orderIds: readonly string[]): Promise<(number | null)[]> {
  if (caller === null) return orderIds.map(() => null);
  const issuances = await deps.rewards.findIssuances(orderIds);
  const byOrder = new Map(issuances.map((issuance) => [issuance.orderId, issuance]));
  return orderIds.map((orderId) => {
    const issuance = byOrder.get(orderId);
    if (!issuance) return null;
    return issuance.customerId === caller.sub || isAdmin(caller) ? issuance.points : null;
  });
}
