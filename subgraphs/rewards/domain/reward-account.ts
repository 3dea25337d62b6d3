import { AggregateRoot, InsufficientPointsError, guard, type MoneyProps } from '../../../lib/ddd';
import type { RewardEvent } from './reward-events';
import { pointsFor, tierFor, type RewardTier } from './reward-tier';
import type { RewardTransaction } from './reward-transaction';

export const MAX_REDEMPTION = 10_000_000;

export interface RewardAccountState {
  readonly customerId: string;
  readonly balance: number;
  /** Every point ever issued; decides the tier. Redemption and expiry do not lower it. */
  readonly lifetimePoints: number;
  readonly redeemedPoints: number;
  readonly expiredPoints: number;
  /** Optimistic-concurrency version as read from storage; 0 for an account not stored yet. */
  readonly version: number;
}

/**
 * A customer's points: balance, lifetime points and tier, and the ledger entries its changes produce.
 * Invariant: the balance never goes below zero.
 */
export class RewardAccount extends AggregateRoot<RewardEvent> {
  private newTransactions: RewardTransaction[] = [];

  private constructor(private state: RewardAccountState) {
    super();
  }

  static open(customerId: string): RewardAccount {
    return new RewardAccount({ customerId, balance: 0, lifetimePoints: 0, redeemedPoints: 0, expiredPoints: 0, version: 0 });
  }

  static restore(state: RewardAccountState): RewardAccount {
    return new RewardAccount(state);
  }

  get customerId(): string {
    return this.state.customerId;
  }
  get balance(): number {
    return this.state.balance;
  }
  get lifetimePoints(): number {
    return this.state.lifetimePoints;
  }
  get tier(): RewardTier {
    return tierFor(this.state.lifetimePoints);
  }
  get version(): number {
    return this.state.version;
  }

  snapshot(): RewardAccountState {
    return this.state;
  }

  /** Ledger entries created since the account was loaded; the repository writes them with the account. */
  pullTransactions(): RewardTransaction[] {
    const transactions = this.newTransactions;
    this.newTransactions = [];
    return transactions;
  }

  /**
   * Points for a completed order, at the tier held before it. Returns the points issued (possibly 0, which
   * adds no ledger entry and no event: there is nothing to spend).
   */
  issueForOrder(orderId: string, orderTotal: MoneyProps, transactionId: string, now: Date): number {
    const points = pointsFor(orderTotal, this.tier);
    if (points === 0) return 0;
    this.state = { ...this.state, balance: this.state.balance + points, lifetimePoints: this.state.lifetimePoints + points };
    this.add({ id: transactionId, customerId: this.state.customerId, type: 'ISSUED', points, orderId, occurredAt: now });
    this.record({ type: 'reward.issued', occurredAt: now.toISOString(), data: { customerId: this.state.customerId, points, balance: this.state.balance, orderId } });
    return points;
  }

  redeem(points: number, transactionId: string, now: Date): void {
    guard.integer('points', points, { min: 1, max: MAX_REDEMPTION });
    if (points > this.state.balance) {
      throw new InsufficientPointsError(`cannot redeem ${points} points: the balance is ${this.state.balance}`, {
        requested: points,
        balance: this.state.balance,
      });
    }
    this.state = { ...this.state, balance: this.state.balance - points, redeemedPoints: this.state.redeemedPoints + points };
    this.add({ id: transactionId, customerId: this.state.customerId, type: 'REDEEMED', points, orderId: undefined, occurredAt: now });
    this.record({ type: 'reward.redeemed', occurredAt: now.toISOString(), data: { customerId: this.state.customerId, points, balance: this.state.balance } });
  }

  /**
   * Points issued before the cutoff that are still unspent expire. Spending is first-in first-out, so every
   * redeemed or already expired point was taken from the oldest issuances: what is left of the points issued
   * before the cutoff is their sum minus everything consumed so far. Returns the points expired now.
   */
  expire(pointsIssuedBeforeCutoff: number, transactionId: string, now: Date): number {
    const consumed = this.state.redeemedPoints + this.state.expiredPoints;
    const points = Math.min(this.state.balance, Math.max(0, pointsIssuedBeforeCutoff - consumed));
    if (points === 0) return 0;
    this.state = { ...this.state, balance: this.state.balance - points, expiredPoints: this.state.expiredPoints + points };
    this.add({ id: transactionId, customerId: this.state.customerId, type: 'EXPIRED', points, orderId: undefined, occurredAt: now });
    this.record({ type: 'reward.expired', occurredAt: now.toISOString(), data: { customerId: this.state.customerId, points, balance: this.state.balance } });
    return points;
  }

  private add(transaction: RewardTransaction): void {
    this.newTransactions.push(transaction);
  }
}
