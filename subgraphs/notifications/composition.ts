import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { ConfigError } from '../../lib/config';
import { systemClock, type Clock } from '../../lib/ddd';
import { instrumentDynamo } from '../../lib/dynamodb';
import type { EventConsumer } from '../../lib/events';
import type { RetryPolicy } from '../../lib/events/backoff';
import { internalClientSettings } from '../../lib/internal-api/client';
import { createMetricsRegistry } from '../../lib/metrics';
import type { ServiceRuntime } from '../../lib/runtime/service-runtime';
import type { Mailer, NotificationsDependencies, OrderDirectory } from './application/ports';
import { DynamoDeliveryRecords } from './infrastructure/dynamo-delivery-records';
import { notificationsEventConsumer } from './infrastructure/event-consumers';
import { HttpOrderDirectory } from './infrastructure/orders-client';
import { SesMailer } from './infrastructure/ses-mailer';
import { SmtpMailer } from './infrastructure/smtp-mailer';
import { renderEmail } from './templates/render';

export interface NotificationsOptions {
  readonly clock?: Clock;
  /** The consumer's retry policy (tests shorten it); NOTIFICATIONS_RETRY by default. */
  readonly retry?: RetryPolicy;
  /** Another mailer than MAIL_TRANSPORT's (tests: SES against a local endpoint). */
  readonly mailer?: Mailer & { close?(): void };
  /** Another Orders reader (tests: a local server speaking Orders' internal route, on its own URL). */
  readonly orders?: OrderDirectory;
  /** The storefront links point to (the system passes the gateway it started when SHOP_URL is unset). */
  readonly shopUrl?: string;
}

/** Notifications' objects without any server: what the worker and the Lambda handler share. */
export interface NotificationsModule {
  readonly deps: NotificationsDependencies;
  readonly records: DynamoDeliveryRecords;
  readonly consumer: EventConsumer;
  readonly registry: Registry;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Composition root of the Notifications context: its delivery records, Orders reader, mailer and templates. */
export function notificationsModule(runtime: ServiceRuntime, options: NotificationsOptions = {}): NotificationsModule {
  const { config, logger, dynamo } = runtime;
  const { mail } = config;
  const problems: string[] = [];
  if (!mail.from) problems.push('MAIL_FROM: is required to send email (e.g. Example Shop <orders@example.com>, an address the mail server may send from)');
  if (!options.mailer && mail.transport === 'smtp' && !mail.smtpUrl) problems.push('SMTP_URL: is required with MAIL_TRANSPORT=smtp (smtp://user:pass@host:587)');
  if (problems.length > 0 || !mail.from) throw new ConfigError(problems);
  const sender = mail.from;

  const tableName = config.dynamodb.tables.notifications;
  const registry = createMetricsRegistry('notifications');
  instrumentDynamo(dynamo.client, registry);
  const records = new DynamoDeliveryRecords(dynamo.doc, tableName);
  const orders =
    options.orders ??
    new HttpOrderDirectory({ ...internalClientSettings(config, config.urls.orders), registry, logger });
  const mailer =
    options.mailer ??
    (mail.transport === 'ses'
      ? new SesMailer({ region: config.dynamodb.region, sendTimeoutMs: mail.sendTimeoutMs })
      : new SmtpMailer({ url: mail.smtpUrl!, sendTimeoutMs: mail.sendTimeoutMs }));
  const context = { shopUrl: options.shopUrl ?? mail.shopUrl, shopName: sender.name ?? 'Our shop' };
  const deps: NotificationsDependencies = {
    orders,
    mailer,
    records,
    render: (notification) => renderEmail(notification, context),
    sender,
    clock: options.clock ?? systemClock,
    newToken: randomUUID,
    // Twice the longest send: the mailer gives up at MAIL_SEND_TIMEOUT_MS, well before another attempt may take over.
    claimLeaseMs: 2 * mail.sendTimeoutMs,
  };
  return {
    deps,
    records,
    consumer: notificationsEventConsumer(deps, logger, { registry, ...(options.retry ? { retry: options.retry } : {}) }),
    registry,
    tableName,
    async close() {
      mailer.close?.();
      if (orders instanceof HttpOrderDirectory) await orders.close();
    },
  };
}
