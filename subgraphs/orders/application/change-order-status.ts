import { requireAdmin, requireAuthenticated, type Caller } from '../../../lib/auth';
import { withOptimisticRetry, type MoneyProps } from '../../../lib/ddd';
import type { Order } from '../domain/order';
import type { CausingEvent } from '../domain/order-repository';
import { assertCanSee, loadOrder } from './order-access';
import type { OrdersDependencies } from './orders-dependencies';

type Deps = Pick<OrdersDependencies, 'orders' | 'clock'>;

/**
 * Load, apply, save, and on a lost optimistic race do it once more against the fresh state (so of six
 * concurrent confirmations exactly one succeeds and the rest fail with INVALID_ORDER_TRANSITION).
 */
function change(deps: Deps, id: string, apply: (order: Order) => void, authorize: (order: Order) => void): Promise<Order> {
  return withOptimisticRetry(async () => {
    const order = await loadOrder(deps, id);
    authorize(order);
    apply(order);
    await deps.orders.save(order);
    return order;
  });
}

/** Admin: PENDING -> CONFIRMED by hand (paid by other means: Payments releases any card payment of the order). */
export async function confirmOrder(deps: Deps, caller: Caller, id: string): Promise<Order> {
  requireAdmin(caller, 'confirm orders');
  return change(deps, id, (order) => order.confirm(deps.clock.now(), 'admin'), () => undefined);
}

/** Owner or admin: PENDING|CONFIRMED -> CANCELLED (cause `customer` for the owner, `admin` for anyone else). */
export async function cancelOrder(deps: Deps, caller: Caller, id: string, reason: string | null | undefined): Promise<Order> {
  const identity = requireAuthenticated(caller, 'cancel an order');
  return change(
    deps,
    id,
    (order) => order.cancel(reason, deps.clock.now(), order.isOwnedBy(identity.sub) ? 'customer' : 'admin'),
    (order) => assertCanSee(caller, order, 'cancel'),
  );
}

/**
 * On `payment.completed`: confirm the order once. A redelivered event, or an order already past PENDING,
 * changes nothing; the "processed" mark commits with the confirmation.
 */
export async function confirmOrderOnPayment(deps: Deps, orderId: string, event: CausingEvent): Promise<'confirmed' | 'ignored'> {
  return withOptimisticRetry(async () => {
    const order = await deps.orders.findById(orderId);
    if (!order || order.status !== 'PENDING') return 'ignored';
    order.confirm(deps.clock.now(), 'payment-completed');
    return (await deps.orders.save(order, event)) === 'saved' ? 'confirmed' : 'ignored';
  });
}

/**
 * On `payment.authorized`: the customer's payment is authorized (funds on hold at the provider), so a PENDING order
 * is confirmed, once. Only for the order's own total: an authorization of another amount or currency confirms
 * nothing (the order then runs into its payment deadline, and its cancellation voids the authorization). An order
 * already past PENDING, or a redelivery, changes nothing; the "processed" mark commits with the confirmation.
 */
export async function confirmOrderOnAuthorization(
  deps: Deps,
  payment: { readonly orderId: string; readonly amount: MoneyProps },
  event: CausingEvent,
): Promise<'confirmed' | 'ignored' | 'amount-mismatch'> {
  return withOptimisticRetry(async () => {
    const order = await deps.orders.findById(payment.orderId);
    if (!order || order.status !== 'PENDING') return 'ignored';
    const total = order.total.toJSON();
    if (total.amount !== payment.amount.amount || total.currency !== payment.amount.currency) return 'amount-mismatch';
    order.confirm(deps.clock.now(), 'payment-authorized');
    return (await deps.orders.save(order, event)) === 'saved' ? 'confirmed' : 'ignored';
  });
}

/**
 * On `stock.released` with reason `expired`: Catalog released the stock of an order it never heard of in time
 * (its order.created arrived after STOCK_HOLD_TTL_SECONDS). The order has no stock behind it, so it is cancelled
 * rather than fulfilled from units others may have bought since. An unknown order (never written) or one already
 * final changes nothing; the "processed" mark commits with the cancellation.
 */
export async function cancelOrderOnExpiredHold(deps: Deps, orderId: string, event: CausingEvent): Promise<'cancelled' | 'ignored'> {
  return withOptimisticRetry(async () => {
    const order = await deps.orders.findById(orderId);
    if (!order || (order.status !== 'PENDING' && order.status !== 'CONFIRMED')) return 'ignored';
    order.cancel('the stock held for this order expired before the order was recorded', deps.clock.now(), 'stock-expired');
    return (await deps.orders.save(order, event)) === 'saved' ? 'cancelled' : 'ignored';
  });
}
