import type { Page, PageRequest } from '../../../lib/ddd';
import type { RewardAccount } from './reward-account';
import type { RewardTransaction } from './reward-transaction';

export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

/** The points issued for one order: at most one per order, ever. */
export interface OrderIssuance {
  readonly orderId: string;
  readonly customerId: string;
  readonly points: number;
}

export type IssuanceResult = 'issued' | 'already-issued' | 'duplicate-event';

/**
 * Persistence port for reward accounts. Implementations write the account, its new ledger entries and its events
 * (outbox) in one transaction, conditional on the version read, and throw ConcurrentModificationError when the
 * account changed meanwhile.
 */
export interface RewardRepository {
  findAccount(customerId: string): Promise<RewardAccount | null>;
  save(account: RewardAccount): Promise<void>;
  /**
   * Saves the account together with the order's issuance record, which can exist only once per order, and the
   * consuming event's "processed" mark: a second event for the order or a redelivery writes nothing.
   */
  saveIssuance(account: RewardAccount, issuance: OrderIssuance, causedBy: CausingEvent): Promise<IssuanceResult>;
  findIssuances(orderIds: readonly string[]): Promise<OrderIssuance[]>;
  /** Ledger entries, newest first. */
  listTransactions(customerId: string, page: PageRequest): Promise<Page<RewardTransaction>>;
  /** Sum of ISSUED points dated before `cutoff`. */
  pointsIssuedBefore(customerId: string, cutoff: Date): Promise<number>;
  /** Every customer with an account, in pages (for the expiry job). */
  listAccountIds(page: PageRequest): Promise<Page<string>>;
}
