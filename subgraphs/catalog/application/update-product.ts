import { requireAdmin, type Caller } from '../../../lib/auth';
import { withOptimisticRetry } from '../../../lib/ddd';
import type { Product, ProductChanges } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';
import { loadProduct } from './load-product';

/** A restock races every placement of the product: a few retries with a jittered backoff settle it. */
const STOCK_RACE_RETRY = { retries: 8, backoffMs: 20 } as const;

/**
 * Admin: changes name, description, category, or sets the quantity available to order now (a restock; held units
 * stay held). Holds change the available quantity all the time, so a lost race is retried against fresh state.
 */
export function updateProduct(deps: CatalogDependencies, caller: Caller, id: string, changes: ProductChanges): Promise<Product> {
  requireAdmin(caller, 'update products');
  return withOptimisticRetry(async () => {
    const product = await loadProduct(deps, id);
    product.update(changes, deps.clock.now());
    await deps.products.save(product);
    return product;
  }, STOCK_RACE_RETRY);
}
