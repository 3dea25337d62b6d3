import type { OrderStatus, PaymentStatus } from '../__generated__/graphql';

const WORDS: Record<PaymentStatus, string> = {
  REQUIRES_PAYMENT: 'Awaiting your card',
  AUTHORIZED: 'Authorized: your card is charged when the order ships',
  CAPTURED: 'Paid',
  FAILED: 'Declined',
  VOIDED: 'Cancelled, nothing was charged',
  REFUNDED: 'Refunded',
};

/** Payments' reasons are sentences about the order ("the order was confirmed without this payment"): said after a colon. */
const withReason = (words: string, reason: string | null | undefined) => (reason ? `${words}: ${reason}` : words);

/**
 * A payment in the customer's words, next to its order's status. A payment still open while the order is no longer
 * PENDING (confirmed by hand, or cancelled) is about to be cancelled by Payments, and nobody can pay it any more: it
 * is said so, not "Awaiting your card". A declined payment says the provider's message; a voided one why.
 */
export function describePayment(payment: { readonly status: PaymentStatus; readonly failureReason?: string | null | undefined }, orderStatus: OrderStatus): string {
  const open = payment.status === 'REQUIRES_PAYMENT' || payment.status === 'FAILED';
  if (open && orderStatus !== 'PENDING') return 'Not needed any more: nothing was charged';
  if (payment.status === 'FAILED' || payment.status === 'VOIDED') return withReason(WORDS[payment.status], payment.failureReason);
  return WORDS[payment.status];
}
