import type { Clock } from '../../../lib/ddd';
import type { OrderRepository } from '../domain/order-repository';
import type { ProductCatalog } from './product-catalog';
import type { StockHolds } from './stock-holds';

/** What Orders' use cases need from the outside world. `catalog` is request-scoped (it batches per request). */
export interface OrdersDependencies {
  readonly orders: OrderRepository;
  readonly catalog: ProductCatalog;
  readonly clock: Clock;
  readonly newId: () => string;
  /** IDEMPOTENCY_KEY_TTL_SECONDS; a day when not given. */
  readonly idempotencyKeyTtlSeconds?: number;
  /** Catalog's stock: placeOrder holds units here before it writes the order. */
  readonly stock: StockHolds;
}
