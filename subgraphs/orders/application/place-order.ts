import { requireAuthenticated, type Caller } from '../../../lib/auth';
import { guard } from '../../../lib/ddd';
import { Order, normaliseLines } from '../domain/order';
import { holdStockForOrder, orderIdFor, releaseAbandonedHold } from './hold-order-stock';
import type { OrdersDependencies } from './orders-dependencies';

export interface PlaceOrderInput {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly idempotencyKey?: string | null;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * A customer orders products for themselves. Stock for every line is held in Catalog first (all or nothing), and
 * names and prices are snapshotted from the hold. With an idempotency key, repeating the call (even concurrently)
 * returns the order the first call created, holding stock once.
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
  const orderId = orderIdFor(deps, customer.sub, key);
  const priced = await holdStockForOrder(deps, { orderId, customerId: customer.sub, lines }, input.items);
  let result: Awaited<ReturnType<OrdersDependencies['orders']['create']>>;
  let order: Order;
  try {
    order = Order.place({ id: orderId, customerId: customer.sub, lines: priced, now: deps.clock.now() });
    result = await deps.orders.create(order, key);
  } catch (error) {
    // Without a key a retry is a new order: this hold will never be claimed, so it goes back now. With a key the
    // retry asks for the same order id and reuses the hold (and if nobody retries, the hold expires).
    if (key === undefined) await releaseAbandonedHold(deps, orderId);
    throw error;
  }
  if (result.created) return order;
  const winner = await deps.orders.findById(result.existingOrderId);
  if (!winner) throw new Error(`idempotency key ${key} names order ${result.existingOrderId}, which does not exist`);
  return winner;
}

async function findExisting(deps: OrdersDependencies, customerId: string, key: string): Promise<Order | null> {
  const id = await deps.orders.findIdByIdempotencyKey(customerId, key);
  return id ? deps.orders.findById(id) : null;
}
