import { requireAdmin, type Caller } from '../../../lib/auth';
import { Product, type NewProduct } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';

/** Admin: adds a product. A taken SKU is CONFLICT. */
export async function createProduct(deps: CatalogDependencies, caller: Caller, input: NewProduct): Promise<Product> {
  requireAdmin(caller, 'create products');
  const product = Product.create(input, { id: deps.newId(), now: deps.clock.now() });
  await deps.products.create(product);
  return product;
}
