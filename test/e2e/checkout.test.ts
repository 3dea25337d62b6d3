import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { waitFor } from '../../lib/events/testing/wait-for';
import { control } from '../../dev/stripe-emulator/testing';
import {
  checkoutOrder,
  confirmAtStripe,
  emulatorStripe,
  expectCheckoutConsistent,
  holdWebhooks,
  internalCall,
  releaseWebhooks,
  startedPayment,
  startPaymentAs,
  stripeEventsOf,
  waitForCheckout,
} from '../support/checkout';
import { ADDRESS, UPS, placeWithContact, shipOrderAs } from '../support/fulfilment';
import { errorCodes, graphql } from '../support/graphql';
import { createProducts, onlyError, placedOrder } from '../support/orders';
import { TEST_STRIPE_WEBHOOK_SECRET, startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * The checkout end to end: the gateway, Orders, Catalog and Payments on port 0, DynamoDB Local, and the Stripe
 * emulator delivering signed webhooks to Payments. A customer places an order, starts its payment, confirms it at
 * Stripe with a test payment method (as Stripe.js would with the client secret), and sees the order CONFIRMED.
 */

let system: TestSystem;
let admin: string;
let productId: string;
const STOCK = 500;
const PRICE = 2_599;

beforeAll(async () => {
  system = await startTestSystem('checkout');
  admin = await tokenFor('admin-1', { admin: true });
  const [product] = await createProducts(system, admin, [{ n: 1, price: { amount: PRICE, currency: 'USD' }, stockQuantity: STOCK }]);
  productId = product.id;
}, 90_000);
afterAll(() => system?.stop());

const placeAs = async (sub: string, quantity = 1) => {
  const token = await tokenFor(sub);
  return { token, order: await placedOrder(system, token, [{ productId, quantity }]) };
};
/** What the contexts published, as another consumer on the bus sees it. */
const published: { type: string; data: { orderId: string; reason?: string; confirmedBy?: string } }[] = [];
beforeAll(async () => {
  await system.bus.subscribe({
    group: 'checkout-test',
    types: ['payment.authorized', 'payment.failed', 'payment.voided', 'payment.captured', 'payment.refunded', 'order.confirmed', 'order.cancelled'],
    handle: async (envelope) => void published.push({ type: envelope.type, data: envelope.data as { orderId: string; reason?: string } }),
  });
});
const paymentEventsOf = (orderId: string, type: string) => published.filter((event) => event.type === type && event.data.orderId === orderId);

/** Until Payments answered 2xx to `count` deliveries of the event (each one after its effect committed). */
async function waitForDelivered(eventId: string, count: number): Promise<void> {
  await waitFor(`${count} deliveries of ${eventId} answered 2xx`, async () => {
    const { body } = await control<{ deliveries: { state: string }[] }>(system.stripe!.emulator, 'GET', `deliveries?event=${eventId}`);
    return body.deliveries.length === count && body.deliveries.every((delivery) => delivery.state === 'succeeded');
  });
}

describe('a customer pays for their order', () => {
  it('places, starts the payment, confirms it with pm_card_visa at Stripe, and the order is CONFIRMED', async () => {
    const { token, order } = await placeAs('checkout-happy', 2);
    const pending = await checkoutOrder(system, token, order.id);
    expect(pending.payment).toBeNull();
    expect(pending.paymentDueAt).toBe(new Date(Date.parse(pending.placedAt) + 900_000).toISOString());

    const payment = await startedPayment(system, token, order.id);
    expect(payment).toMatchObject({ status: 'REQUIRES_PAYMENT', amount: { amount: 2 * PRICE, currency: 'USD' }, provider: 'stripe', failureReason: null });
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(payment.clientSecret).toMatch(new RegExp(`^${payment.providerPaymentId}_secret_`));

    expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture', amount: 2 * PRICE, currency: 'usd' });
    const confirmed = await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    expect(confirmed.paymentDueAt).toBeNull();
    expect(confirmed.payment).toMatchObject({ id: payment.id, status: 'AUTHORIZED', clientSecret: null, failureReason: null });
    await waitFor('payment.authorized and order.confirmed on the bus', () => paymentEventsOf(order.id, 'order.confirmed').length === 1);
    expect(paymentEventsOf(order.id, 'payment.authorized').map((event) => event.data)).toEqual([
      { orderId: order.id, paymentId: payment.id, customerId: 'checkout-happy', amount: { amount: 2 * PRICE, currency: 'USD' }, provider: 'stripe', providerPaymentId: payment.providerPaymentId },
    ]);
    // Paid: nothing more to start.
    expect(onlyError(await startPaymentAs(system, token, order.id)).code).toBe('INVALID_ORDER_TRANSITION');
    await expectCheckoutConsistent(system, [order.id]);
  });

  it('answers the same open payment to repeated and concurrent startPayment calls', async () => {
    const { token, order } = await placeAs('checkout-repeat');
    const answers = await Promise.all(Array.from({ length: 5 }, () => startedPayment(system, token, order.id)));
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.providerPaymentId)).size).toBe(1);
    expect(await stripeEventsOf(system, answers[0]!.providerPaymentId, 'payment_intent.created')).toHaveLength(1);
  });

  it('shows a declined card’s message, lets the customer retry with the same payment, and confirms on success', async () => {
    const { token, order } = await placeAs('checkout-decline');
    const payment = await startedPayment(system, token, order.id);
    const declined = await confirmAtStripe(system, payment, 'pm_card_chargeDeclined');
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const failed = await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'FAILED', 'payment FAILED');
    expect([failed.status, failed.payment!.failureReason, failed.payment!.clientSecret]).toEqual(['PENDING', 'Your card was declined.', payment.clientSecret]);

    const retry = await startedPayment(system, token, order.id);
    expect([retry.id, retry.providerPaymentId, retry.status]).toEqual([payment.id, payment.providerPaymentId, 'FAILED']);
    await confirmAtStripe(system, retry, 'pm_card_chargeDeclinedInsufficientFunds');
    await waitForCheckout(system, token, order.id, (o) => o.payment?.failureReason === 'Your card has insufficient funds.', 'the second decline');
    await confirmAtStripe(system, retry, 'pm_card_visa');
    const confirmed = await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    expect(confirmed.payment).toMatchObject({ status: 'AUTHORIZED', failureReason: null });
    await waitFor('the events', () => paymentEventsOf(order.id, 'payment.authorized').length === 1);
    expect(paymentEventsOf(order.id, 'payment.failed').map((event) => event.data.reason)).toEqual(['Your card was declined.', 'Your card has insufficient funds.']);
  });

  it('shows a payment to its owner and admins only, and its client secret to its owner only', async () => {
    const { token, order } = await placeAs('checkout-visibility');
    await startedPayment(system, token, order.id);
    const asAdmin = await checkoutOrder(system, admin, order.id);
    expect(asAdmin.payment).toMatchObject({ status: 'REQUIRES_PAYMENT', clientSecret: null });
    const stranger = await graphql(system.urls.gateway, `query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, { token: await tokenFor('checkout-stranger') });
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
  });

  it('refuses startPayment for someone else’s order, an unknown one, an anonymous caller and a cancelled order', async () => {
    const { token, order } = await placeAs('checkout-refusals');
    expect(onlyError(await startPaymentAs(system, await tokenFor('checkout-intruder'), order.id))).toMatchObject({ code: 'FORBIDDEN' });
    expect(onlyError(await startPaymentAs(system, token, '00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(onlyError(await startPaymentAs(system, undefined, order.id))).toMatchObject({ code: 'UNAUTHENTICATED' });
    await graphql(system.urls.gateway, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order.id }, { token });
    expect(onlyError(await startPaymentAs(system, token, order.id))).toMatchObject({
      code: 'INVALID_ORDER_TRANSITION',
      message: `order ${order.id} is CANCELLED; only a PENDING order can be paid`,
    });
  });
});

describe('webhooks', () => {
  it('absorbs a double-submitted event: the authorization is processed once', async () => {
    const { token, order } = await placeAs('checkout-duplicate');
    const payment = await startedPayment(system, token, order.id);
    await confirmAtStripe(system, payment, 'pm_card_visa');
    await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    const [authorized] = await stripeEventsOf(system, payment.providerPaymentId, 'payment_intent.amount_capturable_updated');
    for (let i = 0; i < 3; i += 1) expect((await control(system.stripe!.emulator, 'POST', `events/${authorized!.id}/redeliver`)).status).toBe(202);
    await waitForDelivered(authorized!.id, 4);
    expect(paymentEventsOf(order.id, 'payment.authorized')).toHaveLength(1);
    expect((await system.payments.deps.payments.findByOrderId(order.id))!.version).toBe(2);
  });

  it('absorbs events out of order: an authorization delivered before the decline it followed stays authorized', async () => {
    const { token, order } = await placeAs('checkout-reorder');
    const payment = await startedPayment(system, token, order.id);
    await holdWebhooks(system);
    try {
      await confirmAtStripe(system, payment, 'pm_card_chargeDeclined');
      await confirmAtStripe(system, payment, 'pm_card_visa');
      const [failed] = await stripeEventsOf(system, payment.providerPaymentId, 'payment_intent.payment_failed');
      const [authorized] = await stripeEventsOf(system, payment.providerPaymentId, 'payment_intent.amount_capturable_updated');
      await releaseWebhooks(system, [authorized!.id, failed!.id]);
      await waitForDelivered(failed!.id, 1);
    } finally {
      await releaseWebhooks(system);
    }
    const confirmed = await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    expect(confirmed.payment!.status).toBe('AUTHORIZED');
    expect(paymentEventsOf(order.id, 'payment.failed')).toEqual([]);
    expect(paymentEventsOf(order.id, 'payment.authorized')).toHaveLength(1);
  });

  it.each([
    ['no signature', () => ({})],
    ['a signature with another secret', (body: string) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_not_the_endpoints_secret' }) })],
    ['a valid signature over another body', (body: string) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body.replace('requires_capture', 'requires_capturf'), secret: TEST_STRIPE_WEBHOOK_SECRET }) })],
    ['a signature too old (replayed)', (body: string) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: TEST_STRIPE_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }) })],
  ] as const)('refuses a forged event (%s) with 400, changing nothing', async (_label, headers) => {
    const { token, order } = await placeAs('checkout-forged');
    const payment = await startedPayment(system, token, order.id);
    const body = JSON.stringify({
      id: `evt_forged_${order.id}`,
      object: 'event',
      type: 'payment_intent.amount_capturable_updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: payment.providerPaymentId, object: 'payment_intent', status: 'requires_capture', amount: 1, currency: 'usd', metadata: { order_id: order.id } } },
    });
    const response = await fetch(`${system.urls.payments}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers(body) }, body });
    expect([response.status, await response.json()]).toEqual([400, { error: 'the Stripe-Signature header is missing or does not match the body' }]);
    expect(await system.payments.deps.payments.wasProcessed({ consumer: 'stripe-webhooks', eventId: `evt_forged_${order.id}` })).toBe(false);
    expect((await checkoutOrder(system, token, order.id)).payment).toMatchObject({ status: 'REQUIRES_PAYMENT' });
  });
});

