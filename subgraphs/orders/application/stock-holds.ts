import type { MoneyProps } from '../../../lib/ddd';

/** One line of held stock, with the name and price Catalog snapshotted when it took the units. */
export interface HeldLine {
  readonly productId: string;
  readonly quantity: number;
  readonly productName: string;
  readonly unitPrice: MoneyProps;
}

export interface HeldStock {
  readonly orderId: string;
  readonly lines: readonly HeldLine[];
}

/**
 * Port to Catalog's stock: holds units for an order before it is written (all lines or none, keyed by the order
 * id: asking again for the same order answers the same hold), and gives them back when the order could not be
 * written. Never answered from a cache: Catalog unreachable is CatalogUnavailableError (CATALOG_UNAVAILABLE).
 * `hold` throws NotFoundError (unknown product, details.productId), ProductUnavailableError (short line, details
 * productId/requested/available), ValidationError (mixed currencies) or ConflictError (the order id holds other
 * stock, or its hold was closed).
 */
export interface StockHolds {
  hold(request: { readonly orderId: string; readonly customerId: string; readonly lines: readonly { readonly productId: string; readonly quantity: number }[] }): Promise<HeldStock>;
  release(orderId: string): Promise<void>;
}
