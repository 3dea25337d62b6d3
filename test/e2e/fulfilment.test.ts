import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor, waitForValue } from '../../lib/events/testing/wait-for';
import { control } from '../../dev/stripe-emulator/testing';
import { confirmAtStripe, expectCheckoutConsistent, internalCall, startedPayment } from '../support/checkout';
import {
  ADDRESS,
  STORED_ADDRESS,
  UPS,
  UPS_SHIPPED,
  fulfilmentOf,
  markDeliveredAs,
  placeWithContact,
  setShippingAddressAs,
  shipOrderAs,
  waitForFulfilment,
  type FulfilmentView,
} from '../support/fulfilment';
import { graphql } from '../support/graphql';
import { startTestMaildev, type TestMaildev } from '../support/maildev';
import { FAST_RETRY, TEST_MAIL_FROM, TEST_SHOP_URL } from '../support/notifications';
import { createProducts, onlyError } from '../support/orders';
import { Recorded, wsClient } from '../support/subscriptions';
import { startTestSystem, tokenFor, type TestSystem } from '../support/system';

/**
 * The fulfilment half of the checkout saga end to end: the gateway, every context (Notifications included) on port 0,
 * DynamoDB Local, the Stripe emulator and a real maildev. From the cart to the points: an order placed with its
 * address and email is paid at Stripe, shipped (the payment captured, the shipment handed to a carrier), delivered
 * and rewarded; the customer is told three times, once each.
 */

let system: TestSystem;
let maildev: TestMaildev;
let url: string;
let admin: string;
let productId: string;
const PRICE = 2_599;
const STOCK = 50;

beforeAll(async () => {
  maildev = await startTestMaildev();
  system = await startTestSystem('fulfilment', {
    env: { SMTP_URL: maildev.smtpUrl, MAIL_FROM: TEST_MAIL_FROM, SHOP_URL: TEST_SHOP_URL },
    notifications: { retry: FAST_RETRY },
  });
  url = system.urls.gateway;
  admin = await tokenFor('admin-1', { admin: true });
  productId = (await createProducts(system, admin, [{ n: 1, price: { amount: PRICE, currency: 'USD' }, stockQuantity: STOCK }]))[0].id;
}, 90_000);
afterAll(async () => {
  await system?.stop();
  await maildev?.stop();
});

const asAdmin = () => ({ token: admin });

async function placed(token: string, contact: { shippingAddress?: unknown; email?: unknown }, quantity = 1): Promise<FulfilmentView> {
  const response = await placeWithContact(url, token, { items: [{ productId, quantity }], ...contact });
  expect(response.errors).toBeUndefined();
  return response.data!.placeOrder;
}

async function paid(token: string, orderId: string): Promise<{ providerPaymentId: string }> {
  const payment = await startedPayment(system, token, orderId);
  expect(await confirmAtStripe(system, payment, 'pm_card_visa')).toMatchObject({ status: 'requires_capture' });
  await waitForFulfilment(url, token, orderId, (order) => order.status === 'CONFIRMED', 'CONFIRMED');
  return payment;
}

async function confirmedByHand(orderId: string): Promise<void> {
  const response = await graphql(url, `mutation($id: ID!) { confirmOrder(id: $id) { status } }`, { id: orderId }, asAdmin());
  expect(response.errors).toBeUndefined();
}

async function stockOf(id: string): Promise<{ stockQuantity: number; reservedQuantity: number }> {
  const response = await graphql<{ product: { stockQuantity: number; reservedQuantity: number } }>(url, `query($id: ID!) { product(id: $id) { stockQuantity reservedQuantity } }`, { id }, asAdmin());
  return response.data!.product;
}

