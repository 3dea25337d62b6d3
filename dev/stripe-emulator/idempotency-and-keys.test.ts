import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { startStripeEmulator, type RunningStripeEmulator } from '.';
import { stripeClient, stripeError, TEST_PUBLISHABLE_KEY } from './testing';

let emulator: RunningStripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  stripe = stripeClient(emulator);
});
afterAll(() => emulator.close());

const params: Stripe.PaymentIntentCreateParams = { amount: 2500, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'], metadata: { orderId: 'order-42' } };

async function eventsOf(objectId: string, type: string): Promise<Stripe.Event[]> {
  const { data } = await stripe.events.list({ limit: 100, type });
  return data.filter((event) => (event.data.object as { id?: string }).id === objectId);
}

describe('Idempotency-Key', () => {
  it('replays the first answer to a repeat with the same parameters: the same object, made once', async () => {
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'create-order-42' });
    const repeat = await stripe.paymentIntents.create({ ...params, metadata: { orderId: 'order-42' } }, { idempotencyKey: 'create-order-42' });

    expect(repeat).toEqual(first);
    expect(repeat.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(repeat.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(repeat.lastResponse.headers['idempotency-key']).toBe('create-order-42');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(await eventsOf(first.id, 'payment_intent.created')).toHaveLength(1);
    // The replay is the answer as it was, even after the intent has moved on.
    await stripe.paymentIntents.confirm(first.id, { payment_method: 'pm_card_visa' });
    expect((await stripe.paymentIntents.create(params, { idempotencyKey: 'create-order-42' })).status).toBe('requires_payment_method');
  });

  it('refuses the same key with other parameters or on another endpoint, with idempotency_error', async () => {
    await stripe.paymentIntents.create(params, { idempotencyKey: 'key-reused' });
    const other = await stripeError(stripe.paymentIntents.create({ ...params, amount: 2600 }, { idempotencyKey: 'key-reused' }));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect(other.raw).toMatchObject({
      message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'key-reused' if you meant to execute a different request.",
    });

    const elsewhere = await stripeError(stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey: 'key-reused' }));
    expect(elsewhere).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect(elsewhere.raw).toMatchObject({
      message:
        "Keys for idempotent requests can only be used for the same endpoint they were first used for ('POST /v1/payment_intents' vs 'POST /v1/refunds'). Try using a key other than 'key-reused' if you meant to execute a different request.",
    });
  });

  it('replays a decline without a second authorization attempt', async () => {
    const intent = await stripe.paymentIntents.create(params);
    const first = await stripeError(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: 'confirm-declined' }));
    const repeat = await stripeError(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: 'confirm-declined' }));
    expect(repeat).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline', charge: first.charge });
    expect(repeat.headers?.['idempotent-replayed']).toBe('true');
    expect(await eventsOf(first.charge as string, 'charge.failed')).toHaveLength(1);
    expect(await eventsOf(intent.id, 'payment_intent.payment_failed')).toHaveLength(1);
  });

  it('saves nothing for a request refused while its parameters were checked, so a corrected retry runs', async () => {
    const refused = await stripeError(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams, { idempotencyKey: 'fix-and-retry' }));
    expect(refused).toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    const created = await stripe.paymentIntents.create({ ...params, currency: 'usd' }, { idempotencyKey: 'fix-and-retry' });
    expect(created.status).toBe('requires_payment_method');
    expect(created.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keys every SDK POST, so a retried network call cannot create twice', async () => {
    const intent = await stripe.paymentIntents.create(params);
    expect(intent.lastResponse.headers['idempotency-key']).toMatch(/^stripe-node-retry-/);
  });
});

describe('API keys', () => {
  const call = (headers: Record<string, string>) => fetch(`${emulator.url}/v1/payment_intents?limit=1`, { headers });

  it("answers Stripe's 401 without a key, with a malformed key and with a live key", async () => {
    const none = await call({});
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      },
    });

    const live = await stripeError(stripeClient(emulator, 'sk_live_0123456789abcdef').paymentIntents.retrieve('pi_any'));
    expect(live).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(live).toMatchObject({ statusCode: 401, rawType: 'invalid_request_error' });
    expect(live.raw).toMatchObject({ message: 'Invalid API Key provided: sk_live_************cdef' });

    const malformed = await stripeError(stripeClient(emulator, 'not-a-key').paymentIntents.retrieve('pi_any'));
    expect(malformed).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
  });

  it('accepts any test-mode secret key, also as HTTP Basic as curl -u sends it', async () => {
    const intent = await stripeClient(emulator, 'sk_test_51AnotherKey').paymentIntents.create(params);
    const basic = await fetch(`${emulator.url}/v1/payment_intents/${intent.id}`, { headers: { authorization: `Basic ${Buffer.from('sk_test_abc:').toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(((await basic.json()) as { id: string }).id).toBe(intent.id);
  });

  it('refuses a publishable key anywhere but retrieving and confirming an intent', async () => {
    const publishable = stripeClient(emulator, TEST_PUBLISHABLE_KEY);
    for (const attempt of [publishable.paymentIntents.create(params), publishable.refunds.create({ payment_intent: 'pi_x' }), publishable.events.list()]) {
      const error = await stripeError(attempt);
      expect(error).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
      expect(error.raw).toMatchObject({
        message: 'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      });
    }
  });

  it("answers with Stripe's headers, and 404 for a path Stripe does not have", async () => {
    const intent = await stripe.paymentIntents.create(params);
    expect(intent.lastResponse.requestId).toMatch(/^req_[A-Za-z0-9]{14}$/);
    expect(intent.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
    const unknown = await fetch(`${emulator.url}/v1/customers`, { headers: { authorization: 'Bearer sk_test_x' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { type: 'invalid_request_error', message: 'Unrecognized request URL (GET: /v1/customers). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.' },
    });
  });

  it('refuses a body that is not form-encoded, as Stripe does', async () => {
    const json = await fetch(`${emulator.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1000, currency: 'usd' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid request: unsupported Content-Type application/json. If error persists and you need assistance, please contact support@stripe.com.',
    );
  });
});
