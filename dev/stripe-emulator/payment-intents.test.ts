import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { startStripeEmulator, type RunningStripeEmulator } from '.';
import { stripeClient, stripeError } from './testing';

let emulator: RunningStripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  stripe = stripeClient(emulator);
});
afterAll(() => emulator.close());

const manualCard: Stripe.PaymentIntentCreateParams = { amount: 1999, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'], metadata: { orderId: 'order-1' } };

async function authorized(amount = 1999): Promise<Stripe.PaymentIntent> {
  const intent = await stripe.paymentIntents.create({ ...manualCard, amount });
  return stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
}

describe('creating and reading PaymentIntents', () => {
  it("creates an intent with Stripe's fields and reads it back", async () => {
    const before = Math.floor(Date.now() / 1000);
    const intent = await stripe.paymentIntents.create({ ...manualCard, currency: 'USD', description: 'Order order-1' });

    expect(intent.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_[A-Za-z0-9]{25}$`));
    expect(intent).toMatchObject({
      object: 'payment_intent',
      amount: 1999,
      amount_capturable: 0,
      amount_received: 0,
      currency: 'usd',
      status: 'requires_payment_method',
      capture_method: 'manual',
      confirmation_method: 'automatic',
      metadata: { orderId: 'order-1' },
      description: 'Order order-1',
      payment_method: null,
      allowed_payment_method_types: ['card'],
      payment_method_types: ['card'],
      automatic_payment_methods: null,
      last_payment_error: null,
      latest_charge: null,
      cancellation_reason: null,
      canceled_at: null,
      livemode: false,
    });
    expect(intent.created).toBeGreaterThanOrEqual(before);
    expect(intent.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(await stripe.paymentIntents.retrieve(intent.id)).toEqual(intent);
  });

  it('refuses a missing amount, an amount below the currency minimum and an unknown parameter, as Stripe does', async () => {
    const missing = await stripeError(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, rawType: 'invalid_request_error', code: 'parameter_missing', param: 'amount' });
    expect(missing.raw).toMatchObject({ message: 'Missing required param: amount.' });

    const small = await stripeError(stripe.paymentIntents.create({ amount: 49, currency: 'usd' }));
    expect(small).toMatchObject({ statusCode: 400, code: 'amount_too_small', param: 'amount' });
    expect(small.raw).toMatchObject({ message: 'Amount must be at least $0.50 usd' });

    const unknown = await stripeError(stripe.rawRequest('POST', '/v1/payment_intents', { amount: 1000, currency: 'usd', colour: 'red' }));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
    expect(unknown.raw).toMatchObject({ message: 'Received unknown parameter: colour' });

    const currency = await stripeError(stripe.paymentIntents.create({ amount: 1000, currency: 'xyz' }));
    expect(currency).toMatchObject({ statusCode: 400, param: 'currency' });
  });

  it('answers 404 resource_missing for ids it does not know', async () => {
    const intent = await stripeError(stripe.paymentIntents.retrieve('pi_missing'));
    expect(intent).toMatchObject({ statusCode: 404, type: 'StripeInvalidRequestError', code: 'resource_missing', param: 'intent' });
    expect(intent.raw).toMatchObject({ message: "No such payment_intent: 'pi_missing'" });
    const capture = await stripeError(stripe.paymentIntents.capture('pi_missing'));
    expect(capture).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const refund = await stripeError(stripe.refunds.retrieve('re_missing'));
    expect(refund).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'refund' });
    expect(refund.raw).toMatchObject({ message: "No such refund: 're_missing'" });
    const event = await stripeError(stripe.events.retrieve('evt_missing'));
    expect(event).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('authorizing and capturing', () => {
  it('authorizes pm_card_visa with manual capture, then captures the whole amount', async () => {
    const intent = await authorized();
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 1999, amount_received: 0, last_payment_error: null });
    expect(intent.payment_method).toMatch(/^pm_[A-Za-z0-9]{24}$/);
    expect(intent.latest_charge).toMatch(/^ch_[A-Za-z0-9]{24}$/);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ object: 'charge', status: 'succeeded', paid: true, captured: false, amount: 1999, amount_captured: 0, amount_refunded: 0, currency: 'usd', payment_intent: intent.id, payment_method: intent.payment_method });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });

    const captured = await stripe.paymentIntents.capture(intent.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 1999 });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ captured: true, amount_captured: 1999, amount_refunded: 0, refunded: false });
  });

  it('captures part of an authorization and releases the rest; more than capturable is refused', async () => {
    const intent = await authorized(2000);
    const tooMuch = await stripeError(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2001 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });

    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 1500 });
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ captured: true, amount_captured: 1500, amount_refunded: 500, refunded: false });
  });

  it('with automatic capture, a confirmed intent succeeds at once (here confirmed on create)', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'eur', capture_method: 'automatic', allowed_payment_method_types: ['card'], payment_method: 'pm_card_mastercard', confirm: true });
    expect(intent).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 5000, currency: 'eur' });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ captured: true, amount_captured: 5000 });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });

  it('an intent with automatic payment methods needs a return_url to be confirmed, unless redirects are off', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual' });
    expect(intent.automatic_payment_methods).toEqual({ allow_redirects: 'always', enabled: true });
    const refused = await stripeError(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }));
    expect(refused).toMatchObject({ statusCode: 400, param: 'return_url' });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_payment_method');
    expect((await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa', return_url: 'http://localhost/done' })).status).toBe('requires_capture');

    const noRedirects = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    expect((await stripe.paymentIntents.confirm(noRedirects.id, { payment_method: 'pm_card_visa' })).status).toBe('requires_capture');
  });

  it('a payment method given on create is used by a later confirm without one', async () => {
    const intent = await stripe.paymentIntents.create({ ...manualCard, payment_method: 'pm_card_amex' });
    expect(intent.status).toBe('requires_confirmation');
    const confirmed = await stripe.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({ status: 'requires_capture', payment_method: intent.payment_method });
  });
});

describe('declines', () => {
  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'Your card has expired.'],
  ])('%s is HTTP 402 card_error %s/%s; the intent waits for another payment method and a retry succeeds', async (method, code, declineCode, message) => {
    const intent = await stripe.paymentIntents.create(manualCard);
    const declined = await stripeError(stripe.paymentIntents.confirm(intent.id, { payment_method: method }));
    expect(declined).toMatchObject({ type: 'StripeCardError', rawType: 'card_error', statusCode: 402, code, decline_code: declineCode });
    expect(declined.message).toBe(`[${declined.requestId}] ${message}`);
    expect(declined.raw).toMatchObject({ message, doc_url: `https://stripe.com/docs/error-codes/${code.replace('_', '-')}` });
    expect(declined.payment_intent).toMatchObject({ id: intent.id, status: 'requires_payment_method' });
    expect(declined.charge).toMatch(/^ch_/);

    const after = await stripe.paymentIntents.retrieve(intent.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null, amount_capturable: 0, latest_charge: declined.charge });
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code, decline_code: declineCode, message, charge: declined.charge });
    expect(after.last_payment_error?.payment_method?.id).toMatch(/^pm_/);
    expect(await stripe.charges.retrieve(declined.charge as string)).toMatchObject({ status: 'failed', paid: false, captured: false, failure_code: code, failure_message: message });

    const retried = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(retried).toMatchObject({ status: 'requires_capture', amount_capturable: 1999, last_payment_error: null });
    expect(retried.latest_charge).not.toBe(declined.charge);
  });

  it('an unknown payment method is 400 resource_missing and changes nothing', async () => {
    const intent = await stripe.paymentIntents.create(manualCard);
    const error = await stripeError(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_unknown' }));
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, code: 'resource_missing', param: 'payment_method' });
    expect(error.raw).toMatchObject({ message: "No such PaymentMethod: 'pm_card_unknown'" });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'requires_payment_method', latest_charge: null });
  });
});

