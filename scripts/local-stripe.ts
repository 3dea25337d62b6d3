/**
 * The Stripe emulator a system on this machine pays through (`npm start`, the tests, the checkout benchmark):
 * started before the system, so its URL can go into STRIPE_API_URL, and told where Payments' webhook listens once
 * Payments does (ports may be chosen at start). Development and tests only: it refuses anything else, and nothing
 * in the services' own code imports it (the container image has no emulator).
 */
import { randomBytes } from 'node:crypto';
import { usesDevelopmentDefaults } from '../lib/config';
import type { Logger } from '../lib/logging';
import { startStripeEmulator, type RunningStripeEmulator, type StripeEmulatorOptions } from '../dev/stripe-emulator';
import { WEBHOOK_PATH } from '../subgraphs/payments/infrastructure/stripe/webhook-routes';

export interface LocalStripe {
  readonly emulator: RunningStripeEmulator;
  /** What Payments is configured with to use it: STRIPE_API_URL and STRIPE_WEBHOOK_SECRET. */
  readonly env: { readonly STRIPE_API_URL: string; readonly STRIPE_WEBHOOK_SECRET: string };
  /** Sends every event from now on to the Payments service at `paymentsUrl` (its origin). */
  connect(paymentsUrl: string): void;
  stop(): Promise<void>;
}

/** A fresh webhook signing secret, in Stripe's shape: nobody else can sign events Payments believes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export async function startLocalStripe(options: {
  readonly nodeEnv: string | undefined;
  readonly port: number;
  readonly webhookSecret?: string;
  readonly delivery?: StripeEmulatorOptions['delivery'];
  readonly logger?: Logger;
}): Promise<LocalStripe> {
  if (!usesDevelopmentDefaults(options.nodeEnv)) {
    throw new Error(`the Stripe emulator runs only with NODE_ENV=development or test, not ${JSON.stringify(options.nodeEnv)}: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to use Stripe`);
  }
  const webhookSecret = options.webhookSecret ?? generateWebhookSecret();
  const emulator = await startStripeEmulator({
    port: options.port,
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    emulator,
    env: { STRIPE_API_URL: emulator.url, STRIPE_WEBHOOK_SECRET: webhookSecret },
    connect: (paymentsUrl) => emulator.addWebhookEndpoint(`${paymentsUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`, webhookSecret),
    stop: () => emulator.close(),
  };
}
