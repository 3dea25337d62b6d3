import { AggregateRoot, guard, type MoneyProps } from '../../../lib/ddd';
import type { PaymentEvent, PaymentEventType } from './payment-events';
import { UNDONE_ON_CLOSURE, type OrderClosure } from './order-closure';
import { AWAITING_PAYMENT, type PaymentStatus } from './payment-status';
import type { ProviderState } from './provider-state';

export interface PaymentState {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly status: PaymentStatus;
  /** The order's total when the payment started: what the customer is asked to pay. */
  readonly amount: MoneyProps;
  /** `stripe`. */
  readonly provider: string;
  /** The provider's id of the payment (a Stripe PaymentIntent id, `pi_...`). */
  readonly providerPaymentId: string;
  /** What lets the paying customer's browser confirm the payment with the provider; never shown to anyone else. */
  readonly clientSecret: string | undefined;
  /** Why the last attempt failed, while FAILED; why the payment was voided, once VOIDED. */
  readonly failureReason: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /**
   * Whether the order was closed to card payment (cancelled, or confirmed without this payment; recorded apart from
   * the payment): nothing may be authorized for it any more.
   */
  readonly orderClosed: OrderClosure | undefined;
  /** Optimistic-concurrency version as read from storage; the repository increments it on save. */
  readonly version: number;
}

/** What the provider says about a reason: messages are shown to people, so a bounded length. */
const REASON_MAX = 500;

/**
 * A payment of one order through a provider (Stripe PaymentIntents with manual capture). Payments is its only
 * writer. It follows the provider (reconcile): whatever order webhook events arrive in, the payment moves only
 * forward along docs/architecture.md §4 ("The checkout saga"), and each real change is recorded once as an event.
 */
export class Payment extends AggregateRoot<PaymentEvent> {
  private constructor(private state: PaymentState) {
    super();
  }

  static start(input: {
    id: string;
    orderId: string;
    customerId: string;
    amount: MoneyProps;
    provider: string;
    providerPaymentId: string;
    clientSecret: string | undefined;
    now: Date;
  }): Payment {
    guard.text('providerPaymentId', input.providerPaymentId, { min: 1, max: 200 });
    return new Payment({
      id: input.id,
      orderId: input.orderId,
      customerId: input.customerId,
      status: 'REQUIRES_PAYMENT',
      amount: input.amount,
      provider: input.provider,
      providerPaymentId: input.providerPaymentId,
      clientSecret: input.clientSecret,
      failureReason: undefined,
      createdAt: input.now,
      updatedAt: input.now,
      orderClosed: undefined,
      // Stored as version 1 when created, like every aggregate here.
      version: 1,
    });
  }

  static restore(state: PaymentState): Payment {
    return new Payment(state);
  }

  get id(): string {
    return this.state.id;
  }
  get orderId(): string {
    return this.state.orderId;
  }
  get customerId(): string {
    return this.state.customerId;
  }
  get status(): PaymentStatus {
    return this.state.status;
  }
  get amount(): MoneyProps {
    return this.state.amount;
  }
  get provider(): string {
    return this.state.provider;
  }
  get providerPaymentId(): string {
    return this.state.providerPaymentId;
  }
  get clientSecret(): string | undefined {
    return this.state.clientSecret;
  }
  get failureReason(): string | undefined {
    return this.state.failureReason;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get version(): number {
    return this.state.version;
  }
  get orderClosed(): OrderClosure | undefined {
    return this.state.orderClosed;
  }

  /** The customer may (still) pay: nothing is authorized or taken. */
  get awaitingPayment(): boolean {
    return AWAITING_PAYMENT.includes(this.state.status);
  }

  /**
   * The order was closed to card payment and this payment still holds, took or could still take something the closure
   * gives back (order-closure.ts): the provider must undo it.
   */
  get undoneByClosure(): boolean {
    return this.state.orderClosed !== undefined && UNDONE_ON_CLOSURE[this.state.orderClosed].includes(this.state.status);
  }

  isOwnedBy(customerId: string): boolean {
    return this.state.customerId === customerId;
  }

  snapshot(): PaymentState {
    return this.state;
  }

  /**
   * Brings the payment to where the provider says it stands, recording an event for each step it takes. Out-of-order
   * and repeated news is absorbed: only forward steps apply. `failedAttempt`: the news is a declined attempt (a new
   * failure even if the last one read the same). `reason`: why, when the payment is voided or refunded. Returns
   * whether anything changed.
   */
  reconcile(observed: ProviderState, now: Date, options: { failedAttempt?: boolean; reason?: string } = {}): boolean {
    const before = this.peekEvents().length;
    switch (observed.status) {
      case 'authorized':
        if (this.awaitingPayment) this.move('AUTHORIZED', 'payment.authorized', observed.amount, now);
        break;
      case 'captured':
        if (this.awaitingPayment) this.move('AUTHORIZED', 'payment.authorized', observed.amount, now);
        if (this.state.status === 'AUTHORIZED') this.move('CAPTURED', 'payment.captured', observed.amount, now);
        if (observed.refunded && this.state.status === 'CAPTURED') this.move('REFUNDED', 'payment.refunded', observed.amount, now, options.reason ?? 'refunded at the provider');
        break;
      case 'canceled':
        if (this.awaitingPayment || this.state.status === 'AUTHORIZED') {
          this.move('VOIDED', 'payment.voided', observed.amount, now, options.reason ?? describeCancellation(observed.cancellationReason));
        }
        break;
      case 'requires_payment':
        if (options.failedAttempt && observed.lastFailure !== undefined && this.awaitingPayment) {
          this.move('FAILED', 'payment.failed', observed.amount, now, observed.lastFailure);
        }
        break;
      case 'processing':
        break;
    }
    return this.peekEvents().length > before;
  }


  private move(to: PaymentStatus, type: PaymentEventType, amount: MoneyProps, now: Date, reason?: string): void {
    const bounded = reason === undefined ? undefined : reason.slice(0, REASON_MAX);
    this.state = {
      ...this.state,
      status: to,
      updatedAt: now,
      // The decline while FAILED, why once VOIDED (shown with the payment: Order.payment.failureReason).
      failureReason: to === 'FAILED' || to === 'VOIDED' ? bounded : undefined,
    };
    this.record({
      type,
      occurredAt: now.toISOString(),
      data: {
        orderId: this.state.orderId,
        paymentId: this.state.id,
        customerId: this.state.customerId,
        amount,
        provider: this.state.provider,
        providerPaymentId: this.state.providerPaymentId,
        ...(bounded !== undefined ? { reason: bounded } : {}),
      },
    });
  }
}

function describeCancellation(providerReason: string | undefined): string {
  if (providerReason === 'automatic') return 'the authorization expired at the provider before it was captured';
  return providerReason ? `cancelled at the provider (${providerReason})` : 'cancelled at the provider';
}
