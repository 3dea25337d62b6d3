import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { startStripeEmulator, type RunningStripeEmulator } from '.';
import { stripeClient, stripeError, TEST_PUBLISHABLE_KEY } from './testing';

/** What the storefront does from another origin: Stripe.js's requests, form-encoded with the publishable key. */
const ORIGIN = 'http://localhost:5173';

let emulator: RunningStripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  stripe = stripeClient(emulator);
});
afterAll(() => emulator.close());

const openIntent = () =>
  stripe.paymentIntents.create({ amount: 4200, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'], metadata: { orderId: 'order-7' } });

function browserConfirm(intentId: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${emulator.url}/v1/payment_intents/${intentId}/confirm`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('a browser with the publishable key', () => {
  it('passes the CORS preflight', async () => {
    const preflight = await fetch(`${emulator.url}/v1/payment_intents/pi_any/confirm`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(preflight.headers.get('access-control-max-age')).toBe('300');
  });

  it('confirms its own intent with the client secret, and sees only what Stripe shows a publishable key', async () => {
    const intent = await openIntent();
    const answer = await browserConfirm(intent.id, { payment_method: 'pm_card_visa', client_secret: intent.client_secret!, key: TEST_PUBLISHABLE_KEY });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toContain('Request-Id');
    const seen = (await answer.json()) as Record<string, unknown>;
    expect(seen).toMatchObject({ id: intent.id, object: 'payment_intent', status: 'requires_capture', amount: 4200, currency: 'usd', client_secret: intent.client_secret });
    for (const hidden of ['metadata', 'latest_charge', 'amount_capturable', 'amount_received', 'customer']) expect(seen).not.toHaveProperty(hidden);

    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'requires_capture', amount_capturable: 4200, metadata: { orderId: 'order-7' } });

    const polled = await fetch(`${emulator.url}/v1/payment_intents/${intent.id}?client_secret=${intent.client_secret!}`, {
      headers: { origin: ORIGIN, authorization: `Bearer ${TEST_PUBLISHABLE_KEY}` },
    });
    expect(polled.status).toBe(200);
    expect(await polled.json()).toEqual(seen);
  });

  it('gets a decline as 402 card_error with the restricted intent, and may retry', async () => {
    const intent = await openIntent();
    const declined = await browserConfirm(intent.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds', client_secret: intent.client_secret!, key: TEST_PUBLISHABLE_KEY });
    expect(declined.status).toBe(402);
    const { error } = (await declined.json()) as { error: { type: string; code: string; decline_code: string; message: string; payment_intent: Record<string, unknown> } };
    expect(error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    expect(error.payment_intent).toMatchObject({ id: intent.id, status: 'requires_payment_method', last_payment_error: { decline_code: 'insufficient_funds' } });
    expect(error.payment_intent).not.toHaveProperty('metadata');

    const retried = await browserConfirm(intent.id, { payment_method: 'pm_card_visa', client_secret: intent.client_secret!, key: TEST_PUBLISHABLE_KEY });
    expect(retried.status).toBe(200);
  });

  it('is refused with a wrong or missing client secret, and the intent is unchanged', async () => {
    const intent = await openIntent();
    const other = await openIntent();
    const wrong = await browserConfirm(intent.id, { payment_method: 'pm_card_visa', client_secret: other.client_secret!, key: TEST_PUBLISHABLE_KEY });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('access-control-allow-origin')).toBe('*');
    expect(await wrong.json()).toEqual({
      error: { type: 'invalid_request_error', param: 'client_secret', message: 'The client_secret provided does not match the client_secret associated with the PaymentIntent.' },
    });
    const missing = await browserConfirm(intent.id, { payment_method: 'pm_card_visa', key: TEST_PUBLISHABLE_KEY });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: 'parameter_missing', param: 'client_secret' });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
  });

  it('cannot capture, cancel or refund, even with the client secret', async () => {
    const intent = await openIntent();
    const publishable = stripeClient(emulator, TEST_PUBLISHABLE_KEY);
    for (const attempt of [
      publishable.paymentIntents.capture(intent.id),
      publishable.paymentIntents.cancel(intent.id),
      publishable.refunds.create({ payment_intent: intent.id }),
    ]) {
      expect(await stripeError(attempt)).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
    }
    const withSecret = await fetch(`${emulator.url}/v1/payment_intents/${intent.id}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: intent.client_secret!, key: TEST_PUBLISHABLE_KEY }).toString(),
    });
    expect(withSecret.status).toBe(401);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
  });
});
