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
  /** When the order is cancelled unless its payment is authorized first (ISO 8601). */
  readonly paymentDueAt?: string;
}

/** Why an order was cancelled, for machines: its owner, an admin, the payment deadline, or its stock hold expiring. */
export type CancellationCause = 'customer' | 'admin' | 'payment-timeout' | 'stock-expired';

/**
 * What confirmed an order, for machines: an admin by hand (`confirmOrder`: paid by other means, a bank transfer say),
 * the order's card payment at Payments (`payment.authorized`), or an outside payment system (`payment.completed`).
 * Payments releases a card payment the confirmation did not come from (docs/payments.md).
 */
export type ConfirmationCause = 'admin' | 'payment-authorized' | 'payment-completed';

export interface OrderStatusChangedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus;
  readonly total: MoneyProps;
  readonly reason?: string;
  /** order.cancelled only. */
  readonly cause?: CancellationCause;
  /** order.confirmed only. */
  readonly confirmedBy?: ConfirmationCause;
  readonly version: number;
}

/** How to follow the parcel of a shipped order, as Shipping recorded it (carrier and number normalised). */
export interface ParcelTracking {
  readonly carrier: string;
  readonly trackingNumber: string;
  /** The carrier's public tracking page; none for a carrier whose page is not known. */
  readonly trackingUrl?: string | undefined;
}

export interface OrderShippedData extends OrderStatusChangedData {
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly trackingUrl?: string;
}

export type OrderEvent =
  | DomainEvent<'order.created', OrderCreatedData>
  | DomainEvent<'order.confirmed' | 'order.completed' | 'order.cancelled', OrderStatusChangedData>
  | DomainEvent<'order.shipped', OrderShippedData>;
