import type Stripe from 'stripe';
import { noSuchObject } from './errors';
import { newId, unixNow } from './ids';
import type { Decline, StoredPaymentMethod } from './payment-methods';
import type { ApiContext, ApiResult } from './api';
import { ok } from './api';
import type { StoredCharge } from './state';

/** Stripe's outcome of an authorization: approved, or declined by the issuer with its reason. */
function outcomeOf(decline: Decline | undefined): Stripe.Charge.Outcome {
  if (!decline) {
    return { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' };
  }
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.declineCode,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
}

/**
 * The charge one confirmation makes: `succeeded` (authorized; captured at once only with automatic capture) or
 * `failed` with the decline's code and message, as Stripe records every attempt.
 */
export function createCharge(intent: Stripe.PaymentIntent, method: StoredPaymentMethod, capture: boolean): StoredCharge {
  const card = method.object.card;
  const decline = method.decline;
  const succeeded = decline === undefined;
  const object: Stripe.Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded && capture ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: method.object.billing_details,
    calculated_statement_descriptor: 'EMULATED',
    captured: succeeded && capture,
    created: unixNow(),
    currency: intent.currency,
    customer: null,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: outcomeOf(decline),
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: method.object.id,
    payment_method_details: {
      card: {
        amount_authorized: succeeded ? intent.amount : null,
        authorization_code: succeeded ? '123456' : null,
        brand: card?.brand ?? null,
        checks: card?.checks ?? null,
        country: card?.country ?? null,
        electronic_commerce_indicator: null,
        exp_month: card?.exp_month ?? 12,
        exp_year: card?.exp_year ?? new Date().getUTCFullYear() + 1,
        funding: card?.funding ?? null,
        installments: null,
        last4: card?.last4 ?? null,
        mandate: null,
        network: card?.brand ?? null,
        network_transaction_id: null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
  return { object, refundedByRefunds: 0 };
}

/**
 * Moves `amount` of the charge to `amount_refunded`: a refund, or the part of an authorization that is released
 * (not captured, cancelled, expired), which Stripe reports as refunded too. Fully refunded when nothing is left.
 */
export function refundOnCharge(charge: StoredCharge, amount: number): void {
  charge.object.amount_refunded += amount;
  charge.object.refunded = charge.object.amount_refunded >= charge.object.amount;
}

/** What Refund objects may still take back: the captured amount less earlier refunds. */
export const refundableOf = (charge: StoredCharge): number => charge.object.amount_captured - charge.refundedByRefunds;

export function findCharge(context: ApiContext, id: string): StoredCharge {
  const charge = context.state.charges.get(id);
  if (!charge) throw noSuchObject('charge', id, 'charge');
  return charge;
}

/** `GET /v1/charges/:id`. */
export function retrieveCharge(context: ApiContext): ApiResult {
  context.params.allowOnly(['expand']).expand([]);
  return ok(findCharge(context, context.id).object);
}
