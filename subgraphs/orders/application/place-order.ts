import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { NotFoundError, ProductUnavailableError, describeValue } from '../../../lib/ddd';
import { Order, normaliseLines, type PricedLine } from '../domain/order';
import { idempotencyClaim, previousPlacement } from './idempotency-key';
import type { OrdersDependencies } from './orders-dependencies';

export interface PlaceOrderInput {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly idempotencyKey?: string | null;
}

/**
 * A customer orders products for themselves. Names and prices are snapshotted from Catalog through the ACL.
 * With an idempotency key, repeating the call (even concurrently) with the same items returns the order the
 * first call created; the same key with other items is a CONFLICT (idempotency-key.ts).
 */
export async function placeOrder(deps: OrdersDependencies, caller: Caller, input: PlaceOrderInput): Promise<Order> {
  const customer = requireAuthenticated(caller, 'place an order');
  const lines = normaliseLines(input.items);
  const claim = idempotencyClaim(deps, customer.sub, input.idempotencyKey, lines);
  if (claim) {
    const existing = await previousPlacement(deps, claim);
    if (existing) return existing;
  }
  const products = await deps.catalog.getProducts(lines.map((line) => line.productId));
  const priced: PricedLine[] = lines.map((line, index) => {
    const product = products[index];
    if (!product) {
      // Lines are merged by product: name the position the client sent, not the merged line's.
      const position = input.items.findIndex((item) => item.productId === line.productId);
      throw new NotFoundError(`no product with id ${describeValue(line.productId)}`, { field: `items[${position}].productId`, value: line.productId });
    }
    if (line.quantity > product.availableQuantity) {
      throw new ProductUnavailableError(
        `only ${product.availableQuantity} of "${product.name}" (${product.id}) in stock, ${line.quantity} requested`,
        { productId: product.id, requested: line.quantity, available: product.availableQuantity },
      );
    }
    return { productId: product.id, productName: product.name, unitPrice: product.unitPrice, quantity: line.quantity };
  });
  const order = Order.place({ id: deps.newId(), customerId: customer.sub, lines: priced, now: deps.clock.now() });
  const result = await deps.orders.create(order, claim);
  if (result.created) return order;
  const winner = claim ? await previousPlacement(deps, claim) : null;
  if (!winner) throw new Error(`idempotency key ${claim?.key} names order ${result.existingOrderId}, which does not exist`);
  return winner;
}
