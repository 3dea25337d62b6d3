import { timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { checkChargeAmount, checkCurrency } from './amounts';
import { ok, type ApiContext, type ApiResult } from './api';
import { createCharge, findCharge, refundOnCharge } from './charges';
import { docUrl, invalidRequest, noSuchObject, noSuchReferencedObject, StripeApiError, unexpectedState } from './errors';
import { newClientSecret, newId, unixNow } from './ids';
import { Params } from './params';
import { createTestPaymentMethod, type StoredPaymentMethod } from './payment-methods';
import type { RequestInfo } from './state';

/** https://docs.stripe.com/payments/paymentintents/lifecycle: the statuses each operation accepts. */
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const EXPANDABLE = ['latest_charge', 'payment_method'] as const;
type Expandable = (typeof EXPANDABLE)[number];

/**
 * The fields Stripe returns when a PaymentIntent is retrieved with a publishable key and its client secret
 * (https://docs.stripe.com/api/payment_intents/object: "retrievable with publishable key"); metadata, charges and
 * amounts captured stay with the secret key.
 */
const PUBLISHABLE_FIELDS = [
  'id', 'object', 'amount', 'automatic_payment_methods', 'canceled_at', 'cancellation_reason', 'capture_method', 'client_secret',
  'confirmation_method', 'created', 'currency', 'description', 'last_payment_error', 'livemode', 'next_action', 'payment_method',
  'payment_method_types', 'processing', 'receipt_email', 'setup_future_usage', 'shipping', 'status',
] as const satisfies readonly (keyof Stripe.PaymentIntent)[];

/** The intent as this caller may see it, with the fields it asked to expand. */
export function renderIntent(context: ApiContext, intent: Stripe.PaymentIntent, expand: ReadonlySet<Expandable> = new Set()): Partial<Stripe.PaymentIntent> {
  if (context.caller.kind === 'publishable') {
    return Object.fromEntries(PUBLISHABLE_FIELDS.map((field) => [field, structuredClone(intent[field])]));
  }
  const copy = structuredClone(intent);
  if (expand.has('latest_charge') && intent.latest_charge) copy.latest_charge = structuredClone(findCharge(context, intent.latest_charge as string).object);
  if (expand.has('payment_method') && intent.payment_method) {
    const method = context.state.paymentMethods.get(intent.payment_method as string);
    if (method) copy.payment_method = structuredClone(method.object);
  }
  return copy;
}

export function findIntent(context: ApiContext, id: string): Stripe.PaymentIntent {
  const intent = context.state.paymentIntents.get(id);
  if (!intent) throw noSuchObject('payment_intent', id, 'intent');
  return intent;
}

/**
 * A publishable key reaches only the intent whose client secret it presents (Stripe.js sends `client_secret` with
 * every call), so a browser can retrieve and confirm its own payment and nothing else.
 */
export function checkClientSecret(context: ApiContext): void {
  const given = Buffer.from(context.params.string('client_secret', { required: true })!);
  const expected = Buffer.from(findIntent(context, context.id).client_secret ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalidRequest('The client_secret provided does not match the client_secret associated with the PaymentIntent.', { param: 'client_secret' });
  }
}

/** A test name (`pm_card_visa`) makes a new PaymentMethod; an id made that way before is used again. */
function resolvePaymentMethod(context: ApiContext, id: string): StoredPaymentMethod {
  const known = context.state.paymentMethods.get(id);
  if (known) return known;
  const created = createTestPaymentMethod(id);
  if (!created) throw noSuchReferencedObject('PaymentMethod', id, 'payment_method');
  context.state.paymentMethods.set(created.object.id, created);
  return created;
}

/**
 * Which payment methods the intent takes: `allowed_payment_method_types` (cards only here; the parameter that
 * replaced `payment_method_types` in API version 2026-09-30.endive) or the account's automatic payment methods.
 */
function paymentMethodSettings(params: Params): Pick<Stripe.PaymentIntent, 'allowed_payment_method_types' | 'automatic_payment_methods' | 'payment_method_types'> {
  const allowed = params.list('allowed_payment_method_types');
  const automatic = params.raw['automatic_payment_methods'];
  if (allowed.length > 0 && automatic !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.', { param: 'automatic_payment_methods' });
  }
  if (allowed.length > 0) {
    const unsupported = allowed.find((type) => type !== 'card');
    if (unsupported) throw invalidRequest(`The payment method type "${unsupported}" is invalid. The emulator supports card only.`, { param: 'allowed_payment_method_types' });
    return { allowed_payment_method_types: ['card'], automatic_payment_methods: null, payment_method_types: ['card'] };
  }
  if (automatic === undefined || automatic === '') {
    // Since API version 2023-08-16 an intent without a list of types takes the account's automatic payment methods.
    return { allowed_payment_method_types: null, automatic_payment_methods: { allow_redirects: 'always', enabled: true }, payment_method_types: ['card'] };
  }
  if (typeof automatic !== 'object' || Array.isArray(automatic)) throw invalidRequest('Invalid object', { param: 'automatic_payment_methods' });
  const nested = new Params(automatic).allowOnly(['enabled', 'allow_redirects']);
  const enabled = nested.boolean('enabled');
  if (enabled === undefined) throw invalidRequest('Missing required param: automatic_payment_methods[enabled].', { code: 'parameter_missing', param: 'automatic_payment_methods[enabled]' });
  const allowRedirects = nested.oneOf('allow_redirects', ['always', 'never']) ?? 'always';
  return { allowed_payment_method_types: null, automatic_payment_methods: enabled ? { allow_redirects: allowRedirects, enabled } : { enabled }, payment_method_types: ['card'] };
}

/**
 * An intent that may take redirect-based payment methods needs somewhere to send the customer back to, so Stripe
 * refuses to confirm it without `return_url` (unless created with `allow_redirects=never` or card only).
 */
function requireReturnUrl(automatic: Stripe.PaymentIntent.AutomaticPaymentMethods | null, returnUrl: string | undefined): void {
  if (!automatic?.enabled || automatic.allow_redirects === 'never' || returnUrl !== undefined) return;
  throw invalidRequest(
    'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don\'t want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
    { param: 'return_url' },
  );
}

/**
 * One authorization attempt with the method. Approved: `requires_capture` with the amount capturable (manual
 * capture) or `succeeded` with it received. Declined: back to `requires_payment_method` with `last_payment_error`,
 * so the customer may try again, and a 402 `card_error` answer.
 */
function authorize(context: ApiContext, intent: Stripe.PaymentIntent, method: StoredPaymentMethod, expand: ReadonlySet<Expandable>): ApiResult {
  const { events, request } = context;
  const automatic = intent.capture_method !== 'manual';
  const charge = createCharge(intent, method, automatic);
  context.state.charges.set(charge.object.id, charge);
  intent.latest_charge = charge.object.id;
  const decline = method.decline;
  if (decline) {
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.last_payment_error = {
      charge: charge.object.id,
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: docUrl(decline.code),
      message: decline.message,
      payment_method: structuredClone(method.object),
      type: 'card_error',
    };
    events.emit('charge.failed', charge.object, request);
    events.emit('payment_intent.payment_failed', intent, request);
    throw new StripeApiError(
      402,
      {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        doc_url: docUrl(decline.code),
        charge: charge.object.id,
        payment_intent: renderIntent(context, intent),
        payment_method: structuredClone(method.object),
      },
      true,
    );
  }
  intent.payment_method = method.object.id;
  intent.last_payment_error = null;
  events.emit('charge.succeeded', charge.object, request);
  if (automatic) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    events.emit('payment_intent.succeeded', intent, request);
  } else {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    events.emit('payment_intent.amount_capturable_updated', intent, request);
  }
  return ok(renderIntent(context, intent, expand));
}

