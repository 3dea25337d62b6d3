import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import { rewardPointsForOrders } from '../application/read-rewards';
import type { RewardsDependencies } from '../application/rewards-dependencies';

export interface CustomerRef {
  readonly id: string;
}
export interface OrderRef {
  readonly id: string;
}

export interface RewardsContext extends BaseSubgraphContext {
  readonly deps: RewardsDependencies;
  readonly loaders: { readonly rewardPoints: DataLoader<string, number | null> };
}

/** `Order.rewardPoints` for every order of one response in one BatchGetItem; a new loader per request. */
export function createRewardsLoaders(deps: RewardsDependencies, caller: RewardsContext['caller']): RewardsContext['loaders'] {
  return { rewardPoints: new DataLoader((ids: readonly string[]) => rewardPointsForOrders(deps, caller, ids), { maxBatchSize: 100 }) };
}
