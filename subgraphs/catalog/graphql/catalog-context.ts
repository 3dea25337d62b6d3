import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { findProducts } from '../application/find-products';
import { isProductId, productTag } from '../../../lib/events/product-changes';
import type { Product } from '../domain/product';

export interface CatalogContext extends BaseSubgraphContext {
  readonly deps: CatalogDependencies;
  readonly loaders: { readonly product: DataLoader<string, Product | null> };
  /** Tags of the products this request served, sent as `cache-tags` so caches of the response can be invalidated. */
  readonly cacheTags: Set<string>;
}

/**
 * Loaders live for one request only (dataloader README: never share a cache between users or across
 * mutations). All `__resolveReference` calls of one `_entities` query land in the same tick, so they become
 * one BatchGetItem of up to 100 keys.
 */
export function createCatalogLoaders(deps: CatalogDependencies, cacheTags: Set<string>): CatalogContext['loaders'] {
  return {
    product: new DataLoader(
      async (ids: readonly string[]) => {
        // Unknown ids are tagged too, so a product created under that id later invalidates the cached null; an id
        // that cannot name a product never will, and is not tagged (its length and bytes are the caller's choice).
        for (const id of ids) if (isProductId(id)) cacheTags.add(productTag(id));
        return findProducts(deps, ids);
      },
      { maxBatchSize: 100 },
    ),
  };
}
