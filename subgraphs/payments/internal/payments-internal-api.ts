import { ValidationError } from '../../../lib/ddd';
import type { InternalRoute } from '../../../lib/internal-api';
import { capturePayment } from '../application/capture-payment';
import type { PaymentsDependencies } from '../application/payments-dependencies';
import type { Payment } from '../domain/payment';

/** Payments' published representation of a payment for other contexts (no client secret: it is the customer's). */
export function representPayment(payment: Payment) {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    status: payment.status,
    amount: payment.amount,
    provider: payment.provider,
    providerPaymentId: payment.providerPaymentId,
    ...(payment.failureReason !== undefined ? { failureReason: payment.failureReason } : {}),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

/**
 * Payments' internal API (lib/internal-api: signed service identities only):
 *   POST /internal/payments/capture { orderId }   capture the order's authorized payment (caller: orders);
 *        NOT_FOUND when the order has no payment, PAYMENT_FAILED with the provider's message when it cannot be captured
 */
export function paymentsInternalRoutes(deps: PaymentsDependencies): InternalRoute[] {
  return [
    {
      method: 'POST',
      path: '/internal/payments/capture',
      callers: ['orders'],
      handle: async ({ body }) => {
        const orderId = (body as { orderId?: unknown } | undefined)?.orderId;
        if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 200) throw new ValidationError('orderId', 'orderId must be a string of 1-200 characters');
        return representPayment(await capturePayment(deps, orderId));
      },
    },
  ];
}