describe('the saga from cart to points', () => {
  it('places with address and email, pays, ships (captured, tracked), delivers, rewards, and emails each step once', async () => {
    const customer = 'fulfil-happy';
    const token = await tokenFor(customer);
    const email = 'Jane.Doe@Example.COM';
    const order = await placed(token, { shippingAddress: { ...ADDRESS, line2: '  ', country: 'us' }, email }, 2);
    expect(order).toMatchObject({ status: 'PENDING', shippingAddress: STORED_ADDRESS, shipment: null, payment: null });

    const ws = wsClient(url, token);
    const watched = new Recorded(ws, `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status previousStatus version order { status shipment { status carrier } } } }`, { id: order.id });
    try {
      // The subscription is live once a change made after it is seen: the confirmation below.
      await paid(token, order.id);
      const ready = await waitForFulfilment(url, token, order.id, (o) => o.shipment?.status === 'READY', 'shipment READY');
      expect(ready.payment).toEqual({ status: 'AUTHORIZED' });

      const shipped = await shipOrderAs(url, asAdmin(), order.id, UPS);
      expect(shipped.errors).toBeUndefined();
      expect(shipped.data!.shipOrder).toMatchObject({
        status: 'SHIPPED',
        version: 3,
        shippingAddress: STORED_ADDRESS,
        shipment: { status: 'SHIPPED', ...UPS_SHIPPED, deliveredAt: null },
        payment: { status: 'CAPTURED' },
      });
      // Shipped orders cannot be re-addressed, cancelled or shipped again.
      expect(onlyError(await setShippingAddressAs(url, token, order.id, ADDRESS, 'x@example.com')).code).toBe('INVALID_ORDER_TRANSITION');
      expect(onlyError(await graphql(url, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order.id }, { token })).code).toBe('INVALID_ORDER_TRANSITION');
      expect(onlyError(await shipOrderAs(url, asAdmin(), order.id, UPS)).code).toBe('INVALID_ORDER_TRANSITION');

      const delivered = await markDeliveredAs(url, asAdmin(), order.id);
      expect(delivered.errors).toBeUndefined();
      expect(delivered.data!.markOrderDelivered).toMatchObject({ status: 'COMPLETED', version: 4, shipment: { status: 'DELIVERED', ...UPS_SHIPPED }, payment: { status: 'CAPTURED' } });
      expect(delivered.data!.markOrderDelivered.shipment!.deliveredAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const updates = (await watched.take(3)).map((result) => (result.data as { orderStatusChanged: unknown }).orderStatusChanged);
      expect(updates).toEqual([
        { status: 'CONFIRMED', previousStatus: 'PENDING', version: 2, order: expect.objectContaining({ status: expect.any(String) }) },
        { status: 'SHIPPED', previousStatus: 'CONFIRMED', version: 3, order: expect.objectContaining({ status: expect.any(String) }) },
        { status: 'COMPLETED', previousStatus: 'SHIPPED', version: 4, order: expect.objectContaining({ status: expect.any(String) }) },
      ]);
    } finally {
      watched.stop();
      await ws.dispose();
    }

    // Points: floor(2 x 25.99) whole dollars at BRONZE; the held units sold.
    const points = await waitForValue('reward points', async () => {
      const response = await graphql<{ order: { rewardPoints: number | null } }>(url, `query($id: ID!) { order(id: $id) { rewardPoints } }`, { id: order.id }, { token });
      return response.data?.order.rewardPoints ?? undefined;
    });
    expect(points).toBe(51);
    await waitFor('the held units sold', async () => (await stockOf(productId)).reservedQuantity === 0);
    expect(await stockOf(productId)).toEqual({ stockQuantity: STOCK - 2, reservedQuantity: 0 });

    // Emails to the address as given (domain lower-cased): confirmed, shipped, delivered; once each.
    const inbox = await maildev.waitForEmails('Jane.Doe@example.com', 3);
    const reference = order.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    expect(inbox.map((mail) => mail.subject).sort()).toEqual(
      [`Order ${reference} confirmed: your receipt`, `Your order ${reference} has shipped`, `Your order ${reference} was delivered`].sort(),
    );
    const shippedMail = inbox.find((mail) => mail.subject.endsWith('has shipped'))!;
    expect(shippedMail.text).toContain(`Tracking number: ${UPS_SHIPPED.trackingNumber}`);
    await expectCheckoutConsistent(system, [order.id]);
  });
});

