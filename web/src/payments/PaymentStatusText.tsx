import type { PaymentStatus } from '../__generated__/graphql';

const WORDS: Record<PaymentStatus, string> = {
  REQUIRES_PAYMENT: 'Awaiting your card',
  AUTHORIZED: 'Authorized: your card is charged when the order ships',
  CAPTURED: 'Paid',
  FAILED: 'Declined',
  VOIDED: 'Cancelled: nothing was charged',
  REFUNDED: 'Refunded',
};

/** A payment's status in words, the contract's name kept in data-payment-status for styling and tests. */
export function PaymentStatusText({ status, failureReason }: { status: PaymentStatus; failureReason?: string | null | undefined }) {
  return (
    <span className={`payment-status payment-${status.toLowerCase()}`} data-payment-status={status}>
      {WORDS[status]}
      {status === 'FAILED' && failureReason ? `: ${failureReason}` : ''}
    </span>
  );
}
