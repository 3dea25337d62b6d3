import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { startStripeEmulator, type RunningStripeEmulator } from '../../../dev/stripe-emulator';
import { stripeClient, TEST_PUBLISHABLE_KEY } from '../../../dev/stripe-emulator/testing';
import { confirmWithTestMethod, intentIdOf, TEST_METHODS } from './test-methods';

/** The storefront's confirm call against the real Stripe-protocol emulator, as a browser makes it. */
let emulator: RunningStripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  stripe = stripeClient(emulator);
});
afterAll(() => emulator.close());

const openIntent = async () => {
  const intent = await stripe.paymentIntents.create({ amount: 14497, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'] });
  return { id: intent.id, clientSecret: intent.client_secret! };
};

describe('confirmWithTestMethod', () => {
  it('offers exactly the emulator’s three test methods', () => {
    expect(TEST_METHODS.map((method) => [method.id, method.label])).toEqual([
      ['pm_card_visa', 'Visa'],
      ['pm_card_chargeDeclined', 'Declined'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'Insufficient funds'],
    ]);
  });

  it('finds the intent id in a client secret, and nothing in anything else', () => {
    expect(intentIdOf('pi_3PgafyB7WZ01zgkWSjxsAJo3_secret_abc123')).toBe('pi_3PgafyB7WZ01zgkWSjxsAJo3');
    for (const bad of ['', 'pi_1', 'seti_1_secret_2', 'pi_1/../x_secret_2', 'pi_1_secret_2&key=x']) expect([bad, intentIdOf(bad)]).toEqual([bad, undefined]);
  });

  it('reports a decline with Stripe’s message, then authorizes the same intent with Visa', async () => {
    const { id, clientSecret } = await openIntent();
    const base = { apiUrl: emulator.url, publishableKey: TEST_PUBLISHABLE_KEY, clientSecret };
    expect(await confirmWithTestMethod({ ...base, paymentMethod: 'pm_card_chargeDeclined' })).toEqual({ kind: 'declined', message: 'Your card was declined.', declineCode: 'generic_decline' });
    expect(await confirmWithTestMethod({ ...base, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' })).toEqual({
      kind: 'declined',
      message: 'Your card has insufficient funds.',
      declineCode: 'insufficient_funds',
    });
    expect(await confirmWithTestMethod({ ...base, paymentMethod: 'pm_card_visa' })).toEqual({ kind: 'authorized' });
    expect((await stripe.paymentIntents.retrieve(id)).status).toBe('requires_capture');
  });

  it('says what went wrong when the secret is not the intent’s or the provider is unreachable', async () => {
    const { clientSecret } = await openIntent();
    const other = await openIntent();
    const wrong = await confirmWithTestMethod({ apiUrl: emulator.url, publishableKey: TEST_PUBLISHABLE_KEY, clientSecret: `${intentIdOf(clientSecret)!}_secret_${other.clientSecret.split('_secret_')[1]!}`, paymentMethod: 'pm_card_visa' });
    expect(wrong).toEqual({ kind: 'failed', message: 'The client_secret provided does not match the client_secret associated with the PaymentIntent.' });
    const unreachable = await confirmWithTestMethod({ apiUrl: 'http://127.0.0.1:1', publishableKey: TEST_PUBLISHABLE_KEY, clientSecret, paymentMethod: 'pm_card_visa' });
    expect(unreachable).toEqual({ kind: 'failed', message: 'The payment provider could not be reached. Check your connection and try again.' });
  });
});
