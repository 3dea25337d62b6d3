import { NotFoundError, PaymentFailedError, describeValue, withOptimisticRetry } from '../../../lib/ddd';
import type { Payment } from '../domain/payment';
import { ProviderStateConflictError } from './payment-provider';
import type { PaymentsDependencies } from './payments-dependencies';

/**
 * Internal command of the fulfilment half (Orders' shipOrder): capture the order's authorized payment. Idempotent:
 * a captured payment is answered as it is, and the provider call carries a key derived from the payment. The order
 * has no payment, one that was never authorized, or one released because the order was confirmed without it:
 * NOT_FOUND (it was confirmed by hand, or paid otherwise; nothing to capture). The provider refuses, or the
 * authorization is gone (expired, voided at the provider): PAYMENT_FAILED with the reason.
 */
export async function capturePayment(deps: PaymentsDependencies, orderId: string): Promise<Payment> {
  return withOptimisticRetry(
    async () => {
      const payment = await deps.payments.findByOrderId(orderId);
      if (!payment) throw new NotFoundError(`order ${describeValue(orderId)} has no payment`, { orderId });
      if (payment.status === 'CAPTURED') return payment;
      // Capture is asked for CONFIRMED orders only. A payment that was never authorized (started, perhaps declined)
      // did not confirm the order: an admin did, by hand (a bank transfer, say), so there is nothing to capture.
      if (payment.awaitingPayment) {
        throw new NotFoundError(`order ${payment.orderId} has no authorized payment (its payment is ${payment.status}): nothing to capture`, {
          orderId,
          paymentStatus: payment.status,
        });
      }
      // Payments learnt that the order was confirmed without this payment: it is being released (or was), never taken.
      if (payment.orderClosed === 'CONFIRMED') {
        throw new NotFoundError(`order ${payment.orderId} was confirmed without its card payment (${payment.status}): nothing to capture`, {
          orderId,
          paymentStatus: payment.status,
        });
      }
      if (payment.status !== 'AUTHORIZED') throw notCapturable(payment);
      try {
        payment.reconcile(await deps.provider.capture(payment.providerPaymentId, `capture-${payment.id}`), deps.clock.now());
      } catch (error) {
        if (!(error instanceof ProviderStateConflictError)) throw error;
        // The provider moved on (the authorization expired or was voided): record where it stands, then refuse.
        payment.reconcile(await deps.provider.retrieve(payment.providerPaymentId), deps.clock.now());
        await deps.payments.save(payment);
        throw notCapturable(payment);
      }
      await deps.payments.save(payment);
      return payment;
    },
    { retries: 3, backoffMs: 20 },
  );
}

function notCapturable(payment: Payment): PaymentFailedError {
  return new PaymentFailedError(`the payment of order ${payment.orderId} is ${payment.status}; only an authorized payment can be captured`, {
    orderId: payment.orderId,
    paymentStatus: payment.status,
  });
}
