import type { MoneyProps } from '../../../lib/ddd';

/**
 * What Orders needs to know about a product when it is ordered: Orders' own model, not Catalog's. The
 * anti-corruption layer in infrastructure/ translates Catalog's representation into this and nothing else.
 */
export interface ProductInfo {
  readonly id: string;
  readonly name: string;
  readonly unitPrice: MoneyProps;
  /** Units Catalog reports in stock: an order line for more is PRODUCT_UNAVAILABLE. */
  readonly availableQuantity: number;
}

/**
 * Port to the product catalog. `getProducts` answers in the order of `ids`, with null for ids Catalog does not
 * know; it throws CatalogUnavailableError (CATALOG_UNAVAILABLE) when Catalog cannot answer for a product that is
 * not cached, within the configured timeout.
 */
export interface ProductCatalog {
  getProducts(ids: readonly string[]): Promise<(ProductInfo | null)[]>;
}

/** Drops cached product data so the next read goes to Catalog (wired to product.updated / product.price.changed). */
export interface ProductCacheInvalidator {
  invalidateProducts(ids: readonly string[]): Promise<void>;
}
