import { withOptimisticRetry } from '../../../lib/ddd';
import type { OrderClosure } from '../domain/order-closure';
import type { Payment } from '../domain/payment';
import type { CausingEvent } from '../domain/payment-repository';
import { ProviderStateConflictError, type ProviderPayment } from './payment-provider';
import type { PaymentsDependencies } from './payments-dependencies';

type Deps = Pick<PaymentsDependencies, 'payments' | 'provider' | 'clock'>;

/** How often an undo is tried again when the payment changed at the provider under it (confirmed, captured). */
const UNDO_ATTEMPTS = 3;

/** Why a payment is voided when its order was confirmed without it: the order is paid otherwise. */
export const CONFIRMED_WITHOUT_THIS_PAYMENT = 'the order was confirmed without this payment';

/** Why an authorization that arrives for a closed order (or a payment started while it closed) is undone. */
export function lateNewsReason(closure: OrderClosure, what: 'authorized' | 'started'): string {
  return closure === 'CANCELLED' ? `the order was cancelled before its payment was ${what}` : CONFIRMED_WITHOUT_THIS_PAYMENT;
}

/**
 * Undoes at the provider whatever a payment of a closed order holds, from the payment's state there now: an
 * uncaptured payment is cancelled (the authorization voided, or nothing can be authorized any more), a captured
 * one refunded. Idempotent by keys derived from the payment. Returns the provider's state after it.
 */
export async function undoAtProvider(deps: Pick<Deps, 'provider'>, payment: Payment): Promise<ProviderPayment> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.provider.retrieve(payment.providerPaymentId);
    try {
      if (current.status === 'canceled' || (current.status === 'captured' && current.refunded)) return current;
      if (current.status === 'captured') return await deps.provider.refund(current.id, `refund-${payment.id}`);
      return await deps.provider.cancel(current.id, `cancel-${payment.id}`);
    } catch (error) {
      if (!(error instanceof ProviderStateConflictError) || attempt >= UNDO_ATTEMPTS) throw error;
    }
  }
}

/** The payment of a closed order: undone at the provider and moved to VOIDED or REFUNDED (not saved). */
export async function settleClosedOrderPayment(deps: Deps, payment: Payment, reason: string): Promise<boolean> {
  const after = await undoAtProvider(deps, payment);
  return payment.reconcile(after, deps.clock.now(), { reason });
}

/**
 * What a closure did: `captured-already`, an order confirmed without its payment whose payment was captured all the
 * same (it shipped before the confirmation's news arrived): left for a person to look at.
 */
type Settlement = 'no-payment' | 'settled' | 'nothing-to-undo' | 'captured-already' | 'duplicate';

/** What confirmed an order, as order.confirmed says it (`confirmedBy`). */
type ConfirmedBy = 'admin' | 'payment-authorized' | 'payment-completed';

/**
 * The saga's compensation for an order closed to card payment (domain/order-closure.ts): the closure is remembered
 * for good first, so no payment starts for the order any more and an authorization that arrives later is undone at
 * once; then the order's payment, if the closure leaves it anything to undo, is voided (before capture) or refunded
 * (after). Idempotent: a redelivery finds the payment settled; the "processed" mark commits with the settlement.
 */
async function closeOrderToPayment(deps: Deps, orderId: string, closure: OrderClosure, reason: string, causedBy: CausingEvent): Promise<Settlement> {
  await deps.payments.rememberClosedOrder(orderId, closure, deps.clock.now());
  return withOptimisticRetry(
    async () => {
      const payment = await deps.payments.findByOrderId(orderId);
      if (!payment) return 'no-payment';
      if (!payment.undoneByClosure) return payment.status === 'CAPTURED' ? 'captured-already' : 'nothing-to-undo';
      if (!(await settleClosedOrderPayment(deps, payment, reason))) return 'nothing-to-undo';
      return (await deps.payments.save(payment, causedBy)) === 'saved' ? 'settled' : 'duplicate';
    },
    { retries: 3, backoffMs: 20 },
  );
}

/**
 * On `order.cancelled` (by its owner, an admin, the payment deadline or an expired stock hold): the order's payment is
 * voided before capture and refunded after, and none may start or be authorized for it any more.
 */
export function compensateCancelledOrder(
  deps: Deps,
  cancellation: { readonly orderId: string; readonly reason?: string | undefined },
  causedBy: CausingEvent,
): Promise<Settlement> {
  const reason = cancellation.reason ? `the order was cancelled: ${cancellation.reason}` : 'the order was cancelled';
  return closeOrderToPayment(deps, cancellation.orderId, 'CANCELLED', reason, causedBy);
}

/**
 * On `order.confirmed`. Confirmed by its card payment (`confirmedBy` payment-authorized): nothing to do, the payment
 * is captured when the order ships. Confirmed otherwise (an admin by hand, an outside payment): the order is paid, so
 * its card payment is released before it can be captured as well: an open intent is cancelled (nobody can pay it any
 * more), an authorization voided, even one whose news is still on its way; and no payment starts for the order any
 * more. An event that does not say (published before `confirmedBy` existed) is judged by the payment: one authorized
 * or beyond is what confirmed the order (Payments records an authorization before it tells Orders).
 */
export async function compensateConfirmedOrder(
  deps: Deps,
  confirmation: { readonly orderId: string; readonly confirmedBy?: ConfirmedBy | undefined },
  causedBy: CausingEvent,
): Promise<Settlement | 'confirmed-by-this-payment'> {
  if (confirmation.confirmedBy === 'payment-authorized') return 'confirmed-by-this-payment';
  if (confirmation.confirmedBy === undefined) {
    const payment = await deps.payments.findByOrderId(confirmation.orderId);
    if (payment && !payment.awaitingPayment) return 'confirmed-by-this-payment';
  }
  return closeOrderToPayment(deps, confirmation.orderId, 'CONFIRMED', CONFIRMED_WITHOUT_THIS_PAYMENT, causedBy);
}
