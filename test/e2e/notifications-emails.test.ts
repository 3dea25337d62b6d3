import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor, waitForValue } from '../../lib/events/testing/wait-for';
import { internalOrder, startNotificationsHarness, type NotificationsHarness } from '../support/notifications';

/**
 * The Notifications worker on Redis Streams, with a real maildev and a real HTTP server speaking Orders'
 * internal order route: events published on the bus become emails in maildev's inbox (read back through its
 * REST API), once per event and recipient.
 */

let h: NotificationsHarness;
beforeAll(async () => {
  h = await startNotificationsHarness('notify-emails');
}, 60_000);
afterAll(() => h?.close());

const newOrderId = () => `order-${randomUUID().slice(0, 8)}`;
const records = (orderId: string) => h.worker.records.findByOrder(orderId);
const recordOf = (orderId: string, eventId: string) =>
  waitForValue(`the delivery record of ${eventId}`, async () => {
    const found = (await records(orderId)).find((record) => record.key.eventId === eventId);
    return found && found.status !== 'CLAIMED' ? found : undefined;
  });

describe('an email for each event', () => {
  it('order.confirmed: the receipt, to the order address, with a Message-ID of its own', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    const event = sampleEnvelope('order.confirmed', { orderId });
    await h.publish(event);

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toBe(`Order ${orderId.replace('-', '').slice(0, 8).toUpperCase()} confirmed: your receipt`);
    expect(email!.to).toEqual([{ address: `${orderId}@example.com`, name: 'Ada Lovelace' }]);
    expect(email!.from).toEqual([{ address: 'orders@shop.test', name: 'Test Shop' }]);
    expect(email!.headers['message-id']).toBe(`<notification.${event.id}.customer@shop.test>`);
    expect(email!.headers['auto-submitted']).toBe('auto-generated');
    expect(email!.headers['x-notification-id']).toBe(`<notification.${event.id}.customer@shop.test>`);
    expect(email!.text).toContain(['  2 x Blue Mug at $12.50 each: $25.00', '  1 x Tea Towel at $19.97 each: $19.97', '', 'Total: $44.97'].join('\n'));
    expect(email!.text).toContain(`See your order: https://shop.test/orders/${orderId}`);
    expect(email!.html).toContain('<strong>$44.97</strong>');
    expect(email!.html).toContain('>Blue Mug</td>');

    const record = await recordOf(orderId, event.id);
    expect(record).toMatchObject({ kind: 'order-confirmed', status: 'SENT', address: `${orderId}@example.com`, attempts: 1, lastError: undefined });
    expect(record.providerMessageId).toMatch(/^250 /);
  });

  it('payment.failed: the decline and how to pay again before the deadline', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { status: 'PENDING' }));
    await h.publish(sampleEnvelope('payment.failed', { orderId, reason: 'Your card has insufficient funds.', amount: { amount: 4497, currency: 'USD' } }));

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toMatch(/^Payment for order [A-Z0-9]{8} did not go through$/);
    expect(email!.text).toContain('Your payment of $44.97 did not go through: Your card has insufficient funds.');
    expect(email!.text).toContain('Your items stay reserved until Mar 1, 2026, 9:45 AM UTC. To keep the order, pay again before then');
    expect(email!.text).toContain(`Pay again: https://shop.test/orders/${orderId}`);
    expect(email!.html).toContain(`<a href="https://shop.test/orders/${orderId}"`);
  });

  it('order.shipped: carrier, tracking number and tracking link', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { status: 'SHIPPED' }));
    await h.publish(
      sampleEnvelope('order.shipped', { orderId, status: 'SHIPPED', carrier: 'DHL', trackingNumber: 'JD014600006281234567', trackingUrl: 'https://www.dhl.com/track?id=JD014600006281234567' }),
    );

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toMatch(/^Your order [A-Z0-9]{8} has shipped$/);
    expect(email!.text).toContain(['Carrier: DHL', 'Tracking number: JD014600006281234567', 'Track your parcel: https://www.dhl.com/track?id=JD014600006281234567'].join('\n'));
    expect(email!.html).toContain('<a href="https://www.dhl.com/track?id=JD014600006281234567" style="color:#1a56db">JD014600006281234567</a>');
  });

  it('shipment.delivered: when', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { status: 'COMPLETED' }));
    await h.publish(sampleEnvelope('shipment.delivered', { orderId, at: '2026-03-04T15:20:00.000Z' }));

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toMatch(/^Your order [A-Z0-9]{8} was delivered$/);
    expect(email!.text).toContain('Your order was delivered on Mar 4, 2026, 3:20 PM UTC.');
  });

  it('order.cancelled: the reason, here the payment deadline', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { status: 'CANCELLED', cancellationReason: 'the payment deadline passed' }));
    await h.publish(sampleEnvelope('order.cancelled', { orderId, status: 'CANCELLED', previousStatus: 'PENDING', cause: 'payment-timeout', reason: 'the payment deadline passed' }));

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toMatch(/^Your order [A-Z0-9]{8} was cancelled$/);
    expect(email!.text).toContain('We did not receive a payment for it by Mar 1, 2026, 9:45 AM UTC, the deadline to pay, so it was cancelled.\n\nReason: the payment deadline passed');
    expect(email!.html).toContain('<p>Reason: the payment deadline passed</p>');
  });

  it('escapes hostile names in the HTML part and keeps them off header and text lines', async () => {
    const orderId = newOrderId();
    h.addOrder(
      internalOrder(orderId, {
        items: [{ productId: 'p', productName: '<img src=x onerror=alert(1)>', unitPrice: { amount: 100, currency: 'USD' }, quantity: 1, lineTotal: { amount: 100, currency: 'USD' } }],
        total: { amount: 100, currency: 'USD' },
        shippingAddress: { name: 'Eve <eve@evil.example>\r\nBcc: victim@example.com', line1: '1 Road', city: 'Town', postalCode: '1', country: 'GB' },
      }),
    );
    await h.publish(sampleEnvelope('order.confirmed', { orderId }));

    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.to).toEqual([{ address: `${orderId}@example.com`, name: 'Eve <eve@evil.example> Bcc: victim@example.com' }]);
    expect(email!.headers['bcc']).toBeUndefined();
    expect(email!.html).toContain('<p>Hello Eve &lt;eve@evil.example&gt; Bcc: victim@example.com,</p>');
    expect(email!.html).toContain('>&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(email!.html).not.toContain('<img');
    expect(email!.text.split('\n')[0]).toBe('Hello Eve <eve@evil.example> Bcc: victim@example.com,');
    expect(await h.maildev.emailsTo('victim@example.com')).toEqual([]);
  });
});

