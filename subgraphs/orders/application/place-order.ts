import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { Order, normaliseLines } from '../domain/order';
import type { CreateOrderResult } from '../domain/order-repository';
import { holdStockForOrder, orderIdFor, releaseAbandonedHold, requireKnownProducts } from './hold-order-stock';
import { idempotencyClaim, previousPlacement } from './idempotency-key';
import type { OrdersDependencies } from './orders-dependencies';

export interface PlaceOrderInput {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly idempotencyKey?: string | null;
}

/**
 * A customer orders products for themselves. Unknown products are refused from the catalog's read model (the ACL);
 * then stock for every line is held in Catalog (all or nothing), and names and prices are snapshotted from the hold. With an idempotency key, repeating the call (even concurrently)
 * with the same items returns the order the first call created, holding stock once; the same key with other
 * items is a CONFLICT (idempotency-key.ts).
 */
export async function placeOrder(deps: OrdersDependencies, caller: Caller, input: PlaceOrderInput): Promise<Order> {
  const customer = requireAuthenticated(caller, 'place an order');
  const lines = normaliseLines(input.items);
  const claim = idempotencyClaim(deps, customer.sub, input.idempotencyKey, lines);
  const previous = claim ? await previousPlacement(deps, claim) : undefined;
  if (previous?.order) return previous.order;
  await requireKnownProducts(deps, lines, input.items);
  const orderId = orderIdFor(deps, claim, previous?.supersedes);
  const priced = await holdStockForOrder(deps, { orderId, customerId: customer.sub, lines }, input.items);
  let order: Order;
  try {
    order = Order.place({ id: orderId, customerId: customer.sub, lines: priced, now: deps.clock.now() });
  } catch (error) {
    // The order itself is invalid (a total beyond the largest Int, say): a retry would fail alike, so the units go back now.
    await releaseAbandonedHold(deps, orderId);
    throw error;
  }
  let result: CreateOrderResult;
  try {
    result = await deps.orders.create(order, claim);
  } catch (error) {
    // Without a key a retry is a new order: this hold will never be claimed, so it goes back now. With a key the
    // retry asks for the same order id and reuses the hold (and if nobody retries, the hold expires).
    if (claim === undefined) await releaseAbandonedHold(deps, orderId);
    throw error;
  }
  if (result.created) return order;
  // Another request claimed the key first. With the same cart it held stock for this very order id; with another
  // cart (CONFLICT below) it holds its own, and this hold is never claimed.
  if (result.existingOrderId !== orderId) await releaseAbandonedHold(deps, orderId);
  const winner = claim ? (await previousPlacement(deps, claim)).order : null;
  if (!winner) throw new Error(`idempotency key ${claim?.key} names order ${result.existingOrderId}, which does not exist`);
  return winner;
}
