import type { DomainEvent } from '../../../lib/ddd';

/** Payload of the events Rewards publishes (docs/architecture.md §4); the wire schema lives in lib/events. */
export interface RewardEventData {
  readonly customerId: string;
  readonly points: number;
  /** Balance after the change. */
  readonly balance: number;
  readonly orderId?: string;
}

export type RewardEvent = DomainEvent<'reward.issued' | 'reward.redeemed' | 'reward.expired', RewardEventData>;