describe('compensations', () => {
  it('voids the authorization when a paid order is cancelled, at the emulator too, and releases the stock', async () => {
    const before = (await system.catalog.deps.products.findById(productId))!;
    const { token, order } = await placeAs('checkout-cancel-paid', 3);
    const payment = await startedPayment(system, token, order.id);
    await confirmAtStripe(system, payment, 'pm_card_visa');
    await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    const cancelled = await graphql<{ cancelOrder: { status: string } }>(system.urls.gateway, `mutation($id: ID!) { cancelOrder(id: $id, reason: "found it cheaper") { status } }`, { id: order.id }, { token });
    expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
    const voided = await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'VOIDED', 'payment VOIDED');
    expect(voided.status).toBe('CANCELLED');
    expect((await emulatorStripe(system).paymentIntents.retrieve(payment.providerPaymentId)).status).toBe('canceled');
    await waitFor('payment.voided', () => paymentEventsOf(order.id, 'payment.voided').length === 1);
    expect(paymentEventsOf(order.id, 'payment.voided')[0]!.data.reason).toBe('the order was cancelled: found it cheaper');
    await waitFor('the stock back', async () => (await system.catalog.deps.products.findById(productId))!.reservedQuantity === before.reservedQuantity);
    await expectCheckoutConsistent(system, [order.id]);
  });

  it('voids a payment authorized after its order was cancelled (the authorization’s news arriving late)', async () => {
    const { token, order } = await placeAs('checkout-late-authorization');
    const payment = await startedPayment(system, token, order.id);
    await holdWebhooks(system);
    try {
      // The customer pays at Stripe while the order is being cancelled: Stripe authorizes, its news is late.
      expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
      const cancelled = await graphql(system.urls.gateway, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order.id }, { token });
      expect(cancelled.errors).toBeUndefined();
      await waitFor('the authorization voided at Stripe', async () => (await emulatorStripe(system).paymentIntents.retrieve(payment.providerPaymentId)).status === 'canceled');
    } finally {
      await releaseWebhooks(system);
    }
    const settled = await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'VOIDED', 'payment VOIDED');
    expect(settled.status).toBe('CANCELLED');
    expect(paymentEventsOf(order.id, 'payment.authorized')).toEqual([]);
    await expectCheckoutConsistent(system, [order.id]);
  });
});

