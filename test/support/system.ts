import { loadConfig, usesDevelopmentDefaults } from '../../lib/config';
import { signDevToken } from '../../lib/auth';
import { ephemeralSystemEnv } from '../../scripts/ephemeral-env';
import { startLocalStripe, type LocalStripe } from '../../scripts/local-stripe';
import { startSystem, type RunningSystem, type SystemOptions } from '../../scripts/system';
import type { StripeEmulatorOptions } from '../../dev/stripe-emulator';
import { TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';
import { testDynamoEndpoint, uniquePrefix } from './services';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef01234';
/** Any sk_test_ key works with the Stripe emulator; the webhook secret is the one the test system's emulator signs with. */
export const TEST_STRIPE_SECRET_KEY = 'sk_test_SystemUnderTest';
export const TEST_STRIPE_WEBHOOK_SECRET = 'whsec_test_system_0123456789abcdef';
export { TEST_EVENT_SIGNING_SECRET } from '../../lib/events/testing/fixtures';

/**
 * Configuration for a system under test: every port 0, its own tables, the run's DynamoDB Local. Rate limits are
 * off (tests send far more from one address than a client would) except where a test turns them on. Deadlines are
 * sized for a busy shared machine, where one DynamoDB Local serves two test workers: these tests prove outcomes
 * (exactly ten of twenty redemptions succeed), not latency; the deadline tests (test/faults/dynamodb-stall) set
 * their own, and the benchmarks measure latency.
 */
export function testEnv(label: string, extra: Record<string, string> = {}): Record<string, string> {
  return ephemeralSystemEnv({
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: uniquePrefix(label),
    jwtSecret: TEST_JWT_SECRET,
    signingSecret: TEST_SIGNING_SECRET,
    eventSigningSecret: TEST_EVENT_SIGNING_SECRET,
    // The per-customer caps are off in effect too (tests place hundreds of orders as one customer) except where a
    // test sets its own.
    overrides: {
      RATE_LIMIT: 'off',
      REQUEST_TIMEOUT_MS: '45000',
      DYNAMODB_REQUEST_TIMEOUT_MS: '20000',
      MAX_PENDING_ORDERS_PER_CUSTOMER: '100000',
      MAX_HELD_UNITS_PER_CUSTOMER: '100000000',
      STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET,
      ...extra,
    },
  });
}

/** A system under test, with the Stripe emulator Payments pays through (none in production mode: the emulator refuses it). */
export type TestSystem = RunningSystem & { readonly stripe: LocalStripe | undefined };

/**
 * Webhook retries for tests: quick (a test waits for them) and persistent (a Payments process killed by a fault test
 * is back within seconds, and Stripe retries for days).
 */
export const TEST_WEBHOOK_DELIVERY: NonNullable<StripeEmulatorOptions['delivery']> = { maxAttempts: 40, initialDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 10_000 };

export async function startTestSystem(
  label: string,
  options: SystemOptions & {
    env?: Record<string, string>;
    delivery?: StripeEmulatorOptions['delivery'];
    /** Whether the emulator sends webhooks to this system's Payments (default true; false when another process takes them). */
    stripeWebhooks?: boolean;
  } = {},
): Promise<TestSystem> {
  const env = testEnv(label, options.env);
  const stripe = usesDevelopmentDefaults(env['NODE_ENV'])
    ? await startLocalStripe({ nodeEnv: env['NODE_ENV'], port: 0, webhookSecret: env['STRIPE_WEBHOOK_SECRET'], delivery: options.delivery ?? TEST_WEBHOOK_DELIVERY })
    : undefined;
  try {
    // Notifications is left out unless asked for (`notifications: {...}` with SMTP_URL pointing at a test maildev):
    // a test about something else has no mail server to send to.
    const system = await startSystem(loadConfig({ ...env, ...stripe?.env }), { ...options, notifications: options.notifications ?? false });
    if (options.stripeWebhooks !== false) stripe?.connect(system.urls.payments);
    const stopSystem = system.stop.bind(system);
    return Object.assign(system, {
      stripe,
      async stop() {
        await stripe?.stop();
        await stopSystem();
      },
    });
  } catch (error) {
    await stripe?.stop();
    throw error;
  }
}

export function tokenFor(sub: string, options: { admin?: boolean; ttlSeconds?: number } = {}): Promise<string> {
  return signDevToken({ sub, roles: options.admin ? ['admin'] : [], ttlSeconds: options.ttlSeconds ?? 600 }, TEST_JWT_SECRET);
}
