import { outcomeOfError, outcomeOfStatus, type ConfirmOutcome } from './confirm-outcome';

/**
 * Stripe's test payment methods the emulator accepts (docs.stripe.com/testing#cards, "PaymentMethods"), under the
 * names Stripe's testing page gives the cards they stand for.
 */
export const TEST_METHODS = [
  { id: 'pm_card_visa', label: 'Visa', outcome: 'succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Declined', outcome: 'generic decline' },
  { id: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Insufficient funds', outcome: 'decline: insufficient funds' },
] as const;

export type TestMethodId = (typeof TEST_METHODS)[number]['id'];

export interface TestConfirmation {
  /** The Stripe API to call: the emulator's base URL (storefront config `apiUrl`). */
  readonly apiUrl: string;
  readonly publishableKey: string;
  /** The PaymentIntent's client secret (`pi_..._secret_...`), from startPayment. */
  readonly clientSecret: string;
  readonly paymentMethod: TestMethodId;
}

/** Stripe.js takes the PaymentIntent's id from its client secret the same way: the part before `_secret_`. */
export function intentIdOf(clientSecret: string): string | undefined {
  const match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret);
  return match?.[1];
}

/**
 * Confirms a PaymentIntent as Stripe.js's `confirmCardPayment` does on the wire: `POST /v1/payment_intents/:id/confirm`,
 * form-encoded, authenticated by the publishable key (`key`) and the intent's client secret, never a secret key.
 * Answers Stripe's shapes: 200 with the (restricted) intent, or 402 `card_error` for a decline.
 */
export async function confirmWithTestMethod(request: TestConfirmation, fetchImpl: typeof fetch = fetch): Promise<ConfirmOutcome> {
  const intentId = intentIdOf(request.clientSecret);
  if (!intentId) return { kind: 'failed', message: 'This payment cannot be confirmed: its client secret is not a PaymentIntent’s.' };
  let response: Response;
  try {
    response = await fetchImpl(`${request.apiUrl}/v1/payment_intents/${encodeURIComponent(intentId)}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ payment_method: request.paymentMethod, client_secret: request.clientSecret, key: request.publishableKey }).toString(),
    });
  } catch {
    return { kind: 'failed', message: 'The payment provider could not be reached. Check your connection and try again.' };
  }
  const body = (await response.json().catch(() => undefined)) as { status?: unknown; error?: Record<string, unknown> } | undefined;
  if (response.ok && typeof body?.status === 'string') return outcomeOfStatus(body.status);
  const error = body?.error;
  if (error && typeof error === 'object') {
    const text = (key: string) => (typeof error[key] === 'string' ? (error[key] as string) : undefined);
    return outcomeOfError({ type: text('type'), message: text('message'), decline_code: text('decline_code') });
  }
  return { kind: 'failed', message: `The payment provider answered HTTP ${response.status}. Try again.` };
}
