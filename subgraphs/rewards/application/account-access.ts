import { isAdmin, requireAuthenticated, type Caller } from '../../../lib/auth';
import { ForbiddenError } from '../../../lib/ddd';
import { RewardAccount } from '../domain/reward-account';
import type { RewardsDependencies } from './rewards-dependencies';

/** A customer's points are visible to that customer and to admins; anyone else is FORBIDDEN. */
export function assertCanSeeRewards(caller: Caller, customerId: string): void {
  const identity = requireAuthenticated(caller, 'see reward points');
  if (identity.sub !== customerId && !isAdmin(identity)) {
    throw new ForbiddenError(`the reward points of customer ${customerId} are not yours to see`, { customerId });
  }
}

/** The stored account, or a fresh empty one (BRONZE, no points) for a customer who has none yet. */
export async function loadAccount(deps: Pick<RewardsDependencies, 'rewards'>, customerId: string): Promise<RewardAccount> {
  return (await deps.rewards.findAccount(customerId)) ?? RewardAccount.open(customerId);
}
