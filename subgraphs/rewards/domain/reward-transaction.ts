export type RewardTransactionType = 'ISSUED' | 'REDEEMED' | 'EXPIRED';

/** One entry of a customer's points ledger. Entries are never changed once written. */
export interface RewardTransaction {
  readonly id: string;
  readonly customerId: string;
  readonly type: RewardTransactionType;
  readonly points: number;
  /** The order that earned the points (ISSUED only). */
  readonly orderId: string | undefined;
  readonly occurredAt: Date;
}
