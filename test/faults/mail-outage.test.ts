import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AnyEventEnvelope } from '../../lib/events';
import { minimumRetrySpanMs, scaledRetryPolicy } from '../../lib/events/backoff';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor } from '../../lib/events/testing/wait-for';
import { NOTIFICATIONS_CONSUMER_GROUP, NOTIFICATIONS_RETRY } from '../../subgraphs/notifications/infrastructure/event-consumers';
import { startTestMaildev, type TestMaildev } from '../support/maildev';
import { internalOrder, startNotificationsHarness, type NotificationsHarness } from '../support/notifications';

/**
 * Fault: the mail server is down for a minute. The SMTP server (a real maildev) is stopped, emails are asked for
 * meanwhile, and it comes back on the same port once the outage has lasted; every email arrives then, exactly once,
 * and nothing is dead-lettered.
 *
 * Time is scaled by SCALE: the worker retries with the production policy (NOTIFICATIONS_RETRY: ten attempts, backing
 * off from 1 s to a minute apart) with every delay divided by SCALE (scaledRetryPolicy), against an outage of a
 * minute divided by SCALE. Only the clock changes: the same attempts in the same proportions of the outage, and the
 * scaled policy's minimum retry span covers the scaled outage twice over, exactly as the production policy's
 * 121.5 s covers a minute (that arithmetic is asserted unscaled in
 * subgraphs/notifications/infrastructure/event-consumers.test.ts). What does not scale (an attempt's own work, maildev
 * starting again, about 3 s on a loaded machine) only lengthens the real outage, and the twice-over margin (12 s
 * here) absorbs it. Unscaled, the test would wait a minute of outage and up to a minute more for the next retry.
 */

const SCALE = 5;
const RETRY = scaledRetryPolicy(NOTIFICATIONS_RETRY, SCALE);
const OUTAGE_MS = 60_000 / SCALE;
const ORDERS = 12;
/** Emails of every kind that needs no particular order status. */
const EVENTS: readonly ((orderId: string) => AnyEventEnvelope)[] = [
  (orderId) => sampleEnvelope('order.confirmed', { orderId }),
  (orderId) => sampleEnvelope('order.shipped', { orderId }),
  (orderId) => sampleEnvelope('shipment.delivered', { orderId }),
  (orderId) => sampleEnvelope('order.cancelled', { orderId }),
];

let h: NotificationsHarness;
let restarted: TestMaildev | undefined;
beforeAll(async () => {
  h = await startNotificationsHarness('fault-mail-outage', { retry: RETRY });
}, 60_000);
afterAll(async () => {
  await restarted?.stop();
  await h?.close();
});

describe('the mail server down for a minute (scaled), then back', () => {
  it('delivers every email asked for during the outage once it is back, each exactly once', async () => {
    expect(minimumRetrySpanMs(RETRY)).toBeGreaterThan(2 * OUTAGE_MS);
    const before = `order-${randomUUID().slice(0, 8)}`;
    h.addOrder(internalOrder(before));
    await h.publish(sampleEnvelope('order.confirmed', { orderId: before }));
    await h.maildev.waitForEmails(`${before}@example.com`, 1);

    const { smtpPort, webPort } = h.maildev;
    await h.maildev.stop();
    const downAt = Date.now();
    const events: AnyEventEnvelope[] = [];
    for (let i = 0; i < ORDERS; i += 1) {
      const orderId = `order-${randomUUID().slice(0, 8)}`;
      h.addOrder(internalOrder(orderId));
      events.push(EVENTS[i % EVENTS.length]!(orderId));
    }
    await h.publish(...events);
    const orderIds = events.map((event) => (event.data as { orderId: string }).orderId);
    const recordsOf = async () => (await Promise.all(orderIds.map((orderId) => h.worker.records.findByOrder(orderId)))).flat();

    // Every email has been tried and refused at least twice, and the server has been away for the whole outage.
    await waitFor('every delivery to have failed twice through the whole outage', async () => {
      const records = await recordsOf();
      return records.length === ORDERS && records.every((record) => record.status !== 'SENT' && record.attempts >= 2) && Date.now() - downAt >= OUTAGE_MS;
    }, OUTAGE_MS + 45_000, 500);
    const refused = await recordsOf();
    expect(refused.every((record) => record.status !== 'SENT')).toBe(true);
    expect(refused.map((record) => record.lastError ?? '').every((error) => /ECONNREFUSED|closed/i.test(error))).toBe(true);

    // Then the server comes back on the same port.
    restarted = await startTestMaildev({ smtpPort, webPort });

    await waitFor(
      () => `every email to arrive (${orderIds.length} expected)`,
      async () => (await recordsOf()).filter((record) => record.status === 'SENT').length === ORDERS,
      // The next retry of each comes at most RETRY's longest delay (12 s) after the server is back; the rest is slack
      // for a loaded machine.
      60_000,
      500,
    );
    const inbox = await restarted.emails();
    for (const orderId of orderIds) {
      expect({ orderId, emails: inbox.filter((email) => email.to.some((to) => to.address === `${orderId}@example.com`)).length }).toEqual({ orderId, emails: 1 });
    }
    const sent = await recordsOf();
    expect(sent.every((record) => record.attempts >= 3 && record.attempts <= RETRY.maxAttempts)).toBe(true);
    expect(await h.bus.deadLetters(NOTIFICATIONS_CONSUMER_GROUP)).toEqual([]);
  }, 150_000);
});
