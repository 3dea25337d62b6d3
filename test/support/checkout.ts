import { expect } from '@jest/globals';
import Stripe from 'stripe';
import { internalCommandKey, serviceIdentity, signRequest, type ServiceName } from '../../lib/auth';
import { waitFor } from '../../lib/events/testing/wait-for';
import { control, stripeClient } from '../../dev/stripe-emulator/testing';
import { graphql, type GraphQLResponse } from './graphql';
import { TEST_SIGNING_SECRET, type TestSystem } from './system';

/** Checkout through the real gateway, Payments and the Stripe emulator, the way a storefront and Stripe.js do it. */

export const PAYMENT_FIELDS = 'id status amount { amount currency } provider providerPaymentId clientSecret failureReason createdAt updatedAt';

export interface PaymentView {
  readonly id: string;
  readonly status: 'REQUIRES_PAYMENT' | 'AUTHORIZED' | 'CAPTURED' | 'FAILED' | 'VOIDED' | 'REFUNDED';
  readonly amount: { readonly amount: number; readonly currency: string };
  readonly provider: string;
  readonly providerPaymentId: string;
  readonly clientSecret: string | null;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CheckoutOrderView {
  readonly id: string;
  readonly status: string;
  readonly total: { readonly amount: number; readonly currency: string };
  readonly placedAt: string;
  readonly paymentDueAt: string | null;
  readonly payment: PaymentView | null;
}

export const START_PAYMENT = `mutation Pay($orderId: ID!) { startPayment(orderId: $orderId) { ${PAYMENT_FIELDS} } }`;
export const READ_CHECKOUT = `query Checkout($id: ID!) { order(id: $id) { id status total { amount currency } placedAt paymentDueAt payment { ${PAYMENT_FIELDS} } } }`;

export function startPaymentAs(system: TestSystem, token: string | undefined, orderId: string): Promise<GraphQLResponse<{ startPayment: PaymentView }>> {
  return graphql<{ startPayment: PaymentView }>(system.urls.gateway, START_PAYMENT, { orderId }, token ? { token } : {});
}

/** startPayment that must succeed. */
export async function startedPayment(system: TestSystem, token: string, orderId: string): Promise<PaymentView> {
  const response = await startPaymentAs(system, token, orderId);
  expect(response.errors).toBeUndefined();
  return response.data!.startPayment;
}

export async function checkoutOrder(system: TestSystem, token: string, orderId: string): Promise<CheckoutOrderView> {
  const response = await graphql<{ order: CheckoutOrderView }>(system.urls.gateway, READ_CHECKOUT, { id: orderId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.order;
}

/** The SDK at the test system's emulator, with the secret key: Stripe's side of the checkout, and the operator's. */
export function emulatorStripe(system: TestSystem): Stripe {
  return stripeClient(system.stripe!.emulator);
}

/**
 * What a customer's browser does with the client secret (Stripe.js `confirmCardPayment`): confirms the intent with a
 * payment method. Stripe's test methods: pm_card_visa authorizes; pm_card_chargeDeclined and
 * pm_card_chargeDeclinedInsufficientFunds are declined (the answer is the SDK's StripeCardError).
 */
export async function confirmAtStripe(system: TestSystem, payment: Pick<PaymentView, 'providerPaymentId'>, method: string): Promise<Stripe.PaymentIntent | Stripe.errors.StripeError> {
  try {
    return await emulatorStripe(system).paymentIntents.confirm(payment.providerPaymentId, { payment_method: method });
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
}

export async function waitForCheckout(
  system: TestSystem,
  token: string,
  orderId: string,
  done: (order: CheckoutOrderView) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<CheckoutOrderView> {
  let last: CheckoutOrderView | undefined;
  await waitFor(
    `order ${orderId}: ${what}`,
    async () => done((last = await checkoutOrder(system, token, orderId))),
    timeoutMs,
    50,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  });
  return last!;
}

/** Holds the emulator's webhook deliveries until released (in a chosen order), as a slow or reordering network. */
export async function holdWebhooks(system: TestSystem): Promise<void> {
  expect((await control(system.stripe!.emulator, 'POST', 'deliveries/hold')).status).toBe(200);
}

export async function releaseWebhooks(system: TestSystem, events?: readonly string[]): Promise<void> {
  expect((await control(system.stripe!.emulator, 'POST', 'deliveries/release', events ? { events } : undefined)).status).toBe(200);
}

/** The emulator's events about one PaymentIntent, oldest first. */
export async function stripeEventsOf(system: TestSystem, intentId: string, type?: string): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for await (const event of emulatorStripe(system).events.list({ limit: 100, ...(type ? { type } : {}) })) {
    const object = event.data.object as { id?: string; payment_intent?: string };
    if (object.id === intentId || object.payment_intent === intentId) events.push(event);
  }
  return events.reverse();
}

/** A call to a context's internal API as one of the services (signed with the internal command key). */
export async function internalCall(
  baseUrl: string,
  caller: ServiceName,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = signRequest({ caller: serviceIdentity(caller), method, path, body: text }, internalCommandKey(TEST_SIGNING_SECRET));
  const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) }, ...(text ? { body: text } : {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * The checkout invariants at quiescence (docs/architecture.md §4): for the given orders, every AUTHORIZED or CAPTURED
 * payment belongs to a CONFIRMED or later order; a CANCELLED order's payment is VOIDED or REFUNDED, or there is none;
 * each payment's intent at Stripe agrees (held or taken only for a live order, cancelled for a cancelled one); and
 * every payment belongs to an order that exists.
 */
export async function expectCheckoutConsistent(system: TestSystem, orderIds: readonly string[]): Promise<void> {
  const stripe = emulatorStripe(system);
  const orders = await system.orders.deps.orders.findByIds(orderIds);
  expect(orders.map((order) => order.id).sort()).toEqual([...orderIds].sort());
  for (const order of orders) {
    const payment = await system.payments.deps.payments.findByOrderId(order.id);
    const facts = { orderId: order.id, order: order.status, payment: payment?.status ?? null };
    if (order.status === 'CANCELLED') {
      expect([facts, ['VOIDED', 'REFUNDED', null].includes(facts.payment)]).toEqual([facts, true]);
    }
    if (payment?.status === 'AUTHORIZED' || payment?.status === 'CAPTURED') {
      expect([facts, ['CONFIRMED', 'SHIPPED', 'COMPLETED'].includes(order.status)]).toEqual([facts, true]);
    }
    if (!payment) continue;
    const intent = await stripe.paymentIntents.retrieve(payment.providerPaymentId);
    const atStripe = { ...facts, intent: intent.status };
    if (order.status === 'CANCELLED') expect([atStripe, intent.status === 'canceled' || payment.status === 'REFUNDED']).toEqual([atStripe, true]);
    if (intent.status === 'requires_capture') expect([atStripe, order.status === 'CONFIRMED' && payment.status === 'AUTHORIZED']).toEqual([atStripe, true]);
  }
}