describe('addresses and emails are checked', () => {
  const refusal = async (contact: { shippingAddress?: unknown; email?: unknown }) => onlyError(await placeWithContact(url, await tokenFor('fulfil-bad-input'), { items: [{ productId, quantity: 1 }], ...contact }));

  it.each([
    [{ ...ADDRESS, country: 'XX' }, 'shippingAddress.country', 'shippingAddress.country must be an ISO 3166-1 alpha-2 country code such as US, DE or JP, got "XX"'],
    [{ ...ADDRESS, country: 'DE', postalCode: '1234' }, 'shippingAddress.postalCode', 'shippingAddress.postalCode "1234" is not a valid postal code for DE'],
    [{ ...ADDRESS, postalCode: 'SW1A 2AA' }, 'shippingAddress.postalCode', 'shippingAddress.postalCode "SW1A 2AA" is not a valid postal code for US'],
    [{ ...ADDRESS, line1: '   ' }, 'shippingAddress.line1', undefined],
    [{ ...ADDRESS, name: 'Jane\u202EDoe' }, 'shippingAddress.name', undefined],
  ])('refuses a bad address at placeOrder with BAD_USER_INPUT naming the field (%#)', async (shippingAddress, field, message) => {
    const error = await refusal({ shippingAddress, email: 'jane@example.com' });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect((error.details as { field: string }).field).toBe(field);
    if (message) expect(error.message).toBe(message);
  });

  it.each(['not-an-email', 'jane@', 'jane doe@example.com', `${'a'.repeat(65)}@example.com`])('refuses the email %j with BAD_USER_INPUT on email', async (email) => {
    const error = await refusal({ shippingAddress: ADDRESS, email });
    expect([error.code, (error.details as { field: string }).field]).toEqual(['BAD_USER_INPUT', 'email']);
  });

  it('checks setShippingAddress the same way, naming its own arguments, and lets only the owner set it', async () => {
    const token = await tokenFor('fulfil-set-address');
    const order = await placed(token, {});
    const bad = onlyError(await setShippingAddressAs(url, token, order.id, { ...ADDRESS, country: 'GB', postalCode: '62704' }, 'jane@example.com'));
    expect([bad.code, (bad.details as { field: string }).field, bad.message]).toEqual(['BAD_USER_INPUT', 'address.postalCode', 'address.postalCode "62704" is not a valid postal code for GB']);
    expect(onlyError(await setShippingAddressAs(url, token, order.id, ADDRESS, 'nope')).code).toBe('BAD_USER_INPUT');
    expect(onlyError(await setShippingAddressAs(url, await tokenFor('fulfil-intruder'), order.id, ADDRESS, 'i@example.com')).code).toBe('FORBIDDEN');
    expect(onlyError(await setShippingAddressAs(url, admin, order.id, ADDRESS, 'admin@example.com')).code).toBe('FORBIDDEN');
    expect(onlyError(await setShippingAddressAs(url, token, '00000000-0000-4000-8000-000000000000', ADDRESS, 'jane@example.com')).code).toBe('NOT_FOUND');
    expect((await fulfilmentOf(url, token, order.id)).shippingAddress).toBeNull();
  });
});

