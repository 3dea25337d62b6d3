import type { DomainEvent, MoneyProps } from '../../../lib/ddd';

/** Payloads of the events Catalog publishes (docs/architecture.md §4); their wire schemas live in lib/events. */
export interface ProductCreatedData {
  readonly productId: string;
  readonly sku: string;
  readonly category: string;
  readonly name: string;
  readonly price: MoneyProps;
  readonly stockQuantity: number;
}

export interface ProductUpdatedData {
  readonly productId: string;
  readonly sku: string;
  readonly category: string;
  /** Names of the fields whose value changed. */
  readonly changed: readonly string[];
  /** Present when the category changed, so caches keyed by the old category can be invalidated too. */
  readonly previousCategory?: string;
}

export interface ProductPriceChangedData {
  readonly productId: string;
  readonly sku: string;
  readonly category: string;
  readonly oldPrice: MoneyProps;
  readonly newPrice: MoneyProps;
}

export type ProductEvent =
  | DomainEvent<'product.created', ProductCreatedData>
  | DomainEvent<'product.updated', ProductUpdatedData>
  | DomainEvent<'product.price.changed', ProductPriceChangedData>;
