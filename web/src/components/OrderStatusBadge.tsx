import type { OrderStatus } from '../__generated__/graphql';

const WORDS: Record<OrderStatus, string> = {
  PENDING: 'Pending',
  CONFIRMED: 'Confirmed',
  SHIPPED: 'Shipped',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** The status as a word, with the contract's name kept in data-status for styling and tests. */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status}>
      {WORDS[status]}
    </span>
  );
}

export const FINAL_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'CANCELLED'];