describe('an order confirmed by hand while its card payment was open', () => {
  const CONFIRMED_WITHOUT = 'the order was confirmed without this payment';

  /** A PENDING order with its address and email (so it can ship), and its payment started. */
  async function placedAndStarted(sub: string) {
    const token = await tokenFor(sub);
    const placed = await placeWithContact(system.urls.gateway, token, { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS, email: `${sub}@example.com` });
    expect(placed.errors).toBeUndefined();
    const order = placed.data!.placeOrder;
    return { token, order, payment: await startedPayment(system, token, order.id) };
  }

  async function confirmByHand(orderId: string): Promise<void> {
    const confirmed = await graphql<{ confirmOrder: { status: string } }>(system.urls.gateway, `mutation($id: ID!) { confirmOrder(id: $id) { status } }`, { id: orderId }, { token: admin });
    expect(confirmed.data?.confirmOrder.status).toBe('CONFIRMED');
  }

  /** The order ships with nothing captured: Payments answers "nothing to capture" and the payment stays as it was. */
  async function shipsWithoutCapture(orderId: string, providerPaymentId: string): Promise<void> {
    const shipped = await shipOrderAs(system.urls.gateway, { token: admin }, orderId, UPS);
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.shipOrder).toMatchObject({ status: 'SHIPPED', version: 3, payment: { status: 'VOIDED' }, shipment: { status: 'SHIPPED' } });
    const intent = await emulatorStripe(system).paymentIntents.retrieve(providerPaymentId);
    expect([intent.status, intent.amount_received, intent.amount_capturable]).toEqual(['canceled', 0, 0]);
    expect(await stripeEventsOf(system, providerPaymentId, 'charge.captured')).toEqual([]);
    expect(await stripeEventsOf(system, providerPaymentId, 'payment_intent.succeeded')).toEqual([]);
    expect((await system.payments.deps.payments.findByOrderId(orderId))!.version).toBe(2);
    expect(paymentEventsOf(orderId, 'payment.captured')).toEqual([]);
  }

  it('cancels the intent, so the customer’s card confirmation afterwards is refused; the order ships with nothing captured', async () => {
    const { token, order, payment } = await placedAndStarted('checkout-by-hand');
    expect([payment.status, payment.clientSecret]).toEqual(['REQUIRES_PAYMENT', expect.stringMatching(/_secret_/)]);
    await confirmByHand(order.id);

    const voided = await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'VOIDED', 'payment VOIDED');
    expect([voided.status, voided.payment!.id, voided.payment!.failureReason, voided.payment!.clientSecret]).toEqual(['CONFIRMED', payment.id, CONFIRMED_WITHOUT, null]);
    await waitFor('payment.voided on the bus', () => paymentEventsOf(order.id, 'payment.voided').length === 1);
    expect(paymentEventsOf(order.id, 'order.confirmed').map((e) => e.data.confirmedBy)).toEqual(['admin']);
    expect(paymentEventsOf(order.id, 'payment.voided').map((e) => e.data.reason)).toEqual([CONFIRMED_WITHOUT]);

    // The customer's card form, still open in another tab, confirms the intent: Stripe refuses it, nothing is held.
    const late = await confirmAtStripe(system, payment, 'pm_card_visa');
    expect(late).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((late as Stripe.errors.StripeError).code).toBe('payment_intent_unexpected_state');
    expect(onlyError(await startPaymentAs(system, token, order.id))).toMatchObject({
      code: 'INVALID_ORDER_TRANSITION',
      message: `order ${order.id} is CONFIRMED; only a PENDING order can be paid`,
    });

    await shipsWithoutCapture(order.id, payment.providerPaymentId);
    expect((await stripeEventsOf(system, payment.providerPaymentId)).map((e) => e.type)).toEqual(['payment_intent.created', 'payment_intent.canceled']);
    expect(paymentEventsOf(order.id, 'payment.authorized')).toEqual([]);
    await expectCheckoutConsistent(system, [order.id]);
  });

  it('voids an authorization the customer made just before, whose webhook had not arrived: Orders never hears of it', async () => {
    const { token, order, payment } = await placedAndStarted('checkout-by-hand-slipped-in');
    await holdWebhooks(system);
    try {
      expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
      await confirmByHand(order.id);
      await waitFor('the authorization voided at Stripe', async () => (await emulatorStripe(system).paymentIntents.retrieve(payment.providerPaymentId)).status === 'canceled');
    } finally {
      await releaseWebhooks(system);
    }
    const [authorized] = await stripeEventsOf(system, payment.providerPaymentId, 'payment_intent.amount_capturable_updated');
    await waitForDelivered(authorized!.id, 1);
    const settled = await waitForCheckout(system, token, order.id, (o) => o.payment?.status === 'VOIDED', 'payment VOIDED');
    expect([settled.status, settled.payment!.status, settled.payment!.failureReason]).toEqual(['CONFIRMED', 'VOIDED', CONFIRMED_WITHOUT]);
    await waitFor('payment.voided on the bus', () => paymentEventsOf(order.id, 'payment.voided').length === 1);
    expect(paymentEventsOf(order.id, 'payment.authorized')).toEqual([]);

    await shipsWithoutCapture(order.id, payment.providerPaymentId);
    expect((await stripeEventsOf(system, payment.providerPaymentId)).map((e) => e.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'payment_intent.canceled',
      'charge.refunded',
    ]);
    await expectCheckoutConsistent(system, [order.id]);
  });
});