describe('exactly once per event and recipient', () => {
  it('sends one email for an event delivered many times, to two workers of the group at once', async () => {
    const second = await h.startWorker();
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    const event = sampleEnvelope('order.confirmed', { orderId });
    // Three copies on the stream (an outbox relay that published twice, a replay): each a delivery of its own.
    await h.publish(event, event, event);
    await Promise.all([h.publish(event), h.publish(event)]);

    await waitFor('every copy to be handled', async () => {
      const record = (await records(orderId))[0];
      return record?.status === 'SENT' && (await h.bus.deadLetters('notifications')).length === 0 && h.orders.requests.filter((r) => r.path.endsWith(orderId)).length >= 5;
    });
    // Another event of the same order, published after the copies: once its email is in, the copies are behind us.
    const later = sampleEnvelope('shipment.delivered', { orderId });
    await h.publish(later);
    await h.maildev.waitForEmails(`${orderId}@example.com`, 2);
    await recordOf(orderId, later.id);
    const received = await h.maildev.emailsTo(`${orderId}@example.com`);
    expect(received.map((email) => email.subject).sort()).toEqual([expect.stringMatching(/confirmed: your receipt$/), expect.stringMatching(/was delivered$/)]);
    const confirmed = (await records(orderId)).find((record) => record.key.eventId === event.id)!;
    expect(confirmed).toMatchObject({ status: 'SENT', attempts: 1 });
    await second.stopAll();
    h.workers.splice(h.workers.indexOf(second), 1);
  });

  it('keeps the first decision: an event skipped for want of an address stays skipped when redelivered with one', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { email: undefined }));
    const event = sampleEnvelope('order.confirmed', { orderId });
    await h.publish(event);
    const skipped = await recordOf(orderId, event.id);
    expect(skipped).toMatchObject({ status: 'SKIPPED', skipReason: 'no-email-address', detail: 'the order has no email address', address: undefined, attempts: 0 });

    h.addOrder(internalOrder(orderId));
    await h.publish(event);
    const marker = sampleEnvelope('order.shipped', { orderId });
    await h.publish(marker);
    await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    await recordOf(orderId, marker.id);
    expect((await h.maildev.emailsTo(`${orderId}@example.com`)).map((email) => email.subject)).toEqual([expect.stringMatching(/has shipped$/)]);
    expect((await records(orderId)).find((record) => record.key.eventId === event.id)).toMatchObject({ status: 'SKIPPED' });
  });
});

describe('no email', () => {
  it('without an address on the order, recording why', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { email: undefined }));
    const event = sampleEnvelope('order.confirmed', { orderId });
    await h.publish(event);

    const record = await recordOf(orderId, event.id);
    expect(record).toMatchObject({ status: 'SKIPPED', skipReason: 'no-email-address', kind: 'order-confirmed' });
    expect((await h.maildev.emails()).filter((email) => email.text.includes(orderId))).toEqual([]);
  });

  it('for a payment failure of an order that no longer waits for a payment, or an order Orders does not know', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId, { status: 'CONFIRMED' }));
    const failed = sampleEnvelope('payment.failed', { orderId });
    await h.publish(failed);
    expect(await recordOf(orderId, failed.id)).toMatchObject({ status: 'SKIPPED', skipReason: 'no-longer-awaiting-payment', detail: 'the order is CONFIRMED, no longer waiting for a payment' });

    const unknown = newOrderId();
    const orphan = sampleEnvelope('order.confirmed', { orderId: unknown });
    await h.publish(orphan);
    expect(await recordOf(unknown, orphan.id)).toMatchObject({ status: 'SKIPPED', skipReason: 'order-not-found' });
    expect(await h.maildev.emailsTo(`${orderId}@example.com`)).toEqual([]);
  });

  it('asks Orders as the Notifications service, with a signature Orders verifies', async () => {
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    await h.publish(sampleEnvelope('order.confirmed', { orderId }));
    await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(h.orders.requests.filter((request) => request.path === `/internal/orders/${orderId}`)).toEqual([{ path: `/internal/orders/${orderId}`, caller: 'service:notifications' }]);
  });
});

describe('the worker', () => {
  it('serves its health and metrics', async () => {
    const ready = await fetch(`${h.worker.http.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', service: 'notifications', checks: { dynamodb: 'ok', redis: 'ok' } });
    const metrics = await (await fetch(`${h.worker.http.url}/metrics`)).text();
    expect(metrics).toMatch(/^notifications_emails_total\{kind="order-confirmed",outcome="sent",service="notifications"\} [1-9]/m);
    expect(metrics).toMatch(/^notifications_emails_total\{kind="order-confirmed",outcome="skipped",service="notifications"\} [1-9]/m);
    expect(metrics).toMatch(/^events_delivered_total\{transport="redis",group="notifications",type="order.confirmed",outcome="handled",service="notifications"\} [1-9]/m);
  });
});
