/**
 * `npm run stripe:emulator`: the Stripe emulator on its own, for development by hand.
 *
 * STRIPE_EMULATOR_PORT (default 12111, 0 = any free port); STRIPE_EMULATOR_WEBHOOK_URL with STRIPE_WEBHOOK_SECRET
 * (`whsec_...`) to send every event there; LOG_LEVEL. Refuses to run with a NODE_ENV other than development or
 * test: nothing but development and tests should ever talk to it. Ctrl-C stops it.
 */
import type * as z from 'zod';
import { ConfigError, parseEnv } from '../../lib/config/env';
import { createLogger } from '../../lib/logging';
import { startStripeEmulator } from '.';
import { stripeEmulatorSchema as Settings } from './settings';

async function main(): Promise<void> {
  let settings: z.output<typeof Settings>;
  try {
    settings = parseEnv(Settings, process.env);
    if (settings.NODE_ENV !== undefined && settings.NODE_ENV !== 'development' && settings.NODE_ENV !== 'test') {
      throw new ConfigError([`NODE_ENV: the Stripe emulator runs only in development and tests, got ${JSON.stringify(settings.NODE_ENV)}`]);
    }
    if (settings.STRIPE_EMULATOR_WEBHOOK_URL !== undefined && settings.STRIPE_WEBHOOK_SECRET === undefined) {
      throw new ConfigError(['STRIPE_WEBHOOK_SECRET: required with STRIPE_EMULATOR_WEBHOOK_URL (the whsec_... secret the receiver verifies with)']);
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const logger = createLogger({ service: 'stripe-emulator', level: settings.LOG_LEVEL ?? 'info' });
  const webhookEndpoints = settings.STRIPE_EMULATOR_WEBHOOK_URL ? [{ url: settings.STRIPE_EMULATOR_WEBHOOK_URL, secret: settings.STRIPE_WEBHOOK_SECRET! }] : [];
  const emulator = await startStripeEmulator({ port: settings.STRIPE_EMULATOR_PORT, webhookEndpoints, logger });
  console.log(`Stripe emulator on ${emulator.url}: curl -u sk_test_local: ${emulator.url}/v1/events`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void emulator.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
