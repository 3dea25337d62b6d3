import type { MoneyProps } from '../../../lib/ddd';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

export interface OrderLine {
  readonly productId: string;
  readonly productName: string;
  readonly unitPrice: MoneyProps;
  readonly quantity: number;
  readonly lineTotal: MoneyProps;
}

export interface PostalAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly region?: string | undefined;
  readonly postalCode: string;
  readonly country: string;
}

/**
 * What Notifications knows of an order: Orders' answer to `GET /internal/orders/:id`, read when an event
 * arrives (events carry ids and amounts, not the customer's contact details). Every text in it came from a
 * customer or an admin at some point, and is rendered as hostile (templates escape all of it).
 */
export interface OrderSnapshot {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly total: MoneyProps;
  readonly items: readonly OrderLine[];
  readonly placedAt: string;
  /** When a PENDING order is cancelled unless its payment is authorized first (ISO 8601). */
  readonly paymentDueAt?: string | undefined;
  readonly cancellationReason?: string | undefined;
  /** The customer's contact address for this order; old orders have none. */
  readonly email?: string | undefined;
  readonly shippingAddress?: PostalAddress | undefined;
}
