import { ConfigError, env } from './env';
import { setting, type Settings } from './setting';
import { describeNodeEnv } from './secrets-policy';

/**
 * The payment provider's settings (docs/payments.md "Configuration"). Development and test run against the
 * Stripe-protocol emulator with these public values; anywhere else the real key and webhook secret must be set
 * (or come from Secrets Manager through STRIPE_SECRET_KEY_ARN / STRIPE_WEBHOOK_SECRET_ARN), and Payments
 * refuses to start without them (requireStripeSecrets).
 */
export const DEV_STRIPE_SECRET_KEY = 'sk_test_DevelopmentOnlyEmulatorKey';
export const DEV_STRIPE_WEBHOOK_SECRET = 'whsec_development_only_do_not_use_in_production';

/** The payment provider's variables (docs/configuration.md "Payments"), declared as lib/config/setting.ts describes. */
export const stripeEnv = {
  STRIPE_SECRET_KEY: setting(env.text(), {
    group: 'payments',
    accepts: 'a Stripe secret key: `sk_test_...`, `sk_live_...` or a restricted `rk_...` key',
    default: 'the emulator\'s development key in development and test; required by Payments elsewhere',
    description: 'The key Payments calls Stripe with (never given to the other services). Set, `npm start` uses Stripe instead of the emulator.',
  }),
  STRIPE_WEBHOOK_SECRET: setting(env.text(), {
    group: 'payments',
    accepts: "a webhook endpoint's signing secret, `whsec_...`",
    default: 'a development value in development and test (`npm start` generates one for its emulator); required by Payments elsewhere',
    description: 'The secret Stripe signs webhooks with and Payments verifies them with (`POST /webhooks/stripe`); `npm run stripe:emulator` signs its events with it.',
  }),
  STRIPE_PUBLISHABLE_KEY: setting(env.text(), {
    group: 'payments',
    accepts: '`pk_test_...` or `pk_live_...`',
    default: "none: the emulator's test payment methods in development, no card form elsewhere",
    description:
      "Stripe's publishable key (public by design). The gateway gives it to the storefront (`GET /storefront-config.json`), whose card form is then Stripe Elements; in development with the emulator (`STRIPE_API_URL`) the storefront shows Stripe's test payment methods instead (docs/web.md).",
  }),
  STRIPE_API_URL: setting(env.url(['http', 'https']), {
    group: 'payments',
    default: "none: Stripe's API (`api.stripe.com`); `npm start` sets the emulator's URL",
    description: "Another server speaking Stripe's API, the emulator in development. Outside development and test it must be `https`, or `http` on this machine's loopback.",
  }),
  STRIPE_EMULATOR_PORT: setting(env.port(12111), {
    group: 'payments',
    description: 'Where `npm start` and `npm run stripe:emulator` run the Stripe-protocol emulator (development and tests only); unset and taken, `npm start` picks a free port and says so.',
  }),
} satisfies Settings;

export interface StripeSettings {
  /** STRIPE_SECRET_KEY; the development value in development and test; undefined elsewhere when unset. */
  readonly secretKey: string | undefined;
  /** STRIPE_WEBHOOK_SECRET (`whsec_...`), the key webhook signatures are verified with. */
  readonly webhookSecret: string | undefined;
  /** STRIPE_PUBLISHABLE_KEY (`pk_...`): what a storefront gives Stripe.js; unset means test methods only. */
  readonly publishableKey: string | undefined;
  /** STRIPE_API_URL: where the SDK sends its calls instead of api.stripe.com (the emulator in development). */
  readonly apiUrl: string | undefined;
}

// Stripe's key shapes: secret (sk_) or restricted (rk_) keys, test or live; webhook endpoint secrets whsec_.
const SECRET_KEY = /^(sk|rk)_(test|live)_[0-9A-Za-z]+$/;
const WEBHOOK_SECRET = /^whsec_[0-9A-Za-z_+/=-]+$/;
const PUBLISHABLE_KEY = /^pk_(test|live)_[0-9A-Za-z]+$/;
const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface StripeRaw {
  readonly NODE_ENV?: string | undefined;
  readonly STRIPE_SECRET_KEY: string | undefined;
  readonly STRIPE_WEBHOOK_SECRET: string | undefined;
  readonly STRIPE_PUBLISHABLE_KEY: string | undefined;
  readonly STRIPE_API_URL: string | undefined;
}

