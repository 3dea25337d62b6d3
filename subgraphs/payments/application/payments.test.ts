import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../../lib/ddd';
import { control } from '../../../dev/stripe-emulator/testing';
import { startPaymentsHarness, type PaymentsHarness } from '../test-support/payments-harness';
import { capturePayment } from './capture-payment';
import { compensateCancelledOrder } from './compensate-payment';
import { handleProviderEvent } from './handle-provider-event';
import { startPayment } from './start-payment';

/**
 * Payments' use cases against the real table and the real Stripe adapter talking to the Stripe emulator over HTTP:
 * starting a payment, webhook news reconciled with the intent's state, compensation of a cancelled order, capture.
 */

let h: PaymentsHarness;
beforeAll(async () => {
  h = await startPaymentsHarness('payments-use-cases');
}, 60_000);
afterAll(() => h?.stop());

const customer = (sub: string) => ({ sub, roles: [] as string[] });
const event = (paymentId: string, type = 'payment_intent.amount_capturable_updated') => ({ id: `evt_${randomUUID()}`, type, paymentId, failedAttempt: type === 'payment_intent.payment_failed' });
const rejection = async (promise: Promise<unknown>) => promise.then(() => ({ code: 'resolved', message: '' }), (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }));
const intentOf = (id: string) => h.stripe.paymentIntents.retrieve(id);
const confirmWith = (id: string, method: string) => h.stripe.paymentIntents.confirm(id, { payment_method: method }).catch((error: unknown) => error);

async function started(sub = `customer-${randomUUID().slice(0, 8)}`) {
  const order = h.orders.add(sub);
  const payment = await startPayment(h.deps, customer(sub), order.id);
  return { order, payment, caller: customer(sub) };
}

