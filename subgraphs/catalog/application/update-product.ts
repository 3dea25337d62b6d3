import { requireAdmin, type Caller } from '../../../lib/auth';
import { withOptimisticRetry } from '../../../lib/ddd';
import type { Product, ProductChanges } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';
import { loadProduct } from './load-product';

/** Admin: changes name, description, category or stock figure. */
export function updateProduct(deps: CatalogDependencies, caller: Caller, id: string, changes: ProductChanges): Promise<Product> {
  requireAdmin(caller, 'update products');
  return withOptimisticRetry(async () => {
    const product = await loadProduct(deps, id);
    product.update(changes, deps.clock.now());
    await deps.products.save(product);
    return product;
  });
}
