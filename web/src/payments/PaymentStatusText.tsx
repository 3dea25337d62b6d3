import type { OrderStatus, PaymentStatus } from '../__generated__/graphql';
import { describePayment } from './payment-words';

/** A payment's status in words, the contract's name kept in data-payment-status for styling and tests. */
export function PaymentStatusText({ status, failureReason, orderStatus }: { status: PaymentStatus; failureReason?: string | null | undefined; orderStatus: OrderStatus }) {
  return (
    <span className={`payment-status payment-${status.toLowerCase()}`} data-payment-status={status}>
      {describePayment({ status, failureReason }, orderStatus)}
    </span>
  );
}
