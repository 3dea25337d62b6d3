import { withOptimisticRetry } from '../../../lib/ddd';
import type { Payment } from '../domain/payment';
import type { CausingEvent } from '../domain/payment-repository';
import { ProviderStateConflictError, type ProviderPayment } from './payment-provider';
import type { PaymentsDependencies } from './payments-dependencies';

type Deps = Pick<PaymentsDependencies, 'payments' | 'provider' | 'clock'>;

/** How often an undo is tried again when the payment changed at the provider under it (confirmed, captured). */
const UNDO_ATTEMPTS = 3;

/**
 * Undoes at the provider whatever a payment of a cancelled order holds, from the payment's state there now: an
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

/** The payment of a cancelled order: undone at the provider and moved to VOIDED or REFUNDED (not saved). */
export async function settleCancelledOrderPayment(deps: Deps, payment: Payment, reason: string): Promise<boolean> {
  const after = await undoAtProvider(deps, payment);
  return payment.reconcile(after, deps.clock.now(), { reason });
}

/**
 * On `order.cancelled` (by its owner, an admin, the payment deadline or an expired stock hold): the cancellation is
 * remembered for good, so no payment starts for the order any more and an authorization that arrives later is
 * voided at once; the order's payment, if any, is voided (before capture) or refunded (after). Idempotent: a
 * redelivery finds the payment settled; the "processed" mark commits with the settlement.
 */
export async function compensateCancelledOrder(
  deps: Deps,
  cancellation: { readonly orderId: string; readonly reason?: string | undefined },
  causedBy: CausingEvent,
): Promise<'no-payment' | 'settled' | 'nothing-to-undo' | 'duplicate'> {
  await deps.payments.rememberCancelledOrder(cancellation.orderId, deps.clock.now());
  const reason = cancellation.reason ? `the order was cancelled: ${cancellation.reason}` : 'the order was cancelled';
  return withOptimisticRetry(
    async () => {
      const payment = await deps.payments.findByOrderId(cancellation.orderId);
      if (!payment) return 'no-payment';
      if (!payment.compensable) return 'nothing-to-undo';
      if (!(await settleCancelledOrderPayment(deps, payment, reason))) return 'nothing-to-undo';
      return (await deps.payments.save(payment, causedBy)) === 'saved' ? 'settled' : 'duplicate';
    },
    { retries: 3, backoffMs: 20 },
  );
}
