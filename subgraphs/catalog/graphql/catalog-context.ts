import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { findProducts } from '../application/find-products';
import type { Product } from '../domain/product';

export interface CatalogContext extends BaseSubgraphContext {
  readonly deps: CatalogDependencies;
  readonly loaders: { readonly product: DataLoader<string, Product | null> };
}

/**
 * Loaders live for one request only (dataloader README: never share a cache between users or across
 * mutations). All `__resolveReference` calls of one `_entities` query land in the same tick, so they become
 * one BatchGetItem of up to 100 keys.
 */
export function createCatalogLoaders(deps: CatalogDependencies): CatalogContext['loaders'] {
  return { product: new DataLoader((ids: readonly string[]) => findProducts(deps, ids), { maxBatchSize: 100 }) };
}
