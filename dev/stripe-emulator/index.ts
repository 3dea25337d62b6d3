/**
 * # The Stripe emulator
 *
 * An HTTP server that speaks Stripe's API for the part the Payments context uses, so the official `stripe` SDK can
 * be exercised end to end without a Stripe account: `npm start` and the tests run it; production never does (it
 * accepts test-mode keys only, and nothing outside development and tests starts it). State is in memory.
 *
 * Point the SDK at it with `new Stripe('sk_test_...', { host: '127.0.0.1', port, protocol: 'http' })`.
 *
 * What it implements, with Stripe's object shapes, status codes and error bodies:
 * - Keys: any `sk_test_`/`rk_test_` key is the secret key, any `pk_test_` key the publishable key; anything else is
 *   Stripe's 401. A publishable key (`Authorization: Bearer pk_test_...` or the `key` parameter, as Stripe.js sends
 *   it) may only retrieve and confirm the PaymentIntent whose `client_secret` it presents. CORS is open to browsers.
 * - `POST /v1/payment_intents`, `GET /v1/payment_intents/:id`, `POST /v1/payment_intents/:id/confirm`,
 *   `.../capture` (`amount_to_capture`), `.../cancel` (`cancellation_reason`), `POST /v1/refunds`,
 *   `GET /v1/refunds/:id`, `GET /v1/charges/:id`, `GET /v1/events`, `GET /v1/events/:id`.
 * - `Idempotency-Key`: a repeat with the same parameters replays the first answer (`Idempotent-Replayed: true`);
 *   the same key with another endpoint or other parameters is 400 `idempotency_error`.
 * - Stripe's test payment methods on confirm (`pm_card_visa`, `pm_card_chargeDeclined`, ...: payment-methods.ts).
 * - Events for every change and signed webhooks (`Stripe-Signature: t=...,v1=...`) to every endpoint, retried
 *   with exponential backoff; at least once, in no promised order.
 * - Controls under `/_emulator/` for development and tests (controls.ts): expire an authorization, re-deliver an
 *   event, hold deliveries and release them in a chosen order, the delivery log, reset, health.
 *
 * docs/payments.md ("The Stripe emulator") is the user's guide.
 */
import pino from 'pino';
import { listen } from '../../lib/http/listen';
import type { Logger } from '../../lib/logging';
import { handleApi } from './api-server';
import { handleControl } from './controls';
import { EventLog } from './event-log';
import { IdempotencyStore } from './idempotency';
import { writeJson, type EmulatorServices } from './services';
import { EmulatorState } from './state';
import { checkEndpoint, DEFAULT_DELIVERY_POLICY, WebhookDispatcher, type DeliveryPolicy } from './webhooks';

export { TEST_PAYMENT_METHODS } from './payment-methods';
export type { DeliveryAttempt, DeliveryState, DeliveryView } from './webhooks';

export const DEFAULT_STRIPE_EMULATOR_PORT = 12111;

export interface StripeEmulatorOptions {
  /** 0 = any free port (default 12111). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where every event is POSTed, each with its `whsec_...` signing secret. */
  webhookEndpoints?: { url: string; secret: string }[];
  /**
   * Retries of a failed delivery with exponential backoff: attempts in all (default 8), the first pause (default
   * 1000 ms, doubling), the longest pause (default 60000 ms), and how long one attempt may take (default 10000 ms).
   */
  delivery?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number; timeoutMs?: number };
  /** Default: no logs. */
  logger?: Logger;
}

export interface RunningStripeEmulator {
  /** e.g. http://127.0.0.1:12111 */
  readonly url: string;
  readonly port: number;
  /** Adds a webhook endpoint (or gives a known URL its new secret); events from then on go to it too. */
  addWebhookEndpoint(url: string, secret: string): void;
  /** Stops listening and stops every delivery and retry. */
  close(): Promise<void>;
}

function deliveryPolicy(options: StripeEmulatorOptions['delivery'] = {}): DeliveryPolicy {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isSafeInteger(value) || value < (name === 'initialDelayMs' ? 0 : 1)) throw new RangeError(`delivery.${name} must be a positive integer, got ${value}`);
  }
  if (policy.maxDelayMs < policy.initialDelayMs) throw new RangeError(`delivery.maxDelayMs (${policy.maxDelayMs}) must not be below delivery.initialDelayMs (${policy.initialDelayMs})`);
  return policy;
}

/** The base URL for a listening address: a wildcard host is reached on the loopback address. */
function baseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<RunningStripeEmulator> {
  const logger = options.logger ?? pino({ enabled: false });
  const policy = deliveryPolicy(options.delivery);
  for (const endpoint of options.webhookEndpoints ?? []) checkEndpoint(endpoint.url, endpoint.secret);

  const webhooks = new WebhookDispatcher(policy, logger);
  for (const endpoint of options.webhookEndpoints ?? []) webhooks.addEndpoint(endpoint.url, endpoint.secret);
  const events = new EventLog({
    endpointCount: () => webhooks.endpointCount(),
    pendingDeliveries: (eventId) => webhooks.pendingFor(eventId),
    onEvent: (recorded) => webhooks.deliver(recorded),
  });
  const services: EmulatorServices = { state: new EmulatorState(), events, idempotency: new IdempotencyStore(), webhooks, logger };

  const host = options.host ?? '127.0.0.1';
  const server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const handled = url.pathname.startsWith('/_emulator/') ? handleControl(req, res, url, services) : handleApi(req, res, url, services);
    handled.catch((error: unknown) => {
      logger.error({ err: error, path: url.pathname }, 'stripe emulator could not answer');
      if (!res.headersSent) writeJson(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred.' } });
      else res.destroy();
    });
  }, options.port ?? DEFAULT_STRIPE_EMULATOR_PORT, host);
  const url = baseUrl(host, server.port);
  logger.info({ url, webhookEndpoints: webhooks.endpointUrls() }, 'Stripe emulator listening');

  return {
    url,
    port: server.port,
    addWebhookEndpoint: (endpointUrl, secret) => void webhooks.addEndpoint(endpointUrl, secret),
    close: async () => {
      await webhooks.close();
      await server.close();
    },
  };
}
