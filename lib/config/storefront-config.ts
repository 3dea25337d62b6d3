import type { StripeSettings } from './stripe-config';

/**
 * What the storefront learns at run time from the gateway (`GET /storefront-config.json`): public values only. The
 * page is one build for every environment, so nothing deployment-specific is baked into it; the gateway answers
 * with what its own settings say. Never a secret: the publishable key is meant for browsers (Stripe: "publishable
 * keys ... can be publicly accessible"), the secret key and webhook secret stay with Payments.
 */
export type StorefrontPayments =
  /** Stripe.js and Stripe Elements with the publishable key (STRIPE_PUBLISHABLE_KEY, Stripe's own API). */
  | { readonly provider: 'stripe'; readonly publishableKey: string }
  /**
   * Development and test against the Stripe-protocol emulator (STRIPE_API_URL): the browser confirms with one of
   * Stripe's test payment methods, as Stripe.js would, at `apiUrl` with a test publishable key.
   */
  | { readonly provider: 'test-methods'; readonly publishableKey: string; readonly apiUrl: string }
  /** No way to pay by card here (production without STRIPE_PUBLISHABLE_KEY): the storefront says so. */
  | { readonly provider: 'none' };

export interface StorefrontConfig {
  readonly payments: StorefrontPayments;
}

/** Any `pk_test_` key is the emulator's publishable key; this one when STRIPE_PUBLISHABLE_KEY is not a test key. */
export const DEV_STRIPE_PUBLISHABLE_KEY = 'pk_test_DevelopmentOnlyEmulatorKey';

const TEST_PUBLISHABLE_KEY = /^pk_test_/;

/**
 * Which card form the storefront shows. STRIPE_API_URL replaces Stripe's API for the SDK; in development and test
 * that is the emulator, which Stripe.js (loaded from js.stripe.com, talking to api.stripe.com) cannot reach, so the
 * page confirms with the test methods there instead. In production STRIPE_API_URL can only be a local proxy
 * (stripe-config.ts): browsers still use Stripe itself.
 */
export function storefrontConfig(config: { readonly production: boolean; readonly stripe: Pick<StripeSettings, 'publishableKey' | 'apiUrl'> }): StorefrontConfig {
  const { publishableKey, apiUrl } = config.stripe;
  if (!config.production && apiUrl !== undefined) {
    return {
      payments: {
        provider: 'test-methods',
        apiUrl: apiUrl.replace(/\/+$/, ''),
        publishableKey: publishableKey !== undefined && TEST_PUBLISHABLE_KEY.test(publishableKey) ? publishableKey : DEV_STRIPE_PUBLISHABLE_KEY,
      },
    };
  }
  if (publishableKey !== undefined) return { payments: { provider: 'stripe', publishableKey } };
  return { payments: { provider: 'none' } };
}

/** CSP sources a page needs beyond its own origin for the payment provider the storefront config names. */
export interface PaymentContentSources {
  readonly scriptSrc: readonly string[];
  readonly frameSrc: readonly string[];
  readonly connectSrc: readonly string[];
}

/**
 * Stripe's documented policy for Stripe.js and Elements (docs.stripe.com/security/guide#content-security-policy):
 * the script from js.stripe.com, its iframes from js.stripe.com and hooks.stripe.com (3-D Secure), its calls to
 * api.stripe.com. The test methods need only the emulator's origin for fetch.
 */
export function paymentContentSources(payments: StorefrontPayments): PaymentContentSources {
  switch (payments.provider) {
    case 'stripe':
      return {
        scriptSrc: ['https://js.stripe.com', 'https://*.js.stripe.com'],
        frameSrc: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
        connectSrc: ['https://api.stripe.com'],
      };
    case 'test-methods':
      return { scriptSrc: [], frameSrc: [], connectSrc: [new URL(payments.apiUrl).origin] };
    case 'none':
      return { scriptSrc: [], frameSrc: [], connectSrc: [] };
  }
}
