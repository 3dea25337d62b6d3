import type Stripe from 'stripe';
import { formatAmount } from './amounts';
import { ok, type ApiContext, type ApiResult } from './api';
import { refundableOf, refundOnCharge } from './charges';
import { invalidRequest, noSuchObject, noSuchReferencedObject } from './errors';
import { newId, unixNow } from './ids';
import type { StoredCharge } from './state';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
const EXPANDABLE = ['charge', 'payment_intent'] as const;

function render(context: ApiContext, refund: Stripe.Refund, expand: ReadonlySet<(typeof EXPANDABLE)[number]>): Stripe.Refund {
  const copy = structuredClone(refund);
  if (expand.has('charge') && typeof refund.charge === 'string') copy.charge = structuredClone(context.state.charges.get(refund.charge)?.object ?? refund.charge);
  if (expand.has('payment_intent') && typeof refund.payment_intent === 'string') {
    copy.payment_intent = structuredClone(context.state.paymentIntents.get(refund.payment_intent) ?? refund.payment_intent);
  }
  return copy;
}

/** The captured charge a refund takes money back from, named by `payment_intent` or `charge`. */
function chargeToRefund(context: ApiContext, intentId: string | undefined, chargeId: string | undefined): StoredCharge {
  if (!intentId && !chargeId) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing' });
  let charge: StoredCharge | undefined;
  if (intentId) {
    const intent = context.state.paymentIntents.get(intentId);
    if (!intent) throw noSuchReferencedObject('payment_intent', intentId, 'payment_intent');
    charge = intent.status === 'succeeded' && typeof intent.latest_charge === 'string' ? context.state.charges.get(intent.latest_charge) : undefined;
    if (!charge) throw invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
  }
  if (chargeId) {
    const named = context.state.charges.get(chargeId);
    if (!named) throw noSuchReferencedObject('charge', chargeId, 'charge');
    if (charge && charge !== named) throw invalidRequest(`The charge ${chargeId} does not belong to the PaymentIntent ${intentId}.`, { param: 'charge' });
    if (!named.object.captured) throw invalidRequest(`Charge ${chargeId} has not been captured; cancel its PaymentIntent to release the authorization.`, { code: 'charge_not_refundable', param: 'charge' });
    charge = named;
  }
  return charge!;
}

/**
 * `POST /v1/refunds`: all that is left of the captured amount, or `amount` of it. Test-mode refunds succeed at once;
 * the charge shows the refunded amount, and `refund.created` and `charge.refunded` follow.
 */
export function createRefund(context: ApiContext): ApiResult {
  const params = context.params.allowOnly(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
  const intentId = params.string('payment_intent');
  const chargeId = params.string('charge');
  const requested = params.integer('amount', { min: 1 });
  const reason = params.oneOf('reason', REASONS) ?? null;
  const metadata = params.metadata();
  const expand = params.expand(EXPANDABLE);
  const charge = chargeToRefund(context, intentId, chargeId);
  const left = refundableOf(charge);
  const currency = charge.object.currency;
  if (left === 0) throw invalidRequest(`Charge ${charge.object.id} has already been refunded.`, { code: 'charge_already_refunded' });
  const amount = requested ?? left;
  if (amount > left) {
    throw invalidRequest(`Refund amount (${formatAmount(amount, currency)}) is greater than unrefunded amount on charge (${formatAmount(left, currency)})`, { code: 'amount_too_large', param: 'amount' });
  }
  const refund: Stripe.Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    application: null,
    balance_transaction: null,
    charge: charge.object.id,
    created: unixNow(),
    currency,
    customer: null,
    customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata,
    payment_intent: charge.object.payment_intent as string,
    payment_method: charge.object.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  context.state.refunds.set(refund.id, refund);
  charge.refundedByRefunds += amount;
  refundOnCharge(charge, amount);
  context.events.emit('refund.created', refund, context.request);
  context.events.emit('charge.refunded', charge.object, context.request);
  return ok(render(context, refund, expand));
}

/** `GET /v1/refunds/:id`. */
export function retrieveRefund(context: ApiContext): ApiResult {
  const expand = context.params.allowOnly(['expand']).expand(EXPANDABLE);
  const refund = context.state.refunds.get(context.id);
  if (!refund) throw noSuchObject('refund', context.id, 'refund');
  return ok(render(context, refund, expand));
}
