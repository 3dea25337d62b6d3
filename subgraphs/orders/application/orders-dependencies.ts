import type { Clock } from '../../../lib/ddd';
import type { OrderRepository } from '../domain/order-repository';
import type { ProductCatalog } from './product-catalog';

/** What Orders' use cases need from the outside world. `catalog` is request-scoped (it batches per request). */
export interface OrdersDependencies {
  readonly orders: OrderRepository;
  readonly catalog: ProductCatalog;
  readonly clock: Clock;
  readonly newId: () => string;
  /** IDEMPOTENCY_KEY_TTL_SECONDS; a day when not given. */
  readonly idempotencyKeyTtlSeconds?: number;
}
