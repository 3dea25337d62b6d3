import { createHash } from 'node:crypto';
import { CatalogUnavailableError, NotFoundError, describeValue } from '../../../lib/ddd';
import type { PricedLine } from '../domain/order';
import type { IdempotencyClaim } from '../domain/order-repository';
import type { OrdersDependencies } from './orders-dependencies';

type Deps = Pick<OrdersDependencies, 'stock' | 'newId' | 'orders'>;

/**
 * The id of the order a placement creates. With an idempotency key it is derived from the customer, the key and
 * the request's fingerprint, so every repetition of the call (also concurrent ones, also after Catalog crashed
 * mid-hold) asks Catalog to hold stock for the same order id and gets the one hold it made: one order, one hold.
 * Another cart under the same key gets another id (and CONFLICT if the key is taken: idempotency-key.ts), so a
 * key whose request was refused stays usable. A key reused after it expired names a new order: the id then also
 * derives from the order the expired claim named (`supersedes`), which every concurrent reuse reads alike.
 * Without a key the id is fresh.
 */
export function orderIdFor(deps: Pick<OrdersDependencies, 'newId'>, claim: IdempotencyClaim | undefined, supersedes?: string): string {
  if (claim === undefined) return deps.newId();
  const hex = createHash('sha256')
    .update(['order-id/v2', claim.customerId, claim.key, claim.fingerprint, ...(supersedes === undefined ? [] : [supersedes])].join('\n'))
    .digest('hex');
  // Shaped as a UUID (version 8, "custom", RFC 9562 5.8) like every other order id.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Holds stock for every line in Catalog before the order is written (docs/architecture.md §4), and prices the lines from
 * the hold: names and prices are Catalog's own at the moment the units were taken, never a cached view. A line
 * naming an unknown product is NOT_FOUND at the position the client sent it.
 */
export async function holdStockForOrder(
  deps: Deps,
  order: { readonly orderId: string; readonly customerId: string; readonly lines: readonly { productId: string; quantity: number }[] },
  requested: readonly { readonly productId: string }[],
): Promise<PricedLine[]> {
  try {
    const held = await deps.stock.hold(order);
    return held.lines.map((line) => ({ productId: line.productId, productName: line.productName, unitPrice: line.unitPrice, quantity: line.quantity }));
  } catch (error) {
    if (error instanceof NotFoundError && typeof error.details?.['productId'] === 'string') throw unknownProduct(error.details['productId'], requested);
    throw error;
  }
}

/**
 * Refuses a cart naming a product Catalog does not know, read through the catalog port (the ACL: batched per
 * request, cached, invalidated by Catalog's events) before any stock is asked for: an unknown id costs a read, not
 * a hold. Only existence is taken from it; stock, names and prices come from the hold. When the read model cannot
 * answer (Catalog down and nothing cached), the hold decides alone: this check never adds a way to fail.
 */
export async function requireKnownProducts(
  deps: Pick<OrdersDependencies, 'catalog'>,
  lines: readonly { readonly productId: string }[],
  requested: readonly { readonly productId: string }[],
): Promise<void> {
  let products: Awaited<ReturnType<OrdersDependencies['catalog']['getProducts']>>;
  try {
    products = await deps.catalog.getProducts(lines.map((line) => line.productId));
  } catch (error) {
    if (error instanceof CatalogUnavailableError) return;
    throw error;
  }
  const unknown = lines.find((_, index) => !products[index]);
  if (unknown) throw unknownProduct(unknown.productId, requested);
}

/** NOT_FOUND naming the position the client sent: lines are merged by product, so not the merged line's. */
function unknownProduct(productId: string, requested: readonly { readonly productId: string }[]): NotFoundError {
  const position = requested.findIndex((item) => item.productId === productId);
  return new NotFoundError(`no product with id ${describeValue(productId)}`, { field: `items[${Math.max(position, 0)}].productId`, value: productId });
}

/**
 * Placing failed after the hold and the order was not written: give the units back now instead of when the hold
 * expires. Best effort: if Catalog cannot be told, the expiry sweep releases them (STOCK_HOLD_TTL_SECONDS).
 */
export async function releaseAbandonedHold(deps: Deps & { readonly logger?: { warn(obj: object, msg: string): void } }, orderId: string): Promise<void> {
  try {
    await deps.stock.release(orderId);
  } catch (error) {
    deps.logger?.warn({ err: error, orderId }, 'could not release the stock of an order that was not placed; the hold expires instead');
  }
}
