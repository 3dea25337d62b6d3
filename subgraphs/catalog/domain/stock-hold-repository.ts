import type { MoneyProps } from '../../../lib/ddd';
import type { StockHold } from './stock-hold';

/** Identifies an event a consumer is handling, so its effect and its "processed" mark commit together. */
export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

/** Why a new hold was not stored. */
export type HoldRefusal =
  /** Another request holds stock for this order already (a concurrent retry): read it. */
  | { readonly kind: 'exists' }
  /** A product had fewer units available than the line asked for when the transaction ran. */
  | { readonly kind: 'short'; readonly productId: string; readonly requested: number; readonly available: number }
  /** A product's price changed between the read and the transaction: read again. */
  | { readonly kind: 'repriced'; readonly productId: string }
  /** A product no longer exists. */
  | { readonly kind: 'missing'; readonly productId: string }
  /** Concurrent holds on the same products kept cancelling this one (no condition failed): try again. */
  | { readonly kind: 'contended' };

/**
 * Persistence port for stock holds. Every write is one transaction over the hold, the products it concerns and
 * the outbox (and the causing event's processed mark), so a hold and the units it takes never disagree.
 */
export interface StockHoldRepository {
  findByOrderId(orderId: string): Promise<StockHold | null>;
  /**
   * Stores a new hold and takes its units, all lines or none: every product must have at least the line's quantity
   * available and still carry the price the hold snapshots (`prices`, by product id).
   */
  create(hold: StockHold, prices: ReadonlyMap<string, MoneyProps>): Promise<{ readonly stored: true } | { readonly stored: false; readonly refusal: HoldRefusal }>;
  /**
   * Stores the hold's pending change (claim, release, sale, expiry) with its effect on the products, if the hold is
   * still in the status it was read in. 'stale' when it changed meanwhile, 'duplicate' when `causedBy` was handled.
   */
  save(hold: StockHold, causedBy?: CausingEvent): Promise<'saved' | 'stale' | 'duplicate'>;
  /** Unclaimed holds whose time to live ended before `now`, oldest first. */
  listExpired(now: Date, limit: number): Promise<StockHold[]>;
}
