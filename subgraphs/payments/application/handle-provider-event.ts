import { withOptimisticRetry } from '../../../lib/ddd';
import type { CausingEvent } from '../domain/payment-repository';
import { lateNewsReason, settleClosedOrderPayment } from './compensate-payment';
import type { ProviderEvent, ProviderPayment } from './payment-provider';
import type { PaymentsDependencies } from './payments-dependencies';

/** The consumer name webhook events are marked processed under. */
export const PROVIDER_EVENTS_CONSUMER = 'stripe-webhooks';

/**
 * A verified webhook event from the provider (docs/payments.md, "Webhooks"). Each event id is processed once (its
 * mark commits with the payment's change). The event only says which payment changed: the payment's state is read
 * from the provider now and the Payment reconciled with it, so late, repeated and out-of-order events are absorbed
 * (a stale "declined" after an authorization changes nothing). A payment authorized for an order closed to card
 * payment (cancelled, or confirmed without it) is voided at once; an authorized payment this system has no record of
 * is voided too (nothing is held without an order).
 */
export async function handleProviderEvent(deps: PaymentsDependencies, event: ProviderEvent): Promise<'processed' | 'duplicate' | 'ignored'> {
  if (event.paymentId === undefined) return 'ignored';
  const paymentId = event.paymentId;
  const causedBy: CausingEvent = { consumer: PROVIDER_EVENTS_CONSUMER, eventId: event.id };
  if (await deps.payments.wasProcessed(causedBy)) return 'duplicate';
  return withOptimisticRetry(
    async () => {
      const current = await deps.provider.retrieve(paymentId);
      const payment = current.orderId === undefined ? null : await deps.payments.findByOrderId(current.orderId);
      if (!payment || payment.providerPaymentId !== current.id) {
        await voidStray(deps, current);
        await deps.payments.markProcessed(causedBy);
        return 'ignored';
      }
      const changed =
        payment.orderClosed !== undefined && payment.undoneByClosure
          ? await settleClosedOrderPayment(deps, payment, lateNewsReason(payment.orderClosed, 'authorized'))
          : payment.reconcile(current, deps.clock.now(), { failedAttempt: event.failedAttempt });
      if (!changed) return (await deps.payments.markProcessed(causedBy)) === 'marked' ? 'processed' : 'duplicate';
      return (await deps.payments.save(payment, causedBy)) === 'saved' ? 'processed' : 'duplicate';
    },
    { retries: 3, backoffMs: 20 },
  );
}

/**
 * An authorization no Payment of ours stands for (an intent whose start crashed before it was recorded, or not ours
 * at all) would hold a customer's funds for nothing: it is voided. One still awaiting payment may be a start in
 * progress, and its customer has no client secret yet: it is left alone.
 */
async function voidStray(deps: Pick<PaymentsDependencies, 'provider'>, current: ProviderPayment): Promise<void> {
  if (current.status === 'authorized') await deps.provider.cancel(current.id, `cancel-stray-${current.id}`);
}
