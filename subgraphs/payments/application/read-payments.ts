import { isAdmin, type Caller } from '../../../lib/auth';
import type { Payment } from '../domain/payment';
import type { PaymentsDependencies } from './payments-dependencies';

/**
 * `Order.payment` for a batch of orders, in the order of `orderIds`: the payment, or null when none was started,
 * and null for orders the caller may not see (another customer's payment is not the caller's business; the order
 * itself answers FORBIDDEN). DataLoader-shaped.
 */
export async function paymentsForOrders(deps: Pick<PaymentsDependencies, 'payments'>, caller: Caller, orderIds: readonly string[]): Promise<(Payment | null)[]> {
  if (caller === null) return orderIds.map(() => null);
  const payments = await deps.payments.findByOrderIds(orderIds);
  const byOrder = new Map(payments.map((payment) => [payment.orderId, payment]));
  return orderIds.map((orderId) => {
    const payment = byOrder.get(orderId);
    return payment && (payment.isOwnedBy(caller.sub) || isAdmin(caller)) ? payment : null;
  });
}

/**
 * The client secret lets a browser confirm the payment with the provider: only its owner sees it, and only while
 * the payment can still be paid (REQUIRES_PAYMENT or FAILED). Not even an admin, who never pays for someone else.
 */
export function visibleClientSecret(caller: Caller, payment: Payment): string | null {
  return caller !== null && payment.isOwnedBy(caller.sub) && payment.awaitingPayment ? (payment.clientSecret ?? null) : null;
}
