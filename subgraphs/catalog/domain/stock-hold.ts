import { AggregateRoot, ConflictError, type MoneyProps } from '../../../lib/ddd';
import type { ReleaseReason, StockHoldEvent, StockLine } from './stock-hold-events';

/**
 * HELD      units taken off the available quantity for an order being placed; no order claims them yet
 * CLAIMED   the order exists (its order.created arrived): the hold lives until the order is cancelled or completed
 * RELEASED  the units went back to the available quantity (order cancelled, or placing it failed)
 * EXPIRED   no order claimed the hold within its time to live: the units went back
 * SOLD      the order completed: the units left the stock for good
 */
export type StockHoldStatus = 'HELD' | 'CLAIMED' | 'RELEASED' | 'EXPIRED' | 'SOLD';

/** One product of a hold with the snapshot the order is priced from: Catalog's own data when the units were taken. */
export interface HeldLine extends StockLine {
  readonly productName: string;
  readonly unitPrice: MoneyProps;
}

export interface StockHoldState {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly HeldLine[];
  readonly status: StockHoldStatus;
  readonly heldAt: Date;
  /** When an unclaimed hold is released by the sweep. */
  readonly expiresAt: Date;
  readonly updatedAt: Date;
}

/** What a status change does to the products' figures, for the repository to apply in the same transaction. */
export type StockEffect = 'take' | 'return' | 'sell' | 'none';

const OPEN: readonly StockHoldStatus[] = ['HELD', 'CLAIMED'];

/**
 * Units of products held for one order, keyed by the order id (a retried hold finds the first one). Catalog owns
 * it; Orders only asks for it through the internal stock-holds command and refers to it by order id.
 */
export class StockHold extends AggregateRoot<StockHoldEvent> {
  private change: { readonly from: StockHoldStatus | undefined; readonly effect: StockEffect } | undefined;

  private constructor(private state: StockHoldState) {
    super();
  }

  static place(input: { orderId: string; customerId: string; lines: readonly HeldLine[]; now: Date; ttlSeconds: number }): StockHold {
    const hold = new StockHold({
      orderId: input.orderId,
      customerId: input.customerId,
      lines: input.lines,
      status: 'HELD',
      heldAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000),
      updatedAt: input.now,
    });
    hold.change = { from: undefined, effect: 'take' };
    hold.record({ type: 'stock.held', occurredAt: input.now.toISOString(), data: { orderId: input.orderId, lines: hold.stockLines() } });
    return hold;
  }

  static restore(state: StockHoldState): StockHold {
    return new StockHold(state);
  }

  get orderId(): string {
    return this.state.orderId;
  }
  get customerId(): string {
    return this.state.customerId;
  }
  get lines(): readonly HeldLine[] {
    return this.state.lines;
  }
  get status(): StockHoldStatus {
    return this.state.status;
  }
  get heldAt(): Date {
    return this.state.heldAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get isOpen(): boolean {
    return OPEN.includes(this.state.status);
  }
  /** The change waiting to be stored: the status it was read in, and what it does to the products. */
  get pendingChange(): { readonly from: StockHoldStatus | undefined; readonly effect: StockEffect } | undefined {
    return this.change;
  }

  snapshot(): StockHoldState {
    return this.state;
  }

  stockLines(): StockLine[] {
    return this.state.lines.map(({ productId, quantity }) => ({ productId, quantity }));
  }

  /** Whether a request for these lines is the one this hold answered (same products, same quantities). */
  holdsExactly(lines: readonly StockLine[]): boolean {
    const wanted = new Map(lines.map((line) => [line.productId, line.quantity]));
    return wanted.size === this.state.lines.length && this.state.lines.every((line) => wanted.get(line.productId) === line.quantity);
  }

  /** The order exists: it now owns the hold, which the expiry sweep never touches. Returns false when nothing changes. */
  claim(now: Date): boolean {
    if (this.state.status !== 'HELD') return false;
    this.transition('CLAIMED', 'none', now);
    return true;
  }

  /** Gives the units back. Returns false when the hold is no longer open (already released, expired or sold). */
  release(reason: Exclude<ReleaseReason, 'expired'>, now: Date): boolean {
    if (!this.isOpen) return false;
    if (reason === 'abandoned' && this.state.status !== 'HELD') {
      throw new ConflictError(`the stock held for order ${this.state.orderId} belongs to a placed order; cancel the order instead`, { orderId: this.state.orderId });
    }
    this.transition('RELEASED', 'return', now);
    this.record({ type: 'stock.released', occurredAt: now.toISOString(), data: { orderId: this.state.orderId, lines: this.stockLines(), reason } });
    return true;
  }

  /** The order completed: the held units are sold. Returns false when the hold is no longer open. */
  sell(now: Date): boolean {
    if (!this.isOpen) return false;
    this.transition('SOLD', 'sell', now);
    this.record({ type: 'stock.sold', occurredAt: now.toISOString(), data: { orderId: this.state.orderId, lines: this.stockLines() } });
    return true;
  }

  /** No order claimed the hold in time: the units go back. Returns false for a claimed, closed or unexpired hold. */
  expire(now: Date): boolean {
    if (this.state.status !== 'HELD' || now.getTime() < this.state.expiresAt.getTime()) return false;
    this.transition('EXPIRED', 'return', now);
    this.record({ type: 'stock.released', occurredAt: now.toISOString(), data: { orderId: this.state.orderId, lines: this.stockLines(), reason: 'expired' } });
    return true;
  }

  /** Called by the repository once the change is stored. */
  markStored(): void {
    this.change = undefined;
  }

  private transition(to: StockHoldStatus, effect: StockEffect, now: Date): void {
    this.change = { from: this.state.status, effect };
    this.state = { ...this.state, status: to, updatedAt: now };
  }
}
