import type { DomainEvent, MoneyProps } from '../../../lib/ddd';
import type { OrderStatus } from './order-status';

/** Payloads of the events Orders publishes (docs/architecture.md §4); their wire schemas live in lib/events. */
export interface OrderCreatedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice: MoneyProps }[];
  readonly total: MoneyProps;
  /** The order's version once this change is stored: 1 when placed, one more with every status change. */
  readonly version: number;
}

export interface OrderStatusChangedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus;
  readonly total: MoneyProps;
  readonly reason?: string;
  readonly version: number;
}

export type OrderEvent =
  | DomainEvent<'order.created', OrderCreatedData>
  | DomainEvent<'order.confirmed' | 'order.completed' | 'order.cancelled', OrderStatusChangedData>;
