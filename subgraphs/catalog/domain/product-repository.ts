import type { Page, PageRequest } from '../../../lib/ddd';
import type { Product } from './product';

/**
 * Persistence port for products. Implementations write a product's pending events in the same transaction as
 * the product (outbox) and translate storage failures into domain errors:
 * - `create` throws ConflictError when the SKU is taken,
 * - `save` throws ConflictError when the product changed since it was read (optimistic concurrency).
 */
export interface ProductRepository {
  create(product: Product): Promise<void>;
  save(product: Product): Promise<void>;
  findById(id: string): Promise<Product | null>;
  /** Products for the given ids, in no particular order; unknown ids are simply absent. */
  findByIds(ids: readonly string[]): Promise<Product[]>;
  list(query: { category?: string | undefined } & PageRequest): Promise<Page<Product>>;
}
