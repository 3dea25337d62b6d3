import { loadConfig, type AppConfig } from '../../lib/config';
import type { AnyEventEnvelope, DeadLetterReader, EventBus } from '../../lib/events';
import type { RetryPolicy } from '../../lib/events/backoff';
import { createLogger } from '../../lib/logging';
import { createServiceRuntime } from '../../lib/runtime';
import { createSystemEventBus, ensureTables, startNotificationsNode } from '../../scripts/system';
import type { NotificationsOptions, RunningNotifications } from '../../subgraphs/notifications/worker';
import { startTestMaildev, type TestMaildev } from './maildev';
import { startOrdersInternalApi, type InternalOrderView, type OrdersInternalApi } from './orders-internal-api';
import { testRedisUrl } from './services';
import { TEST_SIGNING_SECRET, testEnv } from './system';

export const TEST_MAIL_FROM = 'Test Shop <orders@shop.test>';
export const TEST_SHOP_URL = 'https://shop.test';

/** Retries fast enough for a test, with the production policy's shape: more attempts than the bus's five. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 8, retryBackoff: { initialMs: 50, maxMs: 400 } };

export interface NotificationsHarness {
  readonly config: AppConfig;
  readonly maildev: TestMaildev;
  readonly orders: OrdersInternalApi;
  readonly bus: EventBus & DeadLetterReader;
  readonly workers: RunningNotifications[];
  /** The first worker. */
  readonly worker: RunningNotifications;
  /** Another worker in the same consumer group (a second instance of the service). */
  startWorker(options?: NotificationsOptions): Promise<RunningNotifications>;
  addOrder(order: InternalOrderView): void;
  publish(...envelopes: AnyEventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Notifications worker as it runs, against real servers: its own table in the run's DynamoDB Local, Redis
 * Streams on the run's redis-server (its own stream prefix), a real maildev, and a real HTTP server speaking
 * Orders' internal order route (test/support/orders-internal-api.ts) as ORDERS_URL. `smtpUrl` puts something
 * between the worker and maildev (a proxy that refuses or holds).
 */
export async function startNotificationsHarness(
  label: string,
  options: { smtpUrl?: (maildev: TestMaildev) => string | Promise<string>; retry?: RetryPolicy; env?: Record<string, string> } & Omit<NotificationsOptions, 'retry'> = {},
): Promise<NotificationsHarness> {
  const maildev = await startTestMaildev();
  const orders = await startOrdersInternalApi(TEST_SIGNING_SECRET);
  const { smtpUrl, retry, env, ...workerOptions } = options;
  const config = loadConfig(
    testEnv(label, {
      EVENT_BUS: 'redis',
      REDIS_URL: testRedisUrl(),
      ORDERS_URL: `${orders.url}/graphql`,
      SMTP_URL: smtpUrl ? await smtpUrl(maildev) : maildev.smtpUrl,
      MAIL_FROM: TEST_MAIL_FROM,
      SHOP_URL: TEST_SHOP_URL,
      MAIL_SEND_TIMEOUT_MS: '5000',
      ...env,
    }),
  );
  const logger = createLogger({ service: `${label}-events`, level: config.logLevel });
  const runtime = createServiceRuntime(config, 'notifications');
  await ensureTables(runtime, ['notifications']);
  const bus = createSystemEventBus(config, logger, {
    redis: { blockMs: 200, reclaimIdleMs: 2_000, reclaimIntervalMs: 200, retryBackoff: { initialMs: 50, maxMs: 400 }, loopErrorBackoff: { initialMs: 50, maxMs: 500 } },
  }) as EventBus & DeadLetterReader;
  const workers: RunningNotifications[] = [];
  const startWorker = async (extra: NotificationsOptions = {}) => {
    const worker = await startNotificationsNode(config, bus, { notifications: { retry: retry ?? FAST_RETRY, ...workerOptions, ...extra } });
    workers.push(worker);
    return worker;
  };
  const worker = await startWorker();
  return {
    config,
    maildev,
    orders,
    bus,
    workers,
    worker,
    startWorker,
    addOrder: (order) => orders.orders.set(order.id, order),
    publish: (...envelopes) => bus.publish(envelopes),
    async close() {
      for (const running of workers) await running.stopAll();
      await bus.close();
      await orders.close();
      await maildev.stop();
    },
  };
}

/** An order as Orders' internal API answers it, in USD, with an email and a shipping address unless overridden. */
export function internalOrder(id: string, overrides: Partial<InternalOrderView> = {}): InternalOrderView {
  return {
    id,
    customerId: 'customer-1',
    status: 'CONFIRMED',
    version: 2,
    total: { amount: 4497, currency: 'USD' },
    items: [
      { productId: 'product-1', productName: 'Blue Mug', unitPrice: { amount: 1250, currency: 'USD' }, quantity: 2, lineTotal: { amount: 2500, currency: 'USD' } },
      { productId: 'product-2', productName: 'Tea Towel', unitPrice: { amount: 1997, currency: 'USD' }, quantity: 1, lineTotal: { amount: 1997, currency: 'USD' } },
    ],
    placedAt: '2026-03-01T09:30:00.000Z',
    updatedAt: '2026-03-01T09:31:00.000Z',
    paymentDueAt: '2026-03-01T09:45:00.000Z',
    email: `${id}@example.com`,
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    ...overrides,
  };
}
