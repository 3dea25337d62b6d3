import type { MoneyProps } from '../../../lib/ddd';

/**
 * Where a payment stands at the provider, in Payments' words (the Stripe adapter translates a PaymentIntent):
 * - `requires_payment`: nothing authorized yet; `lastFailure` is the last attempt's decline message, if any;
 * - `processing`: an attempt is being decided;
 * - `authorized`: funds on hold, to capture (Stripe `requires_capture`);
 * - `captured`: the money is taken (Stripe `succeeded`), `refunded` once it was all given back;
 * - `canceled`: voided before capture.
 */
export interface ProviderState {
  readonly status: 'requires_payment' | 'processing' | 'authorized' | 'captured' | 'canceled';
  readonly amount: MoneyProps;
  readonly lastFailure?: string | undefined;
  readonly refunded?: boolean;
  readonly cancellationReason?: string | undefined;
}
