import type Stripe from 'stripe';

/**
 * Stripe's error body: `{ "error": { type, code?, decline_code?, message, param?, doc_url?, charge?, payment_intent?,
 * payment_method? } }` (https://docs.stripe.com/api/errors). The SDK picks its error class from the HTTP status and
 * `type` (stripe/cjs/Error.js generateV1Error: 400/404 invalid request or idempotency, 401 authentication, 402 card).
 */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: Partial<Stripe.PaymentIntent>;
  payment_method?: Stripe.PaymentMethod;
}

/**
 * An answer in Stripe's error shape. `executed` says whether the endpoint began its work: Stripe saves the result
 * under an idempotency key only then; a request refused while its parameters were checked saves nothing, so a
 * corrected retry with the same key runs (https://docs.stripe.com/api/idempotent_requests).
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly executed = false,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

/** Stripe links every error code to its page under /docs/error-codes, with dashes for underscores. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

export function invalidRequest(message: string, extra: { code?: string; param?: string; status?: number; executed?: boolean; paymentIntent?: Partial<Stripe.PaymentIntent> } = {}): StripeApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (extra.code) {
    body.code = extra.code;
    body.doc_url = docUrl(extra.code);
  }
  if (extra.param) body.param = extra.param;
  if (extra.paymentIntent) body.payment_intent = extra.paymentIntent;
  return new StripeApiError(extra.status ?? 400, body, extra.executed ?? false);
}

export const missingParam = (param: string): StripeApiError => invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });

export const unknownParam = (param: string): StripeApiError => invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });

/** An object named in the path that does not exist: 404, `param` is the path parameter's name in Stripe's spec. */
export const noSuchObject = (kind: string, id: string, param: string): StripeApiError =>
  invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: 404 });

/** An object named by a request parameter that does not exist: 400, as for a test payment method Stripe does not know. */
export const noSuchReferencedObject = (kind: string, id: string, param: string): StripeApiError =>
  invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: 400 });

/** An operation the intent's status does not allow; the error carries the intent, as Stripe's does. */
export const unexpectedState = (message: string, paymentIntent: Partial<Stripe.PaymentIntent>): StripeApiError =>
  invalidRequest(message, { code: 'payment_intent_unexpected_state', paymentIntent, executed: true });

export function idempotencyMismatch(message: string): StripeApiError {
  return new StripeApiError(400, { type: 'idempotency_error', message });
}

/** A refused `/_emulator/` control request: `{ "error": { "message" } }` with this status. Not a Stripe error. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
