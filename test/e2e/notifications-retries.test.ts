import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor, waitForValue } from '../../lib/events/testing/wait-for';
import { NOTIFICATIONS_CONSUMER_GROUP } from '../../subgraphs/notifications/infrastructure/event-consumers';
import { internalOrder, startNotificationsHarness, type NotificationsHarness } from '../support/notifications';
import { startSmtpProxy, type SmtpProxy } from '../support/smtp-proxy';

/**
 * Failures on the way to the mail server (a real maildev behind a TCP proxy that refuses on demand) and to
 * Orders: the delivery is retried with the consumer's backoff, nothing is sent twice, and what fails on every
 * attempt is dead-lettered with its record saying why.
 */

let h: NotificationsHarness | undefined;
let proxy: SmtpProxy | undefined;
afterEach(async () => {
  await h?.close();
  await proxy?.close();
  h = undefined;
  proxy = undefined;
});

const newOrderId = () => `order-${randomUUID().slice(0, 8)}`;

async function harnessBehindProxy(label: string, retry = { maxAttempts: 8, retryBackoff: { initialMs: 100, maxMs: 400 } }) {
  h = await startNotificationsHarness(label, {
    retry,
    smtpUrl: async (maildev) => {
      proxy = await startSmtpProxy({ port: maildev.smtpPort });
      return proxy.url;
    },
  });
  return { h, proxy: proxy! };
}

describe('a mail server that refuses', () => {
  it('gets the email once it takes mail again, exactly once', async () => {
    const { h, proxy } = await harnessBehindProxy('notify-refuse');
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    proxy.mode = 'refuse';
    const event = sampleEnvelope('order.confirmed', { orderId });
    await h.publish(event);

    const failing = await waitForValue('two refused attempts', async () => {
      const [record] = await h.worker.records.findByOrder(orderId);
      return record && record.status === 'FAILED' && record.attempts >= 2 ? record : undefined;
    });
    expect(failing.lastError).toMatch(/421/);
    expect(await h.maildev.emailsTo(`${orderId}@example.com`)).toEqual([]);

    proxy.mode = 'pass';
    const [email] = await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(email!.subject).toMatch(/confirmed: your receipt$/);
    const sent = await waitForValue('the SENT record', async () => {
      const [record] = await h.worker.records.findByOrder(orderId);
      return record?.status === 'SENT' ? record : undefined;
    });
    expect(sent.attempts).toBeGreaterThanOrEqual(3);
    expect(sent.lastError).toMatch(/421/);
    expect(await h.bus.deadLetters(NOTIFICATIONS_CONSUMER_GROUP)).toEqual([]);
    expect(await h.maildev.emailsTo(`${orderId}@example.com`)).toHaveLength(1);
  });

  it('dead-letters the event after the consumer attempts, its record saying why', async () => {
    const { h, proxy } = await harnessBehindProxy('notify-dead-letter', { maxAttempts: 3, retryBackoff: { initialMs: 50, maxMs: 100 } });
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    proxy.mode = 'refuse';
    const event = sampleEnvelope('order.shipped', { orderId });
    await h.publish(event);

    const [letter] = await waitForValue('the dead letter', async () => {
      const letters = await h.bus.deadLetters(NOTIFICATIONS_CONSUMER_GROUP);
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter).toMatchObject({ group: 'notifications', deliveredAs: 'order.shipped', eventId: event.id, attempts: 3 });
    expect(letter!.reason).toMatch(/^handler failed on all 3 attempts; last error: .*421/);
    const [record] = await h.worker.records.findByOrder(orderId);
    expect(record).toMatchObject({ status: 'FAILED', attempts: 3, kind: 'order-shipped' });
    expect(proxy.connections).toBe(3);
    expect(await h.maildev.emailsTo(`${orderId}@example.com`)).toEqual([]);
  });
});

describe('Orders unavailable', () => {
  it('retries the lookup, and sends once Orders answers', async () => {
    h = await startNotificationsHarness('notify-orders-down', { retry: { maxAttempts: 8, retryBackoff: { initialMs: 100, maxMs: 400 } } });
    const orderId = newOrderId();
    h.addOrder(internalOrder(orderId));
    h.orders.failWith = 503;
    await h.publish(sampleEnvelope('order.confirmed', { orderId }));
    const harness = h;
    await waitFor('two refused lookups', () => harness.orders.requests.filter((request) => request.path.endsWith(orderId)).length >= 2);
    expect(await h.worker.records.findByOrder(orderId)).toEqual([]);

    h.orders.failWith = undefined;
    await h.maildev.waitForEmails(`${orderId}@example.com`, 1);
    await waitFor('the SENT record', async () => (await harness.worker.records.findByOrder(orderId))[0]?.status === 'SENT');
    expect(await h.maildev.emailsTo(`${orderId}@example.com`)).toHaveLength(1);
  });
});
