import type { AnyEventEnvelope } from './envelope';
import type { EventData, EventType } from './schemas';

type ProductsChangedBy = { readonly [T in EventType]?: (data: EventData<T>) => readonly string[] };

/**
 * Which products each event changes, for every cache of product data (the gateway's response and entity cache;
 * Orders' Catalog cache can use the same). An event type that changes products, stock events included, is one line.
 */
export const PRODUCT_CHANGES = {
  'product.created': (data) => [data.productId],
  'product.updated': (data) => [data.productId],
  'product.price.changed': (data) => [data.productId],
  // Stock moves change what `stockQuantity`, `inStock` and `reservedQuantity` answer.
  'stock.held': (data) => data.lines.map((line) => line.productId),
  'stock.released': (data) => data.lines.map((line) => line.productId),
  'stock.sold': (data) => data.lines.map((line) => line.productId),
} as const satisfies ProductsChangedBy;

/** Events that can change which products a list holds (a new product, a category change). */
export const PRODUCT_LIST_CHANGES: ReadonlySet<EventType> = new Set<EventType>(['product.created', 'product.updated']);

export const PRODUCT_CHANGE_EVENT_TYPES = Object.keys(PRODUCT_CHANGES) as (keyof typeof PRODUCT_CHANGES)[];

/** Catalog names products with UUIDs (`randomUUID`); nothing else can name one. */
const PRODUCT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can name a product. Ids arrive from clients (`product(id:)`, `placeOrder`, REST paths); one that
 * cannot name a product must never become a cache tag or key, where its length and characters are the caller's choice.
 */
export function isProductId(id: string): boolean {
  return PRODUCT_ID.test(id);
}

/** The tag Catalog puts on everything it serves about a product (HTTP `Cache-Tags`, GraphQL `cache-tags`). */
export function productTag(productId: string): string {
  return `product:${productId}`;
}

/** The tag of every product list Catalog serves. */
export const PRODUCT_LIST_TAG = 'products';

/** The products an event changes; empty for an event that changes none. */
export function productIdsChangedBy(envelope: AnyEventEnvelope): readonly string[] {
  const changedBy = (PRODUCT_CHANGES as ProductsChangedBy)[envelope.type] as ((data: unknown) => readonly string[]) | undefined;
  return changedBy ? changedBy(envelope.data) : [];
}

/** The cache tags an event makes stale; empty for an event that changes no product. */
export function productTagsChangedBy(envelope: AnyEventEnvelope): string[] {
  // Only a well-formed id was ever tagged (Catalog tags nothing else), so only those need dropping.
  const tags = productIdsChangedBy(envelope).filter(isProductId).map(productTag);
  if (PRODUCT_LIST_CHANGES.has(envelope.type)) tags.push(PRODUCT_LIST_TAG);
  return tags;
}