/** `POST /v1/payment_intents`. */
export function createPaymentIntent(context: ApiContext): ApiResult {
  const params = context.params.allowOnly([
    'amount', 'currency', 'capture_method', 'confirm', 'description', 'metadata', 'payment_method', 'allowed_payment_method_types',
    'automatic_payment_methods', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'return_url', 'expand',
  ]);
  const amount = params.integer('amount', { required: true, min: 1 })!;
  const currency = checkCurrency(params.string('currency', { required: true })!);
  checkChargeAmount(amount, currency);
  const captureMethod = params.oneOf('capture_method', ['automatic', 'automatic_async', 'manual']) ?? 'automatic_async';
  const confirm = params.boolean('confirm') ?? false;
  const methodName = params.string('payment_method');
  const returnUrl = params.string('return_url');
  const expand = params.expand(EXPANDABLE);
  const settings = paymentMethodSettings(params);
  const metadata = params.metadata();
  const description = params.string('description', { maxLength: 1000 }) ?? null;
  const receiptEmail = params.string('receipt_email', { maxLength: 800 }) ?? null;
  const descriptor = params.string('statement_descriptor', { maxLength: 22 }) ?? null;
  const descriptorSuffix = params.string('statement_descriptor_suffix', { maxLength: 22 }) ?? null;
  if (confirm && !methodName) throw missingPaymentMethod();
  if (confirm) requireReturnUrl(settings.automatic_payment_methods, returnUrl);
  const method = methodName ? resolvePaymentMethod(context, methodName) : undefined;

  const id = newId('pi');
  const intent: Stripe.PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: settings.allowed_payment_method_types,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: settings.automatic_payment_methods,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: captureMethod,
    client_secret: newClientSecret(id),
    confirmation_method: 'automatic',
    created: unixNow(),
    currency,
    customer: null,
    customer_account: null,
    description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: method?.object.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: settings.payment_method_types,
    payment_record: null,
    processing: null,
    receipt_email: receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: descriptor,
    statement_descriptor_suffix: descriptorSuffix,
    status: method ? 'requires_confirmation' : 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  context.state.paymentIntents.set(id, intent);
  context.events.emit('payment_intent.created', intent, context.request);
  if (confirm && method) return authorize(context, intent, method, expand);
  return ok(renderIntent(context, intent, expand));
}

