import type { MoneyProps } from '../../../lib/ddd';
import type { ProviderState } from '../domain/provider-state';

/** A payment as the provider holds it. */
export interface ProviderPayment extends ProviderState {
  /** The provider's id (`pi_...`). */
  readonly id: string;
  readonly clientSecret: string | undefined;
  /** The order it was started for (its metadata); undefined for a payment this system did not start. */
  readonly orderId: string | undefined;
}

/** A webhook event, verified and reduced to what Payments acts on. */
export interface ProviderEvent {
  /** The provider's event id (`evt_...`): each is processed once. */
  readonly id: string;
  readonly type: string;
  /** The payment it concerns; undefined for events about anything else (ignored). */
  readonly paymentId: string | undefined;
  /** The event reports a declined attempt. */
  readonly failedAttempt: boolean;
}

/** The operation does not fit the payment's state at the provider any more (cancelled, captured meanwhile): read it again. */
export class ProviderStateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderStateConflictError';
  }
}

/**
 * Port to the payment provider (Stripe PaymentIntents with manual capture). Every write carries an idempotency key
 * derived from the payment, so a retried call (after a timeout, a crash, a redelivered event) never acts twice.
 * Refusals the customer or an operator should see are PaymentFailedError (PAYMENT_FAILED) with the provider's
 * message; a provider that cannot be reached is ServiceUnavailableError.
 */
export interface PaymentProvider {
  /** `stripe`. */
  readonly name: string;
  /** Starts a payment of `amount` to authorize now and capture later. */
  createPayment(input: { readonly orderId: string; readonly customerId: string; readonly amount: MoneyProps; readonly idempotencyKey: string }): Promise<ProviderPayment>;
  retrieve(providerPaymentId: string): Promise<ProviderPayment>;
  capture(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  /** Voids an uncaptured payment (nothing authorized any more, or the hold on the funds released). */
  cancel(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  /** Gives back all the captured money. */
  refund(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
}
