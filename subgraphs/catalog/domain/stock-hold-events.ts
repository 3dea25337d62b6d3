import type { DomainEvent } from '../../../lib/ddd';

/** Payloads of Catalog's stock events (docs/architecture.md §4); their wire schemas live in lib/events. */
export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

export type ReleaseReason = 'cancelled' | 'expired' | 'abandoned';

export type StockHoldEvent =
  | DomainEvent<'stock.held', { readonly orderId: string; readonly lines: readonly StockLine[] }>
  | DomainEvent<'stock.released', { readonly orderId: string; readonly lines: readonly StockLine[]; readonly reason: ReleaseReason }>
  | DomainEvent<'stock.sold', { readonly orderId: string; readonly lines: readonly StockLine[] }>;
