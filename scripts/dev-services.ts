/**
 * The services of a development run: the storefront's build when it is stale, tables, demo products on first run,
 * every subgraph, the Notifications worker and the gateway in this process, and the banner with their URLs.
 * `npm start` runs them after its local servers (scripts/dev.ts); `npm run dev` runs this file alone in a child it
 * restarts on change (scripts/dev-watch.ts), with DYNAMODB_ENDPOINT, REDIS_URL, the Stripe emulator's
 * STRIPE_API_URL and STRIPE_WEBHOOK_SECRET and maildev's SMTP_URL pointing at the servers it keeps.
 *   node --import tsx scripts/dev-services.ts [--restarted]
 */
import { developmentTools } from '../gateway/web';
import type { AppConfig } from '../lib/config';
import { redactRedisUrl } from '../lib/redis/local';
import { runDevProcess, type DevProcess } from './dev-process';
import { seedDemoProducts } from './seed';
import { startSystem, type RunningSystem } from './system';
import { ensureWebBuild } from './web-build';

/** The first line of the banner: what scripts/dev.ts prints once everything listens. */
export const DEV_READY = 'Federated commerce is running';

export async function startDevServices({ config, logger, keep }: DevProcess): Promise<RunningSystem> {
  await ensureWebBuild({ log: (message) => logger.info(message) });
  const running = await startSystem(config);
  keep(running);
  const seeded = await seedDemoProducts(running.catalog.deps);
  if (seeded > 0) logger.info({ products: seeded }, 'seeded demo products');
  return running;
}

/** What the banner says of the local servers `npm start` ran beside the services (scripts/local-infrastructure.ts). */
export interface LocalServersSummary {
  readonly notes: readonly string[];
  /** maildev's web inbox. */
  readonly inbox?: string | undefined;
  /** The Stripe emulator's URL, when this run started it. */
  readonly stripeEmulator?: string | undefined;
}

export function devBanner(config: AppConfig, running: RunningSystem, local: LocalServersSummary): string {
  const port = (url: string) => new URL(url).port;
  const mail = local.inbox
    ? `every email the shop sends, in the inbox at ${local.inbox} (SMTP ${config.mail.smtpUrl})`
    : config.mail.transport === 'ses'
      ? 'Amazon SES'
      : `SMTP ${redactUrl(config.mail.smtpUrl)}`;
  const stripe = local.stripeEmulator
    ? `emulator on ${local.stripeEmulator} (test methods pm_card_visa, pm_card_chargeDeclined; docs/payments.md)`
    : (config.stripe.apiUrl ?? 'api.stripe.com with STRIPE_SECRET_KEY');
  return [
    '',
    `${DEV_READY}:`,
    `  Storefront                         http://localhost:${port(running.urls.gateway)}/`,
    `  Gateway (GraphQL, Apollo Sandbox)  http://localhost:${port(running.urls.gateway)}/graphql`,
    ...(developmentTools(config) ? [`  GraphiQL (works offline)           http://localhost:${port(running.urls.gateway)}/graphiql`] : []),
    `  Subscriptions (graphql-ws)         ws://localhost:${port(running.urls.gateway)}/graphql`,
    `  Catalog subgraph                   http://localhost:${port(running.urls.catalog)}/graphql`,
    `  Catalog REST                       http://localhost:${port(running.urls.catalog)}/products/<id>`,
    `  Orders subgraph                    http://localhost:${port(running.urls.orders)}/graphql`,
    `  Rewards subgraph                   http://localhost:${port(running.urls.rewards)}/graphql`,
    `  Payments subgraph                  http://localhost:${port(running.urls.payments)}/graphql`,
    `  Stripe webhook                     http://localhost:${port(running.urls.payments)}/webhooks/stripe`,
    `  Shipping subgraph                  http://localhost:${port(running.urls.shipping)}/graphql`,
    ...(running.urls.notifications ? [`  Notifications worker               http://localhost:${port(running.urls.notifications)}/health`] : []),
    `  Mail                               ${mail}`,
    `  Health and metrics                 http://localhost:<port>/health/live, /health/ready, /metrics (every service)`,
    `  DynamoDB                           ${config.dynamodb.endpoint ?? 'AWS'}`,
    `  Redis                              ${config.redisUrl ? redactRedisUrl(config.redisUrl) : 'none (in-memory cache, in-process events)'}`,
    `  Events                             ${config.eventBus.kind}`,
    `  Stripe                             ${stripe}`,
    `  Traces                             ${tracesLine()}`,
    ...local.notes.map((note) => `  Note: ${note}`),
    '',
    'Get a token:  npm run token -- --sub customer-1          (customer)',
    '              npm run token -- --sub admin-1 --admin     (admin)',
    'Send it as:   Authorization: Bearer <token>',
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}

/** A URL safe to print: its password reduced to stars. */
function redactUrl(url: string | undefined): string {
  if (!url) return 'none';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function tracesLine(): string {
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const exporter = process.env['OTEL_TRACES_EXPORTER'];
  return endpoint ?? (exporter ? `OTEL_TRACES_EXPORTER=${exporter}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)');
}

if (require.main === module) {
  runDevProcess('services', async (dev) => {
    const running = await startDevServices(dev);
    if (process.argv.includes('--restarted')) {
      console.log(`Services restarted in ${process.uptime().toFixed(1)} s: http://localhost:${new URL(running.urls.gateway).port}/graphql`);
    } else {
      console.log(devBanner(dev.config, running, { notes: [] }));
    }
  });
}