describe('cancelling and unexpected states', () => {
  it('cancels an authorization and releases it on the charge', async () => {
    const intent = await authorized();
    const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0, amount_received: 0 });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ captured: false, amount_refunded: 1999, refunded: true });

    const open = await stripe.paymentIntents.cancel((await stripe.paymentIntents.create(manualCard)).id);
    expect(open).toMatchObject({ status: 'canceled', cancellation_reason: null });
  });

  it('refuses to capture a cancelled intent, to cancel a succeeded one and to confirm either', async () => {
    const canceled = await stripe.paymentIntents.cancel((await authorized()).id);
    const capture = await stripeError(stripe.paymentIntents.capture(canceled.id));
    expect(capture).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state' });
    expect(capture.raw).toMatchObject({
      message: 'This PaymentIntent could not be captured because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.',
    });
    expect(capture.payment_intent).toMatchObject({ id: canceled.id, status: 'canceled' });

    const succeeded = await stripe.paymentIntents.capture((await authorized()).id);
    const cancel = await stripeError(stripe.paymentIntents.cancel(succeeded.id));
    expect(cancel).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(cancel.raw).toMatchObject({
      message:
        'You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.',
    });
    const confirm = await stripeError(stripe.paymentIntents.confirm(succeeded.id));
    expect(confirm.raw).toMatchObject({ code: 'payment_intent_unexpected_state', message: 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.' });
    const reconfirm = await stripeError(stripe.paymentIntents.confirm(canceled.id, { payment_method: 'pm_card_visa' }));
    expect(reconfirm).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    const missing = await stripeError(stripe.paymentIntents.confirm((await stripe.paymentIntents.create(manualCard)).id));
    expect(missing).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });
});

describe('refunds', () => {
  it('refunds in parts up to the captured amount, then refuses', async () => {
    const intent = await stripe.paymentIntents.capture((await authorized()).id);
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 500, reason: 'requested_by_customer' });
    expect(first.id).toMatch(/^re_[A-Za-z0-9]{24}$/);
    expect(first).toMatchObject({ object: 'refund', amount: 500, currency: 'usd', status: 'succeeded', charge: intent.latest_charge, payment_intent: intent.id, reason: 'requested_by_customer' });
    expect(await stripe.refunds.retrieve(first.id)).toEqual(first);
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ amount_refunded: 500, refunded: false });

    const tooMuch = await stripeError(stripe.refunds.create({ payment_intent: intent.id, amount: 1500 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    expect(tooMuch.raw).toMatchObject({ message: 'Refund amount ($15.00) is greater than unrefunded amount on charge ($14.99)' });

    const rest = await stripe.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(1499);
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ amount_refunded: 1999, refunded: true });
    const again = await stripeError(stripe.refunds.create({ payment_intent: intent.id }));
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(again.raw).toMatchObject({ message: `Charge ${intent.latest_charge as string} has already been refunded.` });
  });

  it('refuses to refund an intent that has not been captured', async () => {
    const intent = await authorized();
    const error = await stripeError(stripe.refunds.create({ payment_intent: intent.id }));
    expect(error).toMatchObject({ statusCode: 400, code: 'charge_not_refundable', param: 'payment_intent' });
    expect(error.raw).toMatchObject({ message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.` });
  });
});
