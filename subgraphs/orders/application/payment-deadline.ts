import { ConcurrentModificationError, withOptimisticRetry } from '../../../lib/ddd';
import type { OrdersDependencies } from './orders-dependencies';

type Deps = Pick<OrdersDependencies, 'orders' | 'clock'>;

/**
 * The payment deadline (docs/architecture.md §4, "The checkout saga"): every PENDING order whose paymentDueAt has
 * passed is cancelled with cause `payment-timeout`, which releases its stock (Catalog) and cancels its payment
 * intent (Payments). Idempotent and safe to run anywhere at once: an order is cancelled only if it is still
 * PENDING and overdue when written (optimistic version), so an authorization that confirmed it first wins, and two
 * sweeps cancel it once. Returns how many orders it cancelled.
 */
export async function cancelOverdueOrders(deps: Deps, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 25;
  const maxBatches = options.maxBatches ?? 40;
  let cancelled = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const overdue = await deps.orders.listOverdue(deps.clock.now(), batchSize);
    if (overdue.length === 0) break;
    const outcomes = await Promise.all(overdue.map((candidate) => cancelIfOverdue(deps, candidate.id)));
    cancelled += outcomes.filter(Boolean).length;
    // Nothing changed in a full batch (every order moved on meanwhile and the index lags): stop rather than spin.
    if (!outcomes.some(Boolean) || overdue.length < batchSize) break;
  }
  return cancelled;
}

async function cancelIfOverdue(deps: Deps, orderId: string): Promise<boolean> {
  try {
    return await withOptimisticRetry(async () => {
      const order = await deps.orders.findById(orderId);
      const now = deps.clock.now();
      if (!order?.isOverdue(now)) return false;
      order.cancel(`payment was not received by ${order.paymentDueAt!.toISOString()}, the order's payment deadline; its stock was released`, now, 'payment-timeout');
      await deps.orders.save(order);
      return true;
    });
  } catch (error) {
    // Still contended after the retry: the order is changing right now (being paid); the next sweep looks again.
    if (error instanceof ConcurrentModificationError) return false;
    throw error;
  }
}
