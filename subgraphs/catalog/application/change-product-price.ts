import { requireAdmin, type Caller } from '../../../lib/auth';
import { withOptimisticRetry, type MoneyProps } from '../../../lib/ddd';
import type { Product } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';
import { loadProduct } from './load-product';

/** Admin: sets a product's price. Orders placed afterwards snapshot the new price. */
export function changeProductPrice(deps: CatalogDependencies, caller: Caller, id: string, price: MoneyProps): Promise<Product> {
  requireAdmin(caller, 'change prices');
  return withOptimisticRetry(async () => {
    const product = await loadProduct(deps, id);
    product.changePrice(price, deps.clock.now());
    await deps.products.save(product);
    return product;
  });
}