describe('internal APIs', () => {
  it('Orders answers an order to Payments, Notifications and Shipping only', async () => {
    const { order } = await placeAs('checkout-internal', 2);
    const read = await internalCall(system.urls.orders, 'payments', 'GET', `/internal/orders/${order.id}`);
    const stored = (await system.orders.deps.orders.findById(order.id))!;
    expect(read).toEqual({
      status: 200,
      json: {
        id: order.id,
        customerId: 'checkout-internal',
        status: 'PENDING',
        version: 1,
        total: { amount: 2 * PRICE, currency: 'USD' },
        items: [{ productId, productName: order.items[0]!.productName, unitPrice: { amount: PRICE, currency: 'USD' }, quantity: 2, lineTotal: { amount: 2 * PRICE, currency: 'USD' } }],
        placedAt: stored.placedAt.toISOString(),
        updatedAt: stored.updatedAt.toISOString(),
        paymentDueAt: stored.paymentDueAt!.toISOString(),
      },
    });
    expect((await internalCall(system.urls.orders, 'notifications', 'GET', `/internal/orders/${order.id}`)).status).toBe(200);
    expect((await internalCall(system.urls.orders, 'shipping', 'GET', `/internal/orders/${order.id}`)).status).toBe(200);
    expect(await internalCall(system.urls.orders, 'catalog', 'GET', `/internal/orders/${order.id}`)).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } });
    expect((await fetch(`${system.urls.orders}/internal/orders/${order.id}`)).status).toBe(401);
    expect(await internalCall(system.urls.orders, 'payments', 'GET', '/internal/orders/no-such-order')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
  });

  it('Payments captures an authorized payment for Orders, once; nothing to capture (NOT_FOUND) before an authorization', async () => {
    const { token, order } = await placeAs('checkout-capture');
    const payment = await startedPayment(system, token, order.id);
    expect(await internalCall(system.urls.payments, 'orders', 'POST', '/internal/payments/capture', { orderId: order.id })).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    await confirmAtStripe(system, payment, 'pm_card_visa');
    await waitForCheckout(system, token, order.id, (o) => o.status === 'CONFIRMED', 'CONFIRMED');
    const captured = await internalCall(system.urls.payments, 'orders', 'POST', '/internal/payments/capture', { orderId: order.id });
    expect(captured).toMatchObject({ status: 200, json: { id: payment.id, orderId: order.id, status: 'CAPTURED', amount: { amount: PRICE, currency: 'USD' } } });
    expect(await internalCall(system.urls.payments, 'orders', 'POST', '/internal/payments/capture', { orderId: order.id })).toEqual(captured);
    expect((await emulatorStripe(system).paymentIntents.retrieve(payment.providerPaymentId)).status).toBe('succeeded');
    await waitFor('payment.captured', () => paymentEventsOf(order.id, 'payment.captured').length === 1);
    const { order: unpaid } = await placeAs('checkout-capture');
    expect(await internalCall(system.urls.payments, 'orders', 'POST', '/internal/payments/capture', { orderId: unpaid.id })).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect((await internalCall(system.urls.payments, 'shipping', 'POST', '/internal/payments/capture', { orderId: order.id })).status).toBe(403);
  });
});