const missingPaymentMethod = (): StripeApiError =>
  invalidRequest(
    "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    { code: 'payment_intent_unexpected_state' },
  );

/** `GET /v1/payment_intents/:id`. */
export function retrievePaymentIntent(context: ApiContext): ApiResult {
  const expand = context.params.allowOnly(['expand', 'client_secret', 'key']).expand(EXPANDABLE);
  return ok(renderIntent(context, findIntent(context, context.id), expand));
}

/** `POST /v1/payment_intents/:id/confirm`: with the given payment method, or the one the intent already has. */
export function confirmPaymentIntent(context: ApiContext): ApiResult {
  const params = context.params.allowOnly(['payment_method', 'return_url', 'expand', 'client_secret', 'key']);
  const intent = findIntent(context, context.id);
  const methodName = params.string('payment_method');
  const returnUrl = params.string('return_url');
  const expand = params.expand(EXPANDABLE);
  const status = intent.status;
  if (methodName && !CONFIRMABLE.includes(status)) {
    throw unexpectedState(
      `This PaymentIntent's payment_method could not be updated because it has a status of ${status}. You may only update the payment_method of a PaymentIntent with one of the following statuses: ${CONFIRMABLE.join(', ')}.`,
      renderIntent(context, intent),
    );
  }
  if (status === 'succeeded') throw unexpectedState('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.', renderIntent(context, intent));
  if (!CONFIRMABLE.includes(status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
      renderIntent(context, intent),
    );
  }
  const current = intent.payment_method ? context.state.paymentMethods.get(intent.payment_method as string) : undefined;
  const method = methodName ? resolvePaymentMethod(context, methodName) : current;
  if (!method) throw missingPaymentMethod();
  requireReturnUrl(intent.automatic_payment_methods, returnUrl);
  return authorize(context, intent, method, expand);
}

/**
 * `POST /v1/payment_intents/:id/capture`: all of the authorization or part of it (`amount_to_capture`); the rest is
 * released and shows as refunded on the charge, as Stripe does.
 */
export function capturePaymentIntent(context: ApiContext): ApiResult {
  const params = context.params.allowOnly(['amount_to_capture', 'expand']);
  const intent = findIntent(context, context.id);
  const requested = params.integer('amount_to_capture', { min: 1 });
  const expand = params.expand(EXPANDABLE);
  if (intent.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      renderIntent(context, intent),
    );
  }
  const capturable = intent.amount_capturable;
  const amount = requested ?? capturable;
  if (amount > capturable) {
    throw invalidRequest(`The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
  }
  const charge = findCharge(context, intent.latest_charge as string);
  charge.object.captured = true;
  charge.object.amount_captured = amount;
  if (amount < capturable) refundOnCharge(charge, capturable - amount);
  intent.status = 'succeeded';
  intent.amount_capturable = 0;
  intent.amount_received = amount;
  context.events.emit('charge.captured', charge.object, context.request);
  context.events.emit('payment_intent.succeeded', intent, context.request);
  return ok(renderIntent(context, intent, expand));
}

/**
 * Cancels the intent. An authorization is released ("the remaining amount_capturable will automatically be
 * refunded", https://docs.stripe.com/api/payment_intents/cancel); one that expired (reason `automatic`) reports
 * `charge.expired` rather than `charge.refunded`.
 */
export function cancelIntent(context: Pick<ApiContext, 'state' | 'events'>, intent: Stripe.PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | null, request: RequestInfo | null): void {
  const authorized = intent.status === 'requires_capture';
  const released = intent.amount_capturable;
  intent.status = 'canceled';
  intent.canceled_at = unixNow();
  intent.cancellation_reason = reason;
  intent.amount_capturable = 0;
  context.events.emit('payment_intent.canceled', intent, request);
  const charge = authorized && intent.latest_charge ? context.state.charges.get(intent.latest_charge as string) : undefined;
  if (charge) {
    refundOnCharge(charge, released);
    context.events.emit(reason === 'automatic' ? 'charge.expired' : 'charge.refunded', charge.object, request);
  }
}

/** `POST /v1/payment_intents/:id/cancel`. */
export function cancelPaymentIntent(context: ApiContext): ApiResult {
  const params = context.params.allowOnly(['cancellation_reason', 'expand']);
  const intent = findIntent(context, context.id);
  const reason = params.oneOf('cancellation_reason', CANCELLATION_REASONS) ?? null;
  const expand = params.expand(EXPANDABLE);
  if (!CANCELABLE.includes(intent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      renderIntent(context, intent),
    );
  }
  cancelIntent(context, intent, reason, context.request);
  return ok(renderIntent(context, intent, expand));
}
