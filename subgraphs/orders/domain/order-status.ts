import { InvalidOrderTransitionError } from '../../../lib/ddd';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

/**
 * docs/architecture.md §2: PENDING -> CONFIRMED -> SHIPPED -> COMPLETED; CONFIRMED -> COMPLETED by hand (completeOrder);
 * PENDING|CONFIRMED -> CANCELLED. A parcel that left cannot be called back, so SHIPPED is never cancelled. Nothing
 * leaves COMPLETED or CANCELLED.
 */
const ALLOWED: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'COMPLETED', 'CANCELLED'],
  SHIPPED: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(orderId: string, from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    const allowed = ALLOWED[from];
    throw new InvalidOrderTransitionError(
      `order ${orderId} cannot go from ${from} to ${to}${allowed.length ? ` (from ${from} it can go to ${allowed.join(' or ')})` : ` (${from} is final)`}`,
      { orderId, from, to },
    );
  }
}
