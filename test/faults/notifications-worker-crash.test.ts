import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, type AppConfig } from '../../lib/config';
import type { EventBus } from '../../lib/events';
import { sampleEnvelope } from '../../lib/events/testing/fixtures';
import { waitFor, waitForValue } from '../../lib/events/testing/wait-for';
import { createLogger } from '../../lib/logging';
import { createServiceRuntime } from '../../lib/runtime';
import { createSystemEventBus, ensureTables } from '../../scripts/system';
import { DynamoDeliveryRecords } from '../../subgraphs/notifications/infrastructure/dynamo-delivery-records';
import { startTestMaildev, type TestMaildev } from '../support/maildev';
import { internalOrder, TEST_MAIL_FROM } from '../support/notifications';
import { startOrdersInternalApi, type OrdersInternalApi } from '../support/orders-internal-api';
import { startReadyProcess } from '../support/fault-process';
import { testRedisUrl } from '../support/services';
import { startSmtpProxy, type SmtpProxy } from '../support/smtp-proxy';
import { TEST_EVENT_SIGNING_SECRET, TEST_JWT_SECRET, TEST_SIGNING_SECRET, testEnv } from '../support/system';

/**
 * Fault: the Notifications worker is killed (SIGKILL) in the middle of an SMTP conversation, before the mail
 * server has accepted the message: a TCP proxy in front of a real maildev holds back the end of the message data,
 * so the server never answers 250. The killed conversation dies with the process (the server keeps nothing of it);
 * the claim it left runs out; a new worker reclaims the event from the dead member and sends the email, once.
 */

const MAIL_SEND_TIMEOUT_MS = 3000;

let maildev: TestMaildev;
let proxy: SmtpProxy;
let orders: OrdersInternalApi;
let config: AppConfig;
let bus: EventBus;
let records: DynamoDeliveryRecords;
const children: ChildProcess[] = [];

beforeAll(async () => {
  maildev = await startTestMaildev();
  proxy = await startSmtpProxy({ port: maildev.smtpPort });
  orders = await startOrdersInternalApi(TEST_SIGNING_SECRET);
  config = loadConfig(testEnv('fault-notify-crash', { EVENT_BUS: 'redis', REDIS_URL: testRedisUrl() }));
  const runtime = createServiceRuntime(config, 'notifications');
  await ensureTables(runtime, ['notifications']);
  records = new DynamoDeliveryRecords(runtime.dynamo.doc, config.dynamodb.tables.notifications);
  bus = createSystemEventBus(config, createLogger({ service: 'fault-notify-crash', level: config.logLevel }));
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bus?.close();
  await orders?.close();
  await proxy?.close();
  await maildev?.stop();
});

/** Starts a worker process on this test's table and streams, sending through the proxy; resolves once it consumes. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = await startReadyProcess(
    'test/support/notifications-worker-process.ts',
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      NOTIFICATIONS_PORT: '0',
      DYNAMODB_ENDPOINT: config.dynamodb.endpoint,
      TABLE_PREFIX: config.namespace,
      EVENT_BUS: 'redis',
      REDIS_URL: testRedisUrl(),
      ORDERS_URL: `${orders.url}/graphql`,
      SMTP_URL: proxy.url,
      MAIL_FROM: TEST_MAIL_FROM,
      MAIL_SEND_TIMEOUT_MS: String(MAIL_SEND_TIMEOUT_MS),
      JWT_SECRET: TEST_JWT_SECRET,
      GATEWAY_SIGNING_SECRET: TEST_SIGNING_SECRET,
      EVENT_SIGNING_SECRET: TEST_EVENT_SIGNING_SECRET,
      RECLAIM_IDLE_MS: '1500',
    },
    'the Notifications worker',
  );
  children.push(child);
  return child;
}

describe('the Notifications worker killed mid-send and restarted', () => {
  it('sends the email once: not lost with the dead conversation, not doubled by the restart', async () => {
    const orderId = 'order-crash-1';
    orders.orders.set(orderId, internalOrder(orderId));
    proxy.mode = 'hold';
    const first = await startWorkerProcess();
    const event = sampleEnvelope('order.confirmed', { orderId });
    await bus.publish([event]);

    // The message data is with the proxy, its end held back: the server has not accepted it.
    await waitFor('the SMTP conversation to be held before the end of its data', () => proxy.held === 1, 30_000);
    const claimed = await records.find({ eventId: event.id, recipient: 'customer' });
    expect(claimed).toMatchObject({ status: 'CLAIMED', attempts: 1 });
    first.kill('SIGKILL');
    await new Promise((resolveExit) => first.once('exit', resolveExit));
    await waitFor('the held conversation to close with the process', () => proxy.held === 0);
    expect(await maildev.emailsTo(`${orderId}@example.com`)).toEqual([]);

    proxy.mode = 'pass';
    const second = await startWorkerProcess();
    const sent = await waitForValue(
      'the email sent by the new worker',
      async () => {
        const record = await records.find({ eventId: event.id, recipient: 'customer' });
        return record?.status === 'SENT' ? record : undefined;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    );
    // The claim of the dead worker ran out (twice MAIL_SEND_TIMEOUT_MS) before the new one took it over.
    expect(sent.attempts).toBe(2);
    expect(sent.updatedAt.getTime() - claimed!.updatedAt.getTime()).toBeGreaterThanOrEqual(2 * MAIL_SEND_TIMEOUT_MS);
    const received = await maildev.waitForEmails(`${orderId}@example.com`, 1);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['message-id']).toBe(`<notification.${event.id}.customer@shop.test>`);
    expect(received[0]!.subject).toMatch(/confirmed: your receipt$/);

    // One more event through the same worker: once its email is in, nothing of the first is still on its way.
    const marker = sampleEnvelope('shipment.delivered', { orderId });
    await bus.publish([marker]);
    await maildev.waitForEmails(`${orderId}@example.com`, 2);
    expect((await maildev.emailsTo(`${orderId}@example.com`)).map((email) => email.subject).sort()).toEqual([
      expect.stringMatching(/confirmed: your receipt$/),
      expect.stringMatching(/was delivered$/),
    ]);
    second.kill('SIGTERM');
    await new Promise((resolveExit) => second.once('exit', resolveExit));
  }, 180_000);
});
