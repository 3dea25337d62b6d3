import type { DomainEvent, MoneyProps } from '../../../lib/ddd';

/** Payload of the events Payments publishes (docs/architecture.md §4); the wire schema lives in lib/events. */
export interface PaymentEventData {
  readonly orderId: string;
  readonly paymentId: string;
  readonly customerId: string;
  /** What the provider authorized, captured, voided or refunded. */
  readonly amount: MoneyProps;
  readonly provider: string;
  readonly providerPaymentId: string;
  /** failed: the decline message; voided and refunded: why. */
  readonly reason?: string;
}

export type PaymentEventType = 'payment.authorized' | 'payment.failed' | 'payment.captured' | 'payment.voided' | 'payment.refunded';

export type PaymentEvent = DomainEvent<PaymentEventType, PaymentEventData>;
