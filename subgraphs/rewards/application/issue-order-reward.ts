import { withOptimisticRetry, type MoneyProps } from '../../../lib/ddd';
import type { CausingEvent, IssuanceResult } from '../domain/reward-repository';
import { loadAccount } from './account-access';
import { ACCOUNT_RETRY, type RewardsDependencies } from './rewards-dependencies';

export interface CompletedOrder {
  readonly orderId: string;
  readonly customerId: string;
  /** The order's total in minor units of its currency: points count whole units of that currency. */
  readonly total: MoneyProps;
}

/**
 * On `order.completed`: issue the order's points once. The issuance record (one per order) and the event's
 * processed mark commit with the balance change, so a redelivered event or a second event for the same order
 * issues nothing.
 */
export function issueRewardForCompletedOrder(deps: RewardsDependencies, order: CompletedOrder, causedBy: CausingEvent): Promise<IssuanceResult> {
  return withOptimisticRetry(async () => {
    const account = await loadAccount(deps, order.customerId);
    const points = account.issueForOrder(order.orderId, order.total, deps.newId(), deps.clock.now());
    return deps.rewards.saveIssuance(account, { orderId: order.orderId, customerId: order.customerId, points }, causedBy);
  }, ACCOUNT_RETRY);
}