describe('startPayment', () => {
  it('starts a PaymentIntent of the order total with manual capture, tied to the order by its metadata', async () => {
    const { order, payment } = await started();
    expect(payment.snapshot()).toMatchObject({ orderId: order.id, status: 'REQUIRES_PAYMENT', amount: { amount: 2599, currency: 'USD' }, provider: 'stripe', version: 1 });
    const intent = await intentOf(payment.providerPaymentId);
    expect(intent).toMatchObject({ amount: 2599, currency: 'usd', capture_method: 'manual', status: 'requires_payment_method', metadata: { order_id: order.id, customer_id: order.customerId } });
    expect(payment.clientSecret).toBe(intent.client_secret);
  });

  it('answers the same payment and intent however often, and however concurrently, it is asked', async () => {
    const order = h.orders.add('customer-repeat');
    const payments = await Promise.all(Array.from({ length: 6 }, () => startPayment(h.deps, customer('customer-repeat'), order.id)));
    expect(new Set(payments.map((payment) => payment.id)).size).toBe(1);
    expect(new Set(payments.map((payment) => payment.providerPaymentId)).size).toBe(1);
    expect((await startPayment(h.deps, customer('customer-repeat'), order.id)).id).toBe(payments[0]!.id);
    const created = await h.stripe.events.list({ type: 'payment_intent.created', limit: 100 });
    expect(created.data.filter((e) => (e.data.object as { metadata: Record<string, string> }).metadata['order_id'] === order.id)).toHaveLength(1);
  });

  it('refuses someone else’s order, an unknown one, an order that is not PENDING, and a cancelled one', async () => {
    const { order } = await started('customer-owner');
    expect(await rejection(startPayment(h.deps, customer('customer-other'), order.id))).toEqual({
      code: ErrorCode.FORBIDDEN,
      message: `order ${order.id} belongs to another customer; only its owner pays for it`,
    });
    expect((await rejection(startPayment(h.deps, customer('customer-owner'), 'no-such-order'))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await rejection(startPayment(h.deps, null, order.id))).code).toBe(ErrorCode.UNAUTHENTICATED);
    const confirmed = h.orders.add('customer-owner');
    h.orders.setStatus(confirmed.id, 'CONFIRMED');
    expect(await rejection(startPayment(h.deps, customer('customer-owner'), confirmed.id))).toEqual({
      code: ErrorCode.INVALID_ORDER_TRANSITION,
      message: `order ${confirmed.id} is CONFIRMED; only a PENDING order can be paid`,
    });
    // Orders may still say PENDING while Payments already knows the cancellation (its event is faster than a read).
    const cancelled = h.orders.add('customer-owner');
    await h.deps.payments.rememberCancelledOrder(cancelled.id, new Date());
    expect((await rejection(startPayment(h.deps, customer('customer-owner'), cancelled.id))).code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
  });
});

describe('provider news', () => {
  it('records a decline (FAILED with Stripe’s message), then the retry’s authorization, each event id once', async () => {
    const { order, payment } = await started();
    expect(await confirmWith(payment.providerPaymentId, 'pm_card_chargeDeclinedInsufficientFunds')).toMatchObject({ type: 'StripeCardError', code: 'card_declined' });
    const declined = event(payment.providerPaymentId, 'payment_intent.payment_failed');
    expect(await handleProviderEvent(h.deps, declined)).toBe('processed');
    expect(await handleProviderEvent(h.deps, declined)).toBe('duplicate');
    const failed = (await h.deps.payments.findByOrderId(order.id))!;
    expect([failed.status, failed.failureReason]).toEqual(['FAILED', 'Your card has insufficient funds.']);

    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId))).toBe('processed');
    // A decline delivered late (a new event id, the news already superseded) changes nothing.
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId, 'payment_intent.payment_failed'))).toBe('processed');
    const authorized = (await h.deps.payments.findByOrderId(order.id))!;
    expect([authorized.status, authorized.failureReason, authorized.version]).toEqual(['AUTHORIZED', undefined, 3]);
    expect((await h.outboxEventsOf(order.id)).map((e) => [e.type, e.data['reason']])).toEqual([
      ['payment.failed', 'Your card has insufficient funds.'],
      ['payment.authorized', undefined],
    ]);
  });

  it('voids at once an authorization for an order whose cancellation is known', async () => {
    const { order, payment } = await started();
    await h.deps.payments.rememberCancelledOrder(order.id, new Date());
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId))).toBe('processed');
    expect((await h.deps.payments.findByOrderId(order.id))!.status).toBe('VOIDED');
    expect((await intentOf(payment.providerPaymentId)).status).toBe('canceled');
    expect((await h.outboxEventsOf(order.id)).map((e) => [e.type, e.data['reason']])).toEqual([['payment.voided', 'the order was cancelled before its payment was authorized']]);
  });

  it('voids an authorized intent that no payment of this system stands for', async () => {
    const stray = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'manual', allowed_payment_method_types: ['card'], metadata: { order_id: randomUUID() } });
    expect(await confirmWith(stray.id, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
    expect(await handleProviderEvent(h.deps, event(stray.id))).toBe('ignored');
    expect((await intentOf(stray.id)).status).toBe('canceled');
  });

  it('ignores events about nothing it acts on', async () => {
    expect(await handleProviderEvent(h.deps, { id: 'evt_other', type: 'customer.created', paymentId: undefined, failedAttempt: false })).toBe('ignored');
  });
});

