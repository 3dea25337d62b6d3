import { isAdmin, requireAuthenticated, type Caller } from '../../../lib/auth';
import { unitsOf } from '../domain/customer-limits';
import { Order, checkContact, normaliseLines, type ContactInput } from '../domain/order';
import type { CreateOrderResult } from '../domain/order-repository';
import { cancelAbandonedReservation, reserveWithinLimits } from './customer-limits';
import { holdStockForOrder, orderIdFor, releaseAbandonedHold, requireKnownProducts } from './hold-order-stock';
import { idempotencyClaim, previousPlacement } from './idempotency-key';
import type { OrdersDependencies } from './orders-dependencies';

export interface PlaceOrderInput extends ContactInput {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly idempotencyKey?: string | null;
}

/**
 * A customer orders products for themselves. Unknown products are refused from the catalog's read model (the ACL);
 * then the order takes its share of the customer's caps (LIMIT_EXCEEDED before any stock is held; admins are not
 * capped), stock for every line is held in Catalog (all or nothing), and names and prices are snapshotted from the
 * hold. The order is PENDING until paid, at the latest by paymentDueAt (PAYMENT_TIMEOUT_SECONDS after placing).
 * With an idempotency key, repeating the call (even concurrently) with the same items, address and email returns
 * the order the first call created, holding stock and taking the caps share once; the same key with other items, another
 * address or another email is a CONFLICT (idempotency-key.ts).
 */
export async function placeOrder(deps: OrdersDependencies, caller: Caller, input: PlaceOrderInput): Promise<Order> {
  const customer = requireAuthenticated(caller, 'place an order');
  const lines = normaliseLines(input.items);
  // Optional for older clients (the order then cannot ship until setShippingAddress), checked when given.
  const contact = checkContact(input, { address: 'shippingAddress', email: 'email' });
  const claim = idempotencyClaim(deps, customer.sub, input.idempotencyKey, { lines, contact });
  const previous = claim ? await previousPlacement(deps, claim) : undefined;
  if (previous?.order) return previous.order;
  await requireKnownProducts(deps, lines, input.items);
  const orderId = orderIdFor(deps, claim, previous?.supersedes);
  const limits = isAdmin(customer) ? undefined : deps.limits;
  if (limits) await reserveWithinLimits({ clock: deps.clock, limits }, { customerId: customer.sub, orderId, units: unitsOf(lines) });
  // Undoes what this placement took when it fails before its order is written (each part best effort: what
  // cannot be given back now expires: the hold by STOCK_HOLD_TTL_SECONDS, the caps share once abandoned).
  const abandon = async (held: boolean) => {
    if (held) await releaseAbandonedHold(deps, orderId);
    await cancelAbandonedReservation({ limits }, customer.sub, orderId);
  };
  let priced: Awaited<ReturnType<typeof holdStockForOrder>>;
  try {
    priced = await holdStockForOrder(deps, { orderId, customerId: customer.sub, lines }, input.items);
  } catch (error) {
    await abandon(false);
    throw error;
  }
  let order: Order;
  try {
    const now = deps.clock.now();
    const paymentDueAt = deps.paymentTimeoutSeconds === undefined ? undefined : new Date(now.getTime() + deps.paymentTimeoutSeconds * 1000);
    order = Order.place({ id: orderId, customerId: customer.sub, lines: priced, now, paymentDueAt, countsAgainstLimits: limits !== undefined, contact });
  } catch (error) {
    // The order itself is invalid (a total beyond the largest Int, say): a retry would fail alike, so the units go back now.
    await abandon(true);
    throw error;
  }
  let result: CreateOrderResult;
  try {
    result = await deps.orders.create(order, claim);
  } catch (error) {
    // Without a key a retry is a new order: this hold will never be claimed, so it goes back now. With a key the
    // retry asks for the same order id and reuses the hold (and if nobody retries, the hold expires).
    if (claim === undefined) await abandon(true);
    throw error;
  }
  if (result.created) return order;
  // Another request claimed the key first. With the same cart it held stock for this very order id; with another
  // cart (CONFLICT below) it holds its own, and this hold is never claimed.
  if (result.existingOrderId !== orderId) await abandon(true);
  const winner = claim ? (await previousPlacement(deps, claim)).order : null;
  if (!winner) throw new Error(`idempotency key ${claim?.key} names order ${result.existingOrderId}, which does not exist`);
  return winner;
}
