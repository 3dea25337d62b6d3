import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { EventBus, Subscription } from '../../lib/events';
import { cachedHealthCheck, createServiceApp } from '../../lib/http';
import { redisHealthCheck } from '../../lib/redis/health';
import { listenService, type Listening, type ServiceRuntime } from '../../lib/runtime';
import { notificationsModule, type NotificationsModule, type NotificationsOptions } from './composition';

export { notificationsModule, type NotificationsModule, type NotificationsOptions } from './composition';

export type RunningNotifications = NotificationsModule &
  Listening & {
    /** The consumer's subscription; undefined when started without consumers. */
    readonly subscription: Subscription | undefined;
    /** Stops taking events (waiting for the email in hand), then the HTTP listener and the clients. */
    stopAll(): Promise<void>;
  };

/** How long a Redis probe's result is reused: each probe opens a connection. */
const READINESS_CACHE_MS = 2000;

/**
 * The Notifications worker, the local node of a context without an API: its event consumer on the bus, plus
 * `GET /health/live`, `GET /health/ready` (its table, and Redis when configured) and `/metrics` on `port`
 * (NOTIFICATIONS_PORT; 0 = any free port). docker-compose and `run-service.ts notifications` run it alone;
 * `npm start` runs it with the rest of the system.
 */
export async function startNotificationsWorker(
  runtime: ServiceRuntime,
  bus: EventBus,
  port: number,
  options: NotificationsOptions & { readonly consumers?: boolean } = {},
): Promise<RunningNotifications> {
  const { config, logger, dynamo } = runtime;
  const module = notificationsModule(runtime, options);
  const app = createServiceApp({
    service: 'notifications',
    logger,
    registry: module.registry,
    metrics: config.metrics,
    requestTimeoutMs: config.timeouts.requestMs,
    healthChecks: {
      dynamodb: async () => void (await dynamo.client.send(new DescribeTableCommand({ TableName: module.tableName }))),
      ...(config.redisUrl ? { redis: cachedHealthCheck(redisHealthCheck(config.redisUrl), READINESS_CACHE_MS) } : {}),
    },
  });
  const listening = await listenService({ app, close: () => module.close() }, runtime, port);
  let subscription: Subscription | undefined;
  try {
    if (options.consumers !== false) subscription = await bus.subscribe(module.consumer);
  } catch (error) {
    await listening.stop();
    throw error;
  }
  logger.info({ url: listening.http.url, transport: config.mail.transport }, 'notifications worker is consuming');
  return Object.assign(module, listening, {
    subscription,
    async stopAll() {
      await subscription?.close();
      await listening.stop();
    },
  });
}