describe('shipping', () => {
  it('refuses an order without address and email, naming both, then ships it once the owner set them (confirmed by hand: nothing to capture)', async () => {
    const token = await tokenFor('fulfil-no-address');
    const order = await placed(token, {});
    await confirmedByHand(order.id);
    const missing = onlyError(await shipOrderAs(url, asAdmin(), order.id, UPS));
    expect(missing).toEqual({
      code: 'BAD_USER_INPUT',
      message: `order ${order.id} has no shipping address and no contact email; set them with setShippingAddress before shipping`,
      details: { field: 'shippingAddress', orderId: order.id, missing: ['shippingAddress', 'email'] },
    });

    const set = await setShippingAddressAs(url, token, order.id, { ...ADDRESS, country: 'GB', postalCode: 'sw1a  2aa', region: null }, 'jane@example.com');
    expect(set.errors).toBeUndefined();
    expect(set.data!.setShippingAddress).toMatchObject({ status: 'CONFIRMED', version: 2, shippingAddress: { ...STORED_ADDRESS, country: 'GB', postalCode: 'SW1A 2AA', region: null } });

    // A tracking number that does not fit its carrier is refused by Shipping; the order stays CONFIRMED.
    const badNumber = onlyError(await shipOrderAs(url, asAdmin(), order.id, { carrier: 'UPS', trackingNumber: '1Z999AA10123456785' }));
    expect([badNumber.code, (badNumber.details as { field: string }).field]).toEqual(['BAD_USER_INPUT', 'trackingNumber']);
    expect((await fulfilmentOf(url, token, order.id)).status).toBe('CONFIRMED');

    const shipped = await shipOrderAs(url, asAdmin(), order.id, { carrier: 'Acme Freight', trackingNumber: 'AF-778' });
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.shipOrder).toMatchObject({
      status: 'SHIPPED',
      version: 3,
      payment: null,
      shipment: { status: 'SHIPPED', carrier: 'Acme Freight', trackingNumber: 'AF-778', trackingUrl: null },
    });
  });

  it('leaves the order CONFIRMED and the shipment READY when the capture fails (PAYMENT_FAILED), nothing shipped', async () => {
    const token = await tokenFor('fulfil-capture-fails');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'capture@example.com' });
    const payment = await paid(token, order.id);
    await waitForFulfilment(url, token, order.id, (o) => o.shipment?.status === 'READY', 'shipment READY');
    // Stripe cancels an authorization left uncaptured for 7 days: the capture then cannot happen.
    expect((await control(system.stripe!.emulator, 'POST', `payment_intents/${payment.providerPaymentId}/expire`)).status).toBe(200);

    const refused = onlyError(await shipOrderAs(url, asAdmin(), order.id, UPS));
    expect(refused.code).toBe('PAYMENT_FAILED');
    expect(refused.message).toMatch(new RegExp(`^the payment of order ${order.id} is VOIDED; only an authorized payment can be captured$`));
    const after = await fulfilmentOf(url, token, order.id);
    expect([after.status, after.version, after.shipment?.status, after.shipment?.carrier]).toEqual(['CONFIRMED', 2, 'READY', null]);
  });

  it('checks the carrier and tracking number with Shipping before capturing: a bad number leaves the payment AUTHORIZED', async () => {
    const token = await tokenFor('fulfil-bad-number');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'badnumber@example.com' });
    await paid(token, order.id);
    await waitForFulfilment(url, token, order.id, (o) => o.shipment?.status === 'READY', 'shipment READY');

    const refused = onlyError(await shipOrderAs(url, asAdmin(), order.id, { carrier: 'UPS', trackingNumber: '1Z999AA10123456785' }));
    expect(refused).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'trackingNumber "1Z999AA10123456785" is not a UPS tracking number (its format or check digit does not match); check it, or name the carrier that issued it',
      details: expect.objectContaining({ field: 'trackingNumber' }),
    });
    const after = await fulfilmentOf(url, token, order.id);
    expect([after.status, after.version, after.payment?.status, after.shipment?.status, after.shipment?.trackingNumber]).toEqual(['CONFIRMED', 2, 'AUTHORIZED', 'READY', null]);

    // With the right number it ships, and only now is the money taken.
    const shipped = await shipOrderAs(url, asAdmin(), order.id, UPS);
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.shipOrder).toMatchObject({ status: 'SHIPPED', version: 3, payment: { status: 'CAPTURED' }, shipment: { status: 'SHIPPED', ...UPS_SHIPPED } });
    await expectCheckoutConsistent(system, [order.id]);
  });

  it('is for admins only, and only for CONFIRMED orders; delivery only for SHIPPED ones', async () => {
    const token = await tokenFor('fulfil-refusals');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'refusals@example.com' });
    expect(onlyError(await shipOrderAs(url, { token }, order.id, UPS)).code).toBe('FORBIDDEN');
    expect(onlyError(await shipOrderAs(url, asAdmin(), order.id, UPS))).toMatchObject({
      code: 'INVALID_ORDER_TRANSITION',
      message: `order ${order.id} cannot go from PENDING to SHIPPED (from PENDING it can go to CONFIRMED or CANCELLED)`,
    });
    expect(onlyError(await shipOrderAs(url, asAdmin(), order.id, { carrier: ' ', trackingNumber: 'X' })).code).toBe('BAD_USER_INPUT');
    await confirmedByHand(order.id);
    expect(onlyError(await markDeliveredAs(url, asAdmin(), order.id))).toMatchObject({
      code: 'INVALID_ORDER_TRANSITION',
      message: `order ${order.id} is CONFIRMED; only a SHIPPED order can be marked delivered`,
    });
    expect(onlyError(await markDeliveredAs(url, { token }, order.id)).code).toBe('FORBIDDEN');
    expect(onlyError(await shipOrderAs(url, asAdmin(), '00000000-0000-4000-8000-000000000000', UPS)).code).toBe('NOT_FOUND');
  });

  const COMPLETE_ORDER = `mutation($id: ID!) { completeOrder(id: $id) { status version payment { status } } }`;

  it('lets completeOrder finish a paid CONFIRMED order by hand, capturing its payment first', async () => {
    const token = await tokenFor('fulfil-complete-paid');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'completepaid@example.com' });
    await paid(token, order.id);
    const completed = await graphql<{ completeOrder: { status: string; version: number; payment: { status: string } | null } }>(url, COMPLETE_ORDER, { id: order.id }, asAdmin());
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeOrder).toEqual({ status: 'COMPLETED', version: 3, payment: { status: 'CAPTURED' } });
    await expectCheckoutConsistent(system, [order.id]);
  });

  it('leaves the order CONFIRMED when completeOrder cannot capture (PAYMENT_FAILED)', async () => {
    const token = await tokenFor('fulfil-complete-capture-fails');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'completefails@example.com' });
    const payment = await paid(token, order.id);
    expect((await control(system.stripe!.emulator, 'POST', `payment_intents/${payment.providerPaymentId}/expire`)).status).toBe(200);
    const refused = onlyError(await graphql(url, COMPLETE_ORDER, { id: order.id }, asAdmin()));
    expect([refused.code, refused.message]).toEqual(['PAYMENT_FAILED', `the payment of order ${order.id} is VOIDED; only an authorized payment can be captured`]);
    const after = await fulfilmentOf(url, token, order.id);
    expect([after.status, after.version, after.payment?.status]).toEqual(['CONFIRMED', 2, 'VOIDED']);
  });

  it('lets completeOrder finish an order confirmed by hand (no payment: nothing to capture)', async () => {
    const token = await tokenFor('fulfil-complete-unpaid');
    const order = await placed(token, {});
    await confirmedByHand(order.id);
    const completed = await graphql<{ completeOrder: { status: string; version: number; payment: null } }>(url, COMPLETE_ORDER, { id: order.id }, asAdmin());
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeOrder).toEqual({ status: 'COMPLETED', version: 3, payment: null });
  });

  it('lets completeOrder finish a SHIPPED order by hand', async () => {
    const token = await tokenFor('fulfil-complete-by-hand');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'byhand@example.com' });
    await confirmedByHand(order.id);
    expect((await shipOrderAs(url, asAdmin(), order.id, UPS)).errors).toBeUndefined();
    const completed = await graphql<{ completeOrder: { status: string; version: number } }>(url, `mutation($id: ID!) { completeOrder(id: $id) { status version } }`, { id: order.id }, asAdmin());
    expect(completed.data!.completeOrder).toEqual({ status: 'COMPLETED', version: 4 });
  });
});

