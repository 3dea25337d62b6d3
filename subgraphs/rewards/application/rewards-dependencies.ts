import type { Clock } from '../../../lib/ddd';
import type { RewardRepository } from '../domain/reward-repository';

/** What Rewards' use cases need from the outside world; built by the composition root. */
export interface RewardsDependencies {
  readonly rewards: RewardRepository;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** Contention on one customer's balance is rare but real (several devices, retries): retry generously. */
export const ACCOUNT_RETRY = { retries: 30, backoffMs: 5 } as const;
