import type { ConfirmOutcome } from './confirm-outcome';

/** What each card form (test methods, Stripe Elements) is given, and reports back. */
export interface CardFormProps {
  readonly publishableKey: string;
  /** The PaymentIntent's client secret, from startPayment: what the form confirms. */
  readonly clientSecret: string;
  /** The submit button's text, e.g. "Pay $144.97". */
  readonly payLabel: string;
  readonly disabled?: boolean;
  readonly onOutcome: (outcome: ConfirmOutcome) => void;
}
