/**
 * What confirming a payment with the provider came to, whichever card form did it (the test methods or Stripe
 * Elements). Only the browser's view: Payments learns the outcome from Stripe's webhook, and the order follows.
 */
export type ConfirmOutcome =
  /** Stripe authorized the card (`requires_capture` with manual capture): the order is confirmed shortly. */
  | { readonly kind: 'authorized' }
  /** Stripe still works on it (`processing`, a redirect or 3-D Secure came back): the order page follows it live. */
  | { readonly kind: 'pending'; readonly status: string }
  /** The card was refused (`card_error`): the customer may try another card until the payment deadline. */
  | { readonly kind: 'declined'; readonly message: string; readonly declineCode: string | undefined }
  /** Anything else went wrong (the provider unreachable, a request it refused): said in words, may be retried. */
  | { readonly kind: 'failed'; readonly message: string };

/** A PaymentIntent's status after a confirm call, as Stripe names it (docs.stripe.com/payments/paymentintents/lifecycle). */
export function outcomeOfStatus(status: string): ConfirmOutcome {
  if (status === 'requires_capture' || status === 'succeeded') return { kind: 'authorized' };
  return { kind: 'pending', status };
}

/** Stripe's error object (`{ type, code, decline_code, message }`), as its API and Stripe.js report it. */
export function outcomeOfError(error: { type?: string | undefined; message?: string | undefined; decline_code?: string | undefined }): ConfirmOutcome {
  const message = error.message || 'The payment was not accepted.';
  if (error.type === 'card_error') return { kind: 'declined', message, declineCode: error.decline_code };
  return { kind: 'failed', message };
}
