import { pageRequest, type Page } from '../../../lib/ddd';
import type { Product } from '../domain/product';
import type { CatalogDependencies } from './catalog-dependencies';

/** Anyone: one page of products, optionally of one category, in the order they were added. */
export function listProducts(
  deps: CatalogDependencies,
  args: { category?: string | null; first?: number | null; after?: string | null },
): Promise<Page<Product>> {
  return deps.products.list({ ...pageRequest(args.first, args.after), category: args.category ?? undefined });
}