/** The settings, with each malformed value reported in `problems` (never echoing a secret). */
export function stripeSettings(raw: StripeRaw, production: boolean, problems: string[]): StripeSettings {
  if (raw.STRIPE_SECRET_KEY !== undefined && !SECRET_KEY.test(raw.STRIPE_SECRET_KEY)) {
    problems.push('STRIPE_SECRET_KEY: must be a Stripe secret key (sk_test_..., sk_live_... or a restricted rk_... key)');
  }
  if (raw.STRIPE_WEBHOOK_SECRET !== undefined && !WEBHOOK_SECRET.test(raw.STRIPE_WEBHOOK_SECRET)) {
    problems.push("STRIPE_WEBHOOK_SECRET: must be a webhook endpoint's signing secret (whsec_...)");
  }
  if (raw.STRIPE_PUBLISHABLE_KEY !== undefined && !PUBLISHABLE_KEY.test(raw.STRIPE_PUBLISHABLE_KEY)) {
    problems.push(`STRIPE_PUBLISHABLE_KEY: must be a Stripe publishable key (pk_test_... or pk_live_...), got ${JSON.stringify(raw.STRIPE_PUBLISHABLE_KEY.slice(0, 12))}`);
  }
  if (production) {
    const why = `${describeNodeEnv(raw.NODE_ENV)} (development values apply only with NODE_ENV=development or test)`;
    if (raw.STRIPE_SECRET_KEY === DEV_STRIPE_SECRET_KEY) problems.push(`STRIPE_SECRET_KEY: must not be the development value because ${why}`);
    if (raw.STRIPE_WEBHOOK_SECRET === DEV_STRIPE_WEBHOOK_SECRET) problems.push(`STRIPE_WEBHOOK_SECRET: must not be the development value because ${why}`);
    // Keys never travel in clear text over a network: plain HTTP only to this machine (a local proxy, the emulator a benchmark runs).
    if (raw.STRIPE_API_URL !== undefined && new URL(raw.STRIPE_API_URL).protocol !== 'https:' && !LOOPBACK.has(new URL(raw.STRIPE_API_URL).hostname)) {
      problems.push(`STRIPE_API_URL: must be an https URL (or http on this machine's loopback) because ${why}, got ${JSON.stringify(raw.STRIPE_API_URL)}`);
    }
  }
  return {
    secretKey: raw.STRIPE_SECRET_KEY ?? (production ? undefined : DEV_STRIPE_SECRET_KEY),
    webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? (production ? undefined : DEV_STRIPE_WEBHOOK_SECRET),
    publishableKey: raw.STRIPE_PUBLISHABLE_KEY,
    apiUrl: raw.STRIPE_API_URL,
  };
}

/**
 * What the Payments service needs before it may start: the secret key and the webhook secret. Fails closed: outside
 * development and test, a missing one stops start-up (ConfigError) instead of serving checkouts that cannot be
 * paid or webhooks that cannot be verified.
 */
export function requireStripeSecrets(settings: StripeSettings, nodeEnv: string): { readonly secretKey: string; readonly webhookSecret: string } {
  const problems: string[] = [];
  const why = `${describeNodeEnv(nodeEnv)} (the emulator and its development values run only with NODE_ENV=development or test)`;
  if (settings.secretKey === undefined) problems.push(`STRIPE_SECRET_KEY: is required by the Payments service because ${why}; or set STRIPE_SECRET_KEY_ARN`);
  if (settings.webhookSecret === undefined) problems.push(`STRIPE_WEBHOOK_SECRET: is required by the Payments service because ${why}; or set STRIPE_WEBHOOK_SECRET_ARN`);
  if (problems.length > 0 || settings.secretKey === undefined || settings.webhookSecret === undefined) throw new ConfigError(problems);
  return { secretKey: settings.secretKey, webhookSecret: settings.webhookSecret };
}
