import { createHash } from 'node:crypto';
import type { MoneyProps } from '../../../lib/ddd';
import { productTag } from '../../../lib/events/product-changes';
import type { Product } from '../domain/product';

/** Catalog's published REST representation of a product: the contract its HTTP readers (the Orders ACL) translate from. */
export interface ProductRepresentation {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly price: MoneyProps;
  readonly stockQuantity: number;
  readonly inStock: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function representProduct(product: Product): ProductRepresentation {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    category: product.category,
    price: { amount: product.price.amount, currency: product.price.currency },
    stockQuantity: product.stockQuantity,
    inStock: product.inStock,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/**
 * A strong validator: a digest of the exact bytes sent. Every change to a product changes `updatedAt` and so
 * the bytes, so the tag changes whenever the product does and is equal only for identical representations.
 */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Tags the Orders cache invalidates by (docs/architecture.md §1). Category names may hold spaces, so they are URI-encoded. */
export function cacheTagsOf(products: readonly Product[]): string {
  const tags = new Set<string>();
  for (const product of products) {
    tags.add(productTag(product.id));
    tags.add(`category:${encodeURIComponent(product.category)}`);
  }
  return [...tags].join(',');
}
