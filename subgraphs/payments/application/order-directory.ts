import type { MoneyProps } from '../../../lib/ddd';

/** What Payments needs to know about an order before it takes a payment (Orders' internal API). */
export interface OrderSnapshot {
  readonly id: string;
  readonly customerId: string;
  readonly status: string;
  readonly total: MoneyProps;
}

/** Port to Orders: the order as Orders has it now, or null when there is no such order. */
export interface OrderDirectory {
  findOrder(orderId: string): Promise<OrderSnapshot | null>;
}
