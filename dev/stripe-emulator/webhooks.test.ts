import { afterEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { waitFor } from '../../lib/events/testing/wait-for';
import { startStripeEmulator, type DeliveryView, type RunningStripeEmulator, type StripeEmulatorOptions } from '.';
import { control, deliveries, startWebhookReceiver, stripeClient, stripeError, type ReceiverAnswer, type WebhookReceiver } from './testing';

const SECRET = 'whsec_emulator_test_secret';
const FAST = { initialDelayMs: 20, maxDelayMs: 100 };
const params: Stripe.PaymentIntentCreateParams = { amount: 2000, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'] };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(answer?: ReceiverAnswer): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(answer);
  closers.push(() => started.close());
  return started;
}

async function emulatorFor(receivers: readonly WebhookReceiver[], options: StripeEmulatorOptions = {}): Promise<{ emulator: RunningStripeEmulator; stripe: Stripe }> {
  const emulator = await startStripeEmulator({ port: 0, webhookEndpoints: receivers.map((r) => ({ url: r.url, secret: SECRET })), delivery: FAST, ...options });
  closers.push(() => emulator.close());
  return { emulator, stripe: stripeClient(emulator) };
}

async function settled(emulator: RunningStripeEmulator, eventId: string, state: DeliveryView['state']): Promise<DeliveryView[]> {
  let found: DeliveryView[] = [];
  await waitFor(
    () => `deliveries of ${eventId} to be ${state}, got ${JSON.stringify(found.map((d) => [d.state, d.attempts.length]))}`,
    async () => {
      found = await deliveries(emulator, eventId);
      return found.length > 0 && found.every((d) => d.state === state);
    },
  );
  return found;
}

describe('webhook deliveries', () => {
  it('delivers every event of a payment, signed so that the SDK verifies it, with each object as it was', async () => {
    const target = await receiver();
    const { emulator, stripe } = await emulatorFor([target]);
    const intent = await stripe.paymentIntents.create(params);
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    await stripe.paymentIntents.capture(intent.id);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 500 });

    await waitFor(() => `7 webhooks, got ${target.received.length}`, () => target.received.length === 7);
    const events = target.received.map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, SECRET));
    expect(events.map((event) => event.type).sort()).toEqual(
      ['charge.captured', 'charge.refunded', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'payment_intent.created', 'payment_intent.succeeded', 'refund.created'].sort(),
    );
    const byType = new Map(events.map((event) => [event.type, event]));
    expect(byType.get('payment_intent.created')?.data.object).toMatchObject({ id: intent.id, status: 'requires_payment_method', amount_capturable: 0 });
    expect(byType.get('payment_intent.amount_capturable_updated')?.data.object).toMatchObject({ id: intent.id, status: 'requires_capture', amount_capturable: 2000 });
    expect(byType.get('payment_intent.succeeded')?.data.object).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 2000 });
    expect(byType.get('charge.refunded')?.data.object).toMatchObject({ object: 'charge', amount_refunded: 500, refunded: false });
    expect(byType.get('refund.created')?.data.object).toMatchObject({ object: 'refund', amount: 500, payment_intent: intent.id });
    for (const event of events) {
      expect(event).toMatchObject({ object: 'event', api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 1 });
      expect(event.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
      expect(event.request?.id).toMatch(/^req_/);
    }

    const [first] = target.received;
    expect(() => stripe.webhooks.constructEvent(first!.body, first!.signature, 'whsec_another_secret')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(first!.body.replace('"livemode": false', '"livemode": true'), first!.signature, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    // Once delivered, the API shows the event with nothing pending and otherwise as sent.
    const created = byType.get('payment_intent.created')!;
    await settled(emulator, created.id, 'succeeded');
    expect(await stripe.events.retrieve(created.id)).toEqual({ ...created, pending_webhooks: 0 });
  });

  it('retries an endpoint that fails, with backoff, until it answers 2xx', async () => {
    const flaky = await receiver((request) => (request <= 2 ? 500 : 200));
    const { emulator, stripe } = await emulatorFor([flaky]);
    await stripe.paymentIntents.create(params);

    const [eventId] = new Set(await waitForReceived(flaky, 3));
    const [delivery] = await settled(emulator, eventId!, 'succeeded');
    expect(delivery!.attempts.map((a) => [a.number, a.status, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(delivery!.attempts[2]!.responseBody).toBe('{"received":true}');
    expect(delivery!.nextAttemptAt).toBeNull();
    expect(flaky.received.map((r) => r.eventId)).toEqual([eventId, eventId, eventId]);
    for (const { body, signature } of flaky.received) expect(stripe.webhooks.constructEvent(body, signature, SECRET).id).toBe(eventId);
    expect(new Set(flaky.received.map((r) => r.body)).size).toBe(1);
  });

  it('counts a refused connection and a timeout as failures, and gives up after maxAttempts', async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const silent = await receiver(() => 'hang');
    const emulator = await startStripeEmulator({
      port: 0,
      webhookEndpoints: [
        { url: gone.url, secret: SECRET },
        { url: silent.url, secret: SECRET },
      ],
      delivery: { ...FAST, maxAttempts: 3, timeoutMs: 200 },
    });
    closers.push(() => emulator.close());
    const stripe = stripeClient(emulator);
    const intent = await stripe.paymentIntents.create(params);
    const [created] = (await stripe.events.list({ type: 'payment_intent.created' })).data;
    expect(created?.data.object).toMatchObject({ id: intent.id });

    const failed = await settled(emulator, created!.id, 'failed');
    const byEndpoint = new Map(failed.map((d) => [d.endpoint, d]));
    expect(byEndpoint.get(gone.url)!.attempts.map((a) => [a.status, a.error])).toEqual([
      [null, 'ECONNREFUSED'],
      [null, 'ECONNREFUSED'],
      [null, 'ECONNREFUSED'],
    ]);
    expect(byEndpoint.get(silent.url)!.attempts.map((a) => [a.status, a.error])).toEqual([
      [null, 'timed out after 200 ms'],
      [null, 'timed out after 200 ms'],
      [null, 'timed out after 200 ms'],
    ]);
    expect(silent.received).toHaveLength(3);
    expect((await stripe.events.retrieve(created!.id)).pending_webhooks).toBe(2);
  });

  it('holds deliveries and releases them in the order asked for', async () => {
    const target = await receiver();
    const { emulator, stripe } = await emulatorFor([target]);
    expect((await control(emulator, 'POST', 'deliveries/hold')).body).toEqual({ holding: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await stripe.paymentIntents.create({ ...params, metadata: { n: String(i) } })).id);
    const created = (await stripe.events.list({ type: 'payment_intent.created' })).data.reverse();
    expect(created.map((event) => (event.data.object as Stripe.PaymentIntent).id)).toEqual(ids);
    const [a, b, c] = created.map((event) => event.id) as [string, string, string];

    const held = await deliveries(emulator);
    expect(held.map((d) => [d.eventId, d.state, d.attempts.length])).toEqual([
      [a, 'held', 0],
      [b, 'held', 0],
      [c, 'held', 0],
    ]);
    expect(target.received).toHaveLength(0);

    const released = await control<{ released: DeliveryView[] }>(emulator, 'POST', 'deliveries/release', { events: [c, a] });
    expect(released.status).toBe(200);
    expect(released.body.released.map((d) => [d.eventId, d.state])).toEqual([
      [c, 'succeeded'],
      [a, 'succeeded'],
    ]);
    expect(target.received.map((r) => r.eventId)).toEqual([c, a]);
    expect((await deliveries(emulator, b))[0]!.state).toBe('held');

    const notHeld = await control<{ error: { message: string } }>(emulator, 'POST', 'deliveries/release', { events: [a] });
    expect(notHeld).toEqual({ status: 400, body: { error: { message: `event ${a} has no held delivery` } } });

    await control(emulator, 'POST', 'deliveries/release');
    expect(target.received.map((r) => r.eventId)).toEqual([c, a, b]);
    expect((await control(emulator, 'GET', 'deliveries')).body).toMatchObject({ holding: false });
    await stripe.paymentIntents.create(params);
    await waitForReceived(target, 4);
  });

  it('re-delivers an event on request: the same event again', async () => {
    const target = await receiver();
    const { emulator, stripe } = await emulatorFor([target]);
    await stripe.paymentIntents.create(params);
    const [eventId] = await waitForReceived(target, 1);
    expect((await control(emulator, 'POST', `events/${eventId!}/redeliver`)).status).toBe(202);
    await waitForReceived(target, 2);
    expect(target.received[1]).toEqual(expect.objectContaining({ eventId, body: target.received[0]!.body }));
    const all = await settled(emulator, eventId!, 'succeeded');
    expect(all.map((d) => d.duplicate)).toEqual([false, true]);
    expect((await control(emulator, 'POST', 'events/evt_missing/redeliver')).status).toBe(404);
  });

  it('sends events to an endpoint added after start, from then on', async () => {
    const { emulator, stripe } = await emulatorFor([]);
    await stripe.paymentIntents.create(params);
    const late = await receiver();
    emulator.addWebhookEndpoint(late.url, SECRET);
    const second = await stripe.paymentIntents.create(params);
    const [eventId] = await waitForReceived(late, 1);
    expect(stripe.webhooks.constructEvent(late.received[0]!.body, late.received[0]!.signature, SECRET).data.object).toMatchObject({ id: second.id });
    expect((await stripe.events.list()).data.map((event) => event.id)).toEqual([eventId, expect.any(String)]);

    const refused = await control(emulator, 'POST', 'webhook_endpoints', { url: late.url, secret: 'not-a-secret' });
    expect(refused).toEqual({ status: 400, body: { error: { message: 'a webhook signing secret starts with whsec_ and has no spaces, as Stripe issues them' } } });
    expect(() => emulator.addWebhookEndpoint('ftp://example.com', SECRET)).toThrow(TypeError);
  });
});

describe('controls', () => {
  it('expires an uncaptured authorization as Stripe does after 7 days', async () => {
    const target = await receiver();
    const { emulator, stripe } = await emulatorFor([target]);
    const intent = await stripe.paymentIntents.create(params);
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    await waitForReceived(target, 3);

    const expired = await control<{ payment_intent: Stripe.PaymentIntent }>(emulator, 'POST', `payment_intents/${intent.id}/expire`);
    expect(expired.status).toBe(200);
    expect(expired.body.payment_intent).toMatchObject({ id: intent.id, status: 'canceled', cancellation_reason: 'automatic', amount_capturable: 0 });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'canceled', cancellation_reason: 'automatic' });

    await waitForReceived(target, 5);
    const events = target.received.slice(3).map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, SECRET));
    const byType = new Map(events.map((event) => [event.type, event]));
    expect(byType.get('payment_intent.canceled')).toMatchObject({ request: { id: null, idempotency_key: null }, data: { object: { id: intent.id, cancellation_reason: 'automatic' } } });
    expect(byType.get('charge.expired')?.data.object).toMatchObject({ object: 'charge', payment_intent: intent.id, captured: false, refunded: true, amount_refunded: 2000 });

    expect((await control(emulator, 'POST', `payment_intents/${intent.id}/expire`)).status).toBe(409);
    expect((await control(emulator, 'POST', 'payment_intents/pi_missing/expire')).status).toBe(404);
    expect(await stripeError(stripe.paymentIntents.capture(intent.id))).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('resets to an empty account, keeping the webhook endpoints', async () => {
    const target = await receiver();
    const { emulator, stripe } = await emulatorFor([target]);
    const before = await stripe.paymentIntents.create(params, { idempotencyKey: 'before-reset' });
    await waitForReceived(target, 1);
    expect(await control(emulator, 'POST', 'reset')).toEqual({ status: 200, body: { reset: true } });

    expect(await stripeError(stripe.paymentIntents.retrieve(before.id))).toMatchObject({ statusCode: 404 });
    expect((await stripe.events.list()).data).toEqual([]);
    expect(await deliveries(emulator)).toEqual([]);
    const after = await stripe.paymentIntents.create(params, { idempotencyKey: 'before-reset' });
    expect(after.id).not.toBe(before.id);
    await waitForReceived(target, 2);
    expect(await control(emulator, 'GET', 'health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await control(emulator, 'GET', 'webhook_endpoints')).toEqual({ status: 200, body: { endpoints: [target.url] } });
  });
});

describe('the events API', () => {
  it('lists events newest first, filtered by type, a page at a time', async () => {
    const { stripe } = await emulatorFor([]);
    const intents = [];
    for (let i = 0; i < 3; i += 1) intents.push(await stripe.paymentIntents.create(params));
    await stripe.paymentIntents.cancel(intents[0]!.id);

    const created = await stripe.events.list({ type: 'payment_intent.created', limit: 2 });
    expect(created.has_more).toBe(true);
    expect(created.data.map((event) => (event.data.object as Stripe.PaymentIntent).id)).toEqual([intents[2]!.id, intents[1]!.id]);
    const rest = await stripe.events.list({ type: 'payment_intent.created', limit: 2, starting_after: created.data[1]!.id });
    expect(rest.has_more).toBe(false);
    expect(rest.data.map((event) => (event.data.object as Stripe.PaymentIntent).id)).toEqual([intents[0]!.id]);
    const newer = await stripe.events.list({ limit: 10, ending_before: created.data[0]!.id });
    expect(newer.data.map((event) => event.type)).toEqual(['payment_intent.canceled']);
    expect((await stripe.events.list({ type: 'payment_intent.*' })).data).toHaveLength(4);
    expect((await stripe.events.list({ types: ['payment_intent.canceled', 'charge.refunded'] })).data.map((event) => event.type)).toEqual(['payment_intent.canceled']);
    expect(await stripeError(stripe.events.list({ limit: 101 }))).toMatchObject({ statusCode: 400, param: 'limit' });
  });
});

/** Waits until the receiver has seen `count` requests; returns their event ids in arrival order. */
async function waitForReceived(target: WebhookReceiver, count: number): Promise<string[]> {
  await waitFor(() => `${count} webhook requests, got ${target.received.length}`, () => target.received.length >= count);
  return target.received.map((r) => r.eventId);
}
