import type { Product } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';

/** Anyone: the products for `ids`, in the same order, null where an id is unknown (DataLoader-shaped). */
export async function findProducts(deps: CatalogDependencies, ids: readonly string[]): Promise<(Product | null)[]> {
  const found = await deps.products.findByIds(ids);
  const byId = new Map(found.map((product) => [product.id, product]));
  return ids.map((id) => byId.get(id) ?? null);
}
