import type { Clock } from '../../../lib/ddd';
import type { ProductRepository } from '../domain/product-repository';
import type { StockHoldRepository } from '../domain/stock-hold-repository';

/** What Catalog's use cases need from the outside world; built by the composition root. */
export interface CatalogDependencies {
  readonly products: ProductRepository;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly holds: StockHoldRepository;
  /** How long a hold no order claims keeps its units (STOCK_HOLD_TTL_SECONDS). */
  readonly holdTtlSeconds: number;
}
