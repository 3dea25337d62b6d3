import type Stripe from 'stripe';
import { AppError } from '../../../../lib/ddd';
import type { Logger } from '../../../../lib/logging';
import { handleProviderEvent } from '../../application/handle-provider-event';
import type { ProviderEvent } from '../../application/payment-provider';
import type { PaymentsDependencies } from '../../application/payments-dependencies';

/** The largest webhook body accepted: Stripe's events are a few KiB; a PaymentIntent with charges stays far below. */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;

export interface WebhookAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The events that can move a payment (Stripe's "PaymentIntents with separate authorization and capture"): the
 * intent's own changes, and the refund or expiry of its charge. The charge's other events repeat what the intent's
 * say (charge.succeeded beside amount_capturable_updated), and payment_intent.created is our own start: each would
 * cost a read of the intent for nothing.
 */
const MOVING_EVENTS: ReadonlySet<string> = new Set([
  'payment_intent.amount_capturable_updated',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'charge.refunded',
  'charge.expired',
  'refund.created',
  'refund.updated',
]);

/** What an event is about, in Payments' terms: the PaymentIntent it concerns, and whether it reports a declined attempt. */
export function providerEventOf(event: Stripe.Event): ProviderEvent {
  const object = event.data.object as { object?: string; id?: string; payment_intent?: unknown };
  const paymentId = !MOVING_EVENTS.has(event.type)
    ? undefined
    : object.object === 'payment_intent'
      ? object.id
      : typeof object.payment_intent === 'string'
        ? object.payment_intent
        : (object.payment_intent as { id?: string } | null)?.id;
  return { id: event.id, type: event.type, paymentId, failedAttempt: event.type === 'payment_intent.payment_failed' };
}

/**
 * `POST /webhooks/stripe`, framework-neutral (the local server and the public Lambda function URL serve it alike).
 * The signature is verified by the official SDK over the exact raw bytes (HMAC-SHA256 with STRIPE_WEBHOOK_SECRET,
 * constant-time, with Stripe's 300-second tolerance): a missing or bad one is 400 and changes nothing. A verified
 * event is handled before the answer (handleProviderEvent: each event id once, its effect and events committed
 * together), so a 2xx means it is durably recorded and anything else makes Stripe deliver it again.
 */
export function stripeWebhookHandler(options: { stripe: Stripe; webhookSecret: string; deps: PaymentsDependencies; logger: Logger }) {
  const { stripe, webhookSecret, deps, logger } = options;
  return async function handle(rawBody: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no Stripe-Signature header');
      event = stripe.webhooks.constructEvent(rawBody, signature, webhookSecret);
    } catch (error) {
      logger.warn({ reason: error instanceof Error ? error.message.slice(0, 200) : 'unreadable' }, 'refused a webhook whose signature does not verify');
      return { status: 400, body: { error: 'the Stripe-Signature header is missing or does not match the body' } };
    }
    try {
      const outcome = await handleProviderEvent(deps, providerEventOf(event));
      logger.info({ eventId: event.id, type: event.type, outcome }, 'Stripe webhook handled');
      return { status: 200, body: { received: true } };
    } catch (error) {
      logger.error({ err: error, eventId: event.id, type: event.type }, 'Stripe webhook could not be handled; Stripe delivers it again');
      return { status: error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE' ? 503 : 500, body: { error: 'the event could not be handled now; it will be delivered again' } };
    }
  };
}

export type StripeWebhookHandler = ReturnType<typeof stripeWebhookHandler>;
