import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../../lib/ddd';
import { control } from '../../../dev/stripe-emulator/testing';
import { startPaymentsHarness, type PaymentsHarness } from '../test-support/payments-harness';
import { capturePayment } from './capture-payment';
import { CONFIRMED_WITHOUT_THIS_PAYMENT, compensateCancelledOrder, compensateConfirmedOrder } from './compensate-payment';
import { handleProviderEvent } from './handle-provider-event';
import { startPayment } from './start-payment';

/**
 * Payments' use cases against the real table and the real Stripe adapter talking to the Stripe emulator over HTTP:
 * starting a payment, webhook news reconciled with the intent's state, compensation of a cancelled order and of an
 * order confirmed without its card payment, capture.
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
    await h.deps.payments.rememberClosedOrder(cancelled.id, 'CANCELLED', new Date());
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
    await h.deps.payments.rememberClosedOrder(order.id, 'CANCELLED', new Date());
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

describe('an order confirmed without its card payment (by hand: a bank transfer arrived)', () => {
  const byHand = (orderId: string, eventId = randomUUID()) => compensateConfirmedOrder(h.deps, { orderId, confirmedBy: 'admin' }, { consumer: 'payments', eventId });
  /** Orders confirms the order by hand; its order.confirmed reaches Payments. */
  async function confirmByHand(orderId: string, eventId = randomUUID()) {
    h.orders.setStatus(orderId, 'CONFIRMED');
    return byHand(orderId, eventId);
  }
  const stored = async (orderId: string) => (await h.deps.payments.findByOrderId(orderId))!;
  const outboxOf = async (orderId: string) => (await h.outboxEventsOf(orderId)).map((e) => [e.type, e.data['reason']]);
  const VOIDED_BY_HAND = [['payment.voided', CONFIRMED_WITHOUT_THIS_PAYMENT]];
  /** The intents the emulator holds for an order (by the metadata startPayment gives them), newest first. */
  async function intentsOfOrder(orderId: string) {
    const created = await h.stripe.events.list({ type: 'payment_intent.created', limit: 100 });
    const ids = created.data.map((e) => e.data.object as { id: string; metadata: Record<string, string> }).filter((intent) => intent.metadata['order_id'] === orderId);
    return Promise.all(ids.map((intent) => intentOf(intent.id)));
  }

  it('cancels the open intent: the payment is VOIDED with the reason, the customer can no longer pay it, and none starts again', async () => {
    const { order, payment, caller } = await started();
    const eventId = randomUUID();
    expect(await confirmByHand(order.id, eventId)).toBe('settled');
    const voided = await stored(order.id);
    expect([voided.status, voided.failureReason, voided.orderClosed, voided.version]).toEqual(['VOIDED', CONFIRMED_WITHOUT_THIS_PAYMENT, 'CONFIRMED', 2]);
    expect(await h.deps.payments.wasProcessed({ consumer: 'payments', eventId })).toBe(true);
    expect((await intentOf(payment.providerPaymentId)).status).toBe('canceled');
    expect(await outboxOf(order.id)).toEqual(VOIDED_BY_HAND);

    // The customer's card form, still open, confirms the intent: Stripe refuses, nothing is held.
    expect(await confirmWith(payment.providerPaymentId, 'pm_card_visa')).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(await rejection(startPayment(h.deps, caller, order.id))).toEqual({ code: ErrorCode.INVALID_ORDER_TRANSITION, message: `order ${order.id} is CONFIRMED; only a PENDING order can be paid` });
    // Even while Orders' answer still says PENDING, Payments' own memory refuses.
    h.orders.setStatus(order.id, 'PENDING');
    await expect(startPayment(h.deps, caller, order.id)).rejects.toMatchObject({ code: ErrorCode.INVALID_ORDER_TRANSITION, details: { orderId: order.id, status: 'CONFIRMED' } });

    // The same event again, or another confirmation's: nothing more happens.
    expect(await byHand(order.id, eventId)).toBe('nothing-to-undo');
    expect(await byHand(order.id)).toBe('nothing-to-undo');
    expect([(await stored(order.id)).version, await outboxOf(order.id)]).toEqual([2, VOIDED_BY_HAND]);
    expect(await rejection(capturePayment(h.deps, order.id))).toEqual({
      code: ErrorCode.NOT_FOUND,
      message: `order ${order.id} was confirmed without its card payment (VOIDED): nothing to capture`,
    });
  });

  it('voids a declined payment the customer could still retry', async () => {
    const { order, payment } = await started();
    await confirmWith(payment.providerPaymentId, 'pm_card_chargeDeclined');
    await handleProviderEvent(h.deps, event(payment.providerPaymentId, 'payment_intent.payment_failed'));
    expect(await confirmByHand(order.id)).toBe('settled');
    expect([(await stored(order.id)).status, (await intentOf(payment.providerPaymentId)).status]).toEqual(['VOIDED', 'canceled']);
    expect(await outboxOf(order.id)).toEqual([['payment.failed', 'Your card was declined.'], ...VOIDED_BY_HAND]);
  });

  it('voids an authorization made at Stripe whose webhook had not arrived yet; the late webhook changes nothing', async () => {
    const { order, payment } = await started();
    expect(await confirmWith(payment.providerPaymentId, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
    expect(await confirmByHand(order.id)).toBe('settled');
    expect((await intentOf(payment.providerPaymentId)).status).toBe('canceled');
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId))).toBe('processed');
    const after = await stored(order.id);
    expect([after.status, after.failureReason, after.version]).toEqual(['VOIDED', CONFIRMED_WITHOUT_THIS_PAYMENT, 2]);
    // Never AUTHORIZED here: Orders was never told of an authorization.
    expect(await outboxOf(order.id)).toEqual(VOIDED_BY_HAND);
  });

  it('voids an authorization recorded after the confirmation by hand but before its news reached Payments', async () => {
    const { order, payment } = await started();
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    h.orders.setStatus(order.id, 'CONFIRMED');
    // Payments hears of the authorization first (Orders ignores payment.authorized: the order is no longer PENDING)...
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId))).toBe('processed');
    expect((await stored(order.id)).status).toBe('AUTHORIZED');
    // ...then of the confirmation by hand, which did not come from it.
    expect(await byHand(order.id)).toBe('settled');
    expect([(await stored(order.id)).status, (await intentOf(payment.providerPaymentId)).status]).toEqual(['VOIDED', 'canceled']);
    expect(await outboxOf(order.id)).toEqual([['payment.authorized', undefined], ...VOIDED_BY_HAND]);
    expect((await rejection(capturePayment(h.deps, order.id))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('voids at once an authorization whose webhook arrives after the confirmation was remembered but before it was settled', async () => {
    const { order, payment } = await started();
    // The consumer remembered the confirmation, then stopped (a crash) before it voided the payment.
    await h.deps.payments.rememberClosedOrder(order.id, 'CONFIRMED', new Date());
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    expect(await handleProviderEvent(h.deps, event(payment.providerPaymentId))).toBe('processed');
    expect([(await stored(order.id)).status, (await intentOf(payment.providerPaymentId)).status]).toEqual(['VOIDED', 'canceled']);
    expect(await outboxOf(order.id)).toEqual(VOIDED_BY_HAND);
    // The redelivered confirmation finds it done.
    expect(await byHand(order.id)).toBe('nothing-to-undo');
  });

  it('settles once when the same event is delivered twice at the same time', async () => {
    const { order } = await started();
    h.orders.setStatus(order.id, 'CONFIRMED');
    const eventId = randomUUID();
    const outcomes = await Promise.all([byHand(order.id, eventId), byHand(order.id, eventId)]);
    expect(outcomes.filter((outcome) => outcome === 'settled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'settled')[0]).toMatch(/^(duplicate|nothing-to-undo)$/);
    expect([(await stored(order.id)).version, await outboxOf(order.id)]).toEqual([2, VOIDED_BY_HAND]);
  });

  it('refuses a payment started before the confirmation but stored after it, cancelling its new intent', async () => {
    const order = h.orders.add('customer-midflight');
    // The confirmation is processed while startPayment has read the order (PENDING) and is creating the intent.
    const provider = h.deps.provider;
    const racing = {
      ...h.deps,
      provider: Object.assign(Object.create(provider) as typeof provider, {
        async createPayment(input: Parameters<typeof provider.createPayment>[0]) {
          const intent = await provider.createPayment(input);
          expect(await confirmByHand(order.id)).toBe('no-payment');
          return intent;
        },
      }),
    };
    await expect(startPayment(racing, customer('customer-midflight'), order.id)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ORDER_TRANSITION,
      message: `order ${order.id} is CONFIRMED; only a PENDING order can be paid`,
      details: { orderId: order.id, status: 'CONFIRMED' },
    });
    expect(await h.deps.payments.findByOrderId(order.id)).toBeNull();
    expect((await intentsOfOrder(order.id)).map((intent) => intent.status)).toEqual(['canceled']);
  });

  it('refuses a payment for an order confirmed before any was started, even while Orders still says PENDING', async () => {
    const order = h.orders.add('customer-confirmed-early');
    expect(await byHand(order.id)).toBe('no-payment');
    await expect(startPayment(h.deps, customer('customer-confirmed-early'), order.id)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ORDER_TRANSITION,
      details: { orderId: order.id, status: 'CONFIRMED' },
    });
    expect(await h.deps.payments.findByOrderId(order.id)).toBeNull();
    expect((await intentsOfOrder(order.id)).map((intent) => intent.status)).toEqual(['canceled']);
  });

  it('leaves alone the payment that confirmed the order, whether the event says so or (an older event) does not', async () => {
    for (const confirmedBy of ['payment-authorized', undefined] as const) {
      const { order, payment } = await started();
      await confirmWith(payment.providerPaymentId, 'pm_card_visa');
      await handleProviderEvent(h.deps, event(payment.providerPaymentId));
      h.orders.setStatus(order.id, 'CONFIRMED');
      expect(await compensateConfirmedOrder(h.deps, { orderId: order.id, confirmedBy }, { consumer: 'payments', eventId: randomUUID() })).toBe('confirmed-by-this-payment');
      expect([(await stored(order.id)).status, (await stored(order.id)).orderClosed, (await intentOf(payment.providerPaymentId)).status]).toEqual(['AUTHORIZED', undefined, 'requires_capture']);
      expect((await capturePayment(h.deps, order.id)).status).toBe('CAPTURED');
    }
  });

  it('judges an older event that does not say by the payment: one never authorized did not confirm the order', async () => {
    const { order, payment } = await started();
    h.orders.setStatus(order.id, 'CONFIRMED');
    expect(await compensateConfirmedOrder(h.deps, { orderId: order.id }, { consumer: 'payments', eventId: randomUUID() })).toBe('settled');
    expect([(await stored(order.id)).status, (await intentOf(payment.providerPaymentId)).status]).toEqual(['VOIDED', 'canceled']);
  });

  it('leaves a payment captured before the confirmation’s news arrived for a person to look at', async () => {
    const { order, payment } = await started();
    await confirmWith(payment.providerPaymentId, 'pm_card_visa');
    await handleProviderEvent(h.deps, event(payment.providerPaymentId));
    await capturePayment(h.deps, order.id);
    expect(await confirmByHand(order.id)).toBe('captured-already');
    expect([(await stored(order.id)).status, (await intentOf(payment.providerPaymentId)).status]).toEqual(['CAPTURED', 'succeeded']);
    expect(await outboxOf(order.id)).toEqual([['payment.authorized', undefined], ['payment.captured', undefined]]);
  });

  it('lets a cancellation prevail over the confirmation, whichever arrives first', async () => {
    const cancel = (orderId: string) => compensateCancelledOrder(h.deps, { orderId, reason: 'out of stock after all' }, { consumer: 'payments', eventId: randomUUID() });
    const inOrder = await started('customer-confirmed-then-cancelled');
    expect(await confirmByHand(inOrder.order.id)).toBe('settled');
    expect(await cancel(inOrder.order.id)).toBe('nothing-to-undo');
    expect((await stored(inOrder.order.id)).orderClosed).toBe('CANCELLED');
    h.orders.setStatus(inOrder.order.id, 'PENDING');
    await expect(startPayment(h.deps, inOrder.caller, inOrder.order.id)).rejects.toMatchObject({ details: { status: 'CANCELLED' } });

    const reordered = await started('customer-cancelled-news-first');
    expect(await cancel(reordered.order.id)).toBe('settled');
    expect(await byHand(reordered.order.id)).toBe('nothing-to-undo');
    const after = await stored(reordered.order.id);
    expect([after.status, after.failureReason, after.orderClosed]).toEqual(['VOIDED', 'the order was cancelled: out of stock after all', 'CANCELLED']);
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
