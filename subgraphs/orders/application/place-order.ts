import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { NotFoundError, ProductUnavailableError, describeValue, guard } from '../../../lib/ddd';
import { Order, normaliseLines, type PricedLine } from '../domain/order';
import type { OrdersDependencies } from './orders-dependencies';

export interface PlaceOrderInput {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly idempotencyKey?: string | null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * A customer orders products for themselves. Names and prices are snapshotted from Catalog through the ACL.
 * With an idempotency key, repeating the call (even concurrently) returns the order the first call created.
 */
export async function placeOrder(deps: OrdersDependencies, caller: Caller, input: PlaceOrderInput): Promise<Order> {
  const customer = requireAuthenticated(caller, 'place an order');
  const key = input.idempotencyKey ?? undefined;
  if (key !== undefined) {
    guard.pattern('idempotencyKey', key, IDEMPOTENCY_KEY, '1-128 visible ASCII characters');
    const existing = await findExisting(deps, customer.sub, key);
    if (existing) return existing;
  }
  const lines = normaliseLines(input.items);
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
  const result = await deps.orders.create(order, key);
  if (result.created) return order;
  const winner = await deps.orders.findById(result.existingOrderId);
  if (!winner) throw new Error(`idempotency key ${key} names order ${result.existingOrderId}, which does not exist`);
  return winner;
}

async function findExisting(deps: OrdersDependencies, customerId: string, key: string): Promise<Order | null> {
  const id = await deps.orders.findIdByIdempotencyKey(customerId, key);
  return id ? deps.orders.findById(id) : null;
}
