import { ConflictError, NotFoundError, ProductUnavailableError, ValidationError, guard, type MoneyProps } from '../../../lib/ddd';
import type { Product } from '../domain/product';
import { StockHold, type HeldLine } from '../domain/stock-hold';
import type { StockLine } from '../domain/stock-hold-events';
import type { CatalogDependencies } from './catalog-dependencies';

export interface HoldStockRequest {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly StockLine[];
}

/** docs/architecture.md §2 limits of an order: 1-50 lines, 1-1000 units per line. */
export const HOLD_LIMITS = { lines: { min: 1, max: 50 }, quantity: { min: 1, max: 1000 } } as const;

/** A price change between the read and the hold's transaction makes it read again; a few times at most. */
const REPRICE_ATTEMPTS = 3;

/**
 * Holds of the last units of a popular product all touch one item: DynamoDB cancels transactions that collide
 * (TransactionConflict) without any of them failing a condition. Each collision is tried again against fresh
 * state after a jittered pause that grows, so the racers spread out instead of colliding again in step.
 */
const CONTENTION_ATTEMPTS = 12;
const contentionPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5 * 2 ** attempt, 250)));

/** The lines, checked and with a product asked twice merged into one (a transaction touches each product once). */
export function holdLines(request: HoldStockRequest): StockLine[] {
  guard.text('orderId', request.orderId, { min: 1, max: 100 });
  guard.text('customerId', request.customerId, { min: 1, max: 200 });
  const lines = request.lines;
  if (!Array.isArray(lines) || lines.length < HOLD_LIMITS.lines.min || lines.length > HOLD_LIMITS.lines.max) {
    throw new ValidationError('lines', `a hold has ${HOLD_LIMITS.lines.min}-${HOLD_LIMITS.lines.max} lines, got ${Array.isArray(lines) ? lines.length : 'none'}`);
  }
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    guard.text(`lines[${index}].productId`, line.productId, { min: 1, max: 100 });
    guard.integer(`lines[${index}].quantity`, line.quantity, HOLD_LIMITS.quantity);
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  });
  return [...merged].map(([productId, quantity]) => ({ productId, quantity: guard.integer(`quantity of ${productId}`, quantity, HOLD_LIMITS.quantity) }));
}

/**
 * The internal command Orders sends before it answers `placeOrder`: hold units of every line, all or nothing,
 * against Catalog's own data at this moment, keyed by the order id (a retry holds once and gets the same answer).
 * Answers the hold with its name and price snapshot, which the order is priced from. Refusals:
 * unknown product NOT_FOUND, short line PRODUCT_UNAVAILABLE (naming the product, requested, available), mixed
 * currencies BAD_USER_INPUT, an order id already used for other lines or a closed hold CONFLICT.
 */
export async function holdStock(deps: CatalogDependencies, request: HoldStockRequest): Promise<StockHold> {
  const lines = holdLines(request);
  let repriced = 0;
  for (let attempt = 1; ; attempt += 1) {
    const existing = await deps.holds.findByOrderId(request.orderId);
    if (existing) return sameHold(existing, request.customerId, lines);
    const products = await productsOf(deps, lines);
    const held: HeldLine[] = lines.map((line) => {
      const product = products.get(line.productId)!;
      if (product.stockQuantity < line.quantity) throw unavailable(product.id, product.name, line.quantity, product.stockQuantity);
      return { productId: product.id, quantity: line.quantity, productName: product.name, unitPrice: product.price };
    });
    assertOneCurrency(held);
    const hold = StockHold.place({ orderId: request.orderId, customerId: request.customerId, lines: held, now: deps.clock.now(), ttlSeconds: deps.holdTtlSeconds });
    const prices = new Map<string, MoneyProps>(held.map((line) => [line.productId, line.unitPrice]));
    const result = await deps.holds.create(hold, prices);
    if (result.stored) return hold;
    const { refusal } = result;
    switch (refusal.kind) {
      case 'short':
        throw unavailable(refusal.productId, products.get(refusal.productId)!.name, refusal.requested, refusal.available);
      case 'missing':
        throw new NotFoundError(`no product with id "${refusal.productId}"`, { productId: refusal.productId });
      case 'exists':
        // A concurrent retry of the same order stored its hold first: the next round reads and answers it.
        break;
      case 'repriced':
        repriced += 1;
        if (repriced >= REPRICE_ATTEMPTS) throw new ConflictError(`the price of product ${refusal.productId} keeps changing; try again`, { productId: refusal.productId });
        break;
      case 'contended':
        if (attempt >= CONTENTION_ATTEMPTS) throw new ConflictError('too many orders for these products at once; try again', { orderId: request.orderId });
        await contentionPause(attempt);
    }
  }
}

function sameHold(existing: StockHold, customerId: string, lines: readonly StockLine[]): StockHold {
  if (existing.customerId !== customerId || !existing.holdsExactly(lines)) {
    throw new ConflictError(`order ${existing.orderId} already holds other stock`, { orderId: existing.orderId });
  }
  if (!existing.isOpen) {
    throw new ConflictError(`the stock held for order ${existing.orderId} was already ${existing.status.toLowerCase()}; place the order again`, {
      orderId: existing.orderId,
      status: existing.status,
    });
  }
  return existing;
}

async function productsOf(deps: CatalogDependencies, lines: readonly StockLine[]): Promise<Map<string, Product>> {
  const found = await deps.products.findByIds(lines.map((line) => line.productId));
  const byId = new Map(found.map((product) => [product.id, product]));
  const missing = lines.find((line) => !byId.has(line.productId));
  if (missing) throw new NotFoundError(`no product with id "${missing.productId}"`, { productId: missing.productId });
  return byId;
}

function unavailable(productId: string, name: string, requested: number, available: number): ProductUnavailableError {
  return new ProductUnavailableError(`only ${available} of "${name}" (${productId}) in stock, ${requested} requested`, { productId, requested, available });
}

function assertOneCurrency(lines: readonly HeldLine[]): void {
  const currencies = [...new Set(lines.map((line) => line.unitPrice.currency))].sort();
  if (currencies.length > 1) {
    throw new ValidationError('items', `an order never mixes currencies; these products are priced in ${currencies.join(' and ')}`, { currencies });
  }
}
