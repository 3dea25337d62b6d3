import type Stripe from 'stripe';
import { newId, unixNow } from './ids';

/** How the issuer answers a card: Stripe's error code, decline code and message for a declined one. */
export interface Decline {
  readonly code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error';
  readonly declineCode: string;
  readonly message: string;
}

interface TestCard {
  readonly brand: 'visa' | 'mastercard' | 'amex';
  readonly last4: string;
  readonly funding: 'credit' | 'debit';
  readonly decline?: Decline;
}

const declined = (last4: string, code: Decline['code'], declineCode: string, message: string): TestCard => ({
  brand: 'visa',
  last4,
  funding: 'credit',
  decline: { code, declineCode, message },
});
const CARD_DECLINED = 'Your card was declined.';

/**
 * Stripe's test payment methods (https://docs.stripe.com/testing#cards and #declined-payments), with the card each
 * stands for and the issuer's answer. A confirm with one of these names creates a new `pm_...` for that card, as
 * Stripe does; the new id can be used again.
 */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_chargeDeclined: declined('0002', 'card_declined', 'generic_decline', CARD_DECLINED),
  pm_card_chargeDeclinedInsufficientFunds: declined('9995', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_chargeDeclinedLostCard: declined('9987', 'card_declined', 'lost_card', CARD_DECLINED),
  pm_card_chargeDeclinedStolenCard: declined('9979', 'card_declined', 'stolen_card', CARD_DECLINED),
  pm_card_chargeDeclinedFraudulent: declined('0019', 'card_declined', 'fraudulent', CARD_DECLINED),
  pm_card_chargeDeclinedExpiredCard: declined('0069', 'expired_card', 'expired_card', 'Your card has expired.'),
  pm_card_chargeDeclinedIncorrectCvc: declined('0127', 'incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  pm_card_chargeDeclinedProcessingError: declined('0119', 'processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
};

/** A payment method and the issuer behaviour of the card behind it. */
export interface StoredPaymentMethod {
  readonly object: Stripe.PaymentMethod;
  readonly decline: Decline | undefined;
}

/** Builds the PaymentMethod Stripe makes from a test name: a card expiring next year, no billing details. */
export function createTestPaymentMethod(testName: string): StoredPaymentMethod | undefined {
  const card = Object.hasOwn(TEST_PAYMENT_METHODS, testName) ? TEST_PAYMENT_METHODS[testName] : undefined;
  if (!card) return undefined;
  const object: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 1,
      fingerprint: `fp${card.brand}${card.last4}`,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: unixNow(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  return { object, decline: card.decline };
}