describe('a cancelled order’s payment', () => {
  it('is voided after authorization (the hold released at Stripe), refunded after capture, and settled once', async () => {
    const authorized = await started();
    await confirmWith(authorized.payment.providerPaymentId, 'pm_card_visa');
    await handleProviderEvent(h.deps, event(authorized.payment.providerPaymentId));
    const cause = { consumer: 'payments', eventId: randomUUID() };
    expect(await compensateCancelledOrder(h.deps, { orderId: authorized.order.id, reason: 'changed my mind' }, cause)).toBe('settled');
    expect(await compensateCancelledOrder(h.deps, { orderId: authorized.order.id, reason: 'changed my mind' }, cause)).toBe('nothing-to-undo');
    expect((await h.deps.payments.findByOrderId(authorized.order.id))!.status).toBe('VOIDED');
    expect((await intentOf(authorized.payment.providerPaymentId)).status).toBe('canceled');
    expect((await h.outboxEventsOf(authorized.order.id)).at(-1)).toMatchObject({ type: 'payment.voided', data: { reason: 'the order was cancelled: changed my mind' } });

    const captured = await started();
    await confirmWith(captured.payment.providerPaymentId, 'pm_card_visa');
    await handleProviderEvent(h.deps, event(captured.payment.providerPaymentId));
    await capturePayment(h.deps, captured.order.id);
    expect(await compensateCancelledOrder(h.deps, { orderId: captured.order.id }, { consumer: 'payments', eventId: randomUUID() })).toBe('settled');
    expect((await h.deps.payments.findByOrderId(captured.order.id))!.status).toBe('REFUNDED');
    const intent = await h.stripe.paymentIntents.retrieve(captured.payment.providerPaymentId, { expand: ['latest_charge'] });
    expect((intent.latest_charge as { refunded: boolean }).refunded).toBe(true);
  });

  it('cancels an intent still awaiting payment, so it can no longer be paid', async () => {
    const { order, payment } = await started();
    expect(await compensateCancelledOrder(h.deps, { orderId: order.id }, { consumer: 'payments', eventId: randomUUID() })).toBe('settled');
    expect((await h.deps.payments.findByOrderId(order.id))!.status).toBe('VOIDED');
    expect(await confirmWith(payment.providerPaymentId, 'pm_card_visa')).toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('is remembered before any payment starts: none may start afterwards', async () => {
    const order = h.orders.add('customer-early-cancel');
    expect(await compensateCancelledOrder(h.deps, { orderId: order.id }, { consumer: 'payments', eventId: randomUUID() })).toBe('no-payment');
    expect((await rejection(startPayment(h.deps, customer('customer-early-cancel'), order.id))).code).toBe(ErrorCode.INVALID_ORDER_TRANSITION);
    expect(await h.deps.payments.findByOrderId(order.id)).toBeNull();
  });
});

describe('capturePayment', () => {
  it('captures an authorized payment once, however often it is asked', async () => {
    const { order, payment } = await started();
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    await handleProviderEvent(h.deps, event(payment.providerPaymentId));
    const [first, second] = await Promise.all([capturePayment(h.deps, order.id), capturePayment(h.deps, order.id)]);
    expect([first.status, second.status]).toEqual(['CAPTURED', 'CAPTURED']);
    expect((await intentOf(payment.providerPaymentId)).status).toBe('succeeded');
    expect((await h.outboxEventsOf(order.id)).filter((e) => e.type === 'payment.captured')).toHaveLength(1);
  });

  it('answers NOT_FOUND (nothing to capture) when the order has no payment, or one never authorized: it was confirmed by hand', async () => {
    expect((await rejection(capturePayment(h.deps, randomUUID()))).code).toBe(ErrorCode.NOT_FOUND);
    const { order, payment } = await started();
    expect(await rejection(capturePayment(h.deps, order.id))).toEqual({
      code: ErrorCode.NOT_FOUND,
      message: `order ${order.id} has no authorized payment (its payment is REQUIRES_PAYMENT): nothing to capture`,
    });
    await confirmWith(payment.providerPaymentId, 'pm_card_chargeDeclined');
    await handleProviderEvent(h.deps, event(payment.providerPaymentId, 'payment_intent.payment_failed'));
    expect(await rejection(capturePayment(h.deps, order.id))).toEqual({
      code: ErrorCode.NOT_FOUND,
      message: `order ${order.id} has no authorized payment (its payment is FAILED): nothing to capture`,
    });
    expect((await h.outboxEventsOf(order.id)).filter((e) => e.type === 'payment.captured')).toHaveLength(0);
  });

  it('refuses with PAYMENT_FAILED an authorization that expired at Stripe, recording it VOIDED', async () => {
    const { order, payment } = await started();
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    await handleProviderEvent(h.deps, event(payment.providerPaymentId));
    expect((await control(h.emulator, 'POST', `payment_intents/${payment.providerPaymentId}/expire`)).status).toBe(200);
    expect(await rejection(capturePayment(h.deps, order.id))).toEqual({
      code: ErrorCode.PAYMENT_FAILED,
      message: `the payment of order ${order.id} is VOIDED; only an authorized payment can be captured`,
    });
    expect((await h.outboxEventsOf(order.id)).at(-1)).toMatchObject({ type: 'payment.voided', data: { reason: 'the authorization expired at the provider before it was captured' } });
  });
});