describe('placeOrder with an idempotency key', () => {
  const placeKeyed = (token: string, contact: { shippingAddress?: unknown; email?: unknown }) =>
    graphql<{ placeOrder: FulfilmentView }>(url, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id shippingAddress { postalCode country } } }`, {
      input: { items: [{ productId, quantity: 1 }], idempotencyKey: 'fulfil-key-1', ...contact },
    }, { token });

  it('binds the key to the address and email too: the same request answers the same order, another address or email is CONFLICT', async () => {
    const token = await tokenFor('fulfil-idempotent-contact');
    const first = await placeKeyed(token, { shippingAddress: ADDRESS, email: 'jane@example.com' });
    expect(first.errors).toBeUndefined();
    // The same contact as typed differently (checked and normalised alike) is the same request.
    const again = await placeKeyed(token, { shippingAddress: { ...ADDRESS, country: 'us' }, email: 'jane@EXAMPLE.com' });
    expect(again.data!.placeOrder.id).toBe(first.data!.placeOrder.id);

    const message = 'idempotency key "fulfil-key-1" was already used for a different order (other products, quantities, shipping address or email); use a new key for a new order';
    for (const contact of [{ shippingAddress: { ...ADDRESS, line1: '1 Other Street' }, email: 'jane@example.com' }, { shippingAddress: ADDRESS, email: 'john@example.com' }, { email: 'jane@example.com' }]) {
      const refused = onlyError(await placeKeyed(token, contact));
      expect([refused.code, refused.message]).toEqual(['CONFLICT', message]);
    }
  });
});

describe("Orders' internal order read", () => {
  it('carries the contact email and the shipping address', async () => {
    const token = await tokenFor('fulfil-internal');
    const order = await placed(token, { shippingAddress: ADDRESS, email: 'internal@Example.com' });
    const answer = await internalCall(system.urls.orders, 'notifications', 'GET', `/internal/orders/${order.id}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: order.id, status: 'PENDING', email: 'internal@example.com', shippingAddress: ADDRESS });
    expect(answer.json['shippingAddress']).toEqual(ADDRESS);
  });
});
