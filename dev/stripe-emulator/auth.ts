import type { Caller } from './api';
import { StripeApiError } from './errors';

const SECRET_KEY = /^(sk|rk)_test_[A-Za-z0-9]+$/;
const PUBLISHABLE_KEY = /^pk_test_[A-Za-z0-9]+$/;

const unauthorized = (message: string): StripeApiError => new StripeApiError(401, { type: 'invalid_request_error', message });

/** Stripe shows a refused key with its prefix and last four characters only: `sk_live_************abcd`. */
function masked(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  const prefix = /^[a-z]{2}_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(key.length - prefix.length - 4)}${key.slice(-4)}`;
}

function keyFromHeader(header: string): string | undefined {
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  if (rest.length > 0 || !value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value;
  // HTTP Basic with the key as the user name and no password, as curl -u sk_test_...: sends it.
  if (scheme?.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').replace(/:$/, '');
  return undefined;
}

/**
 * Who calls, from `Authorization: Bearer <key>` (or Basic), or from the `key` parameter Stripe.js sends with a
 * publishable key. Test-mode keys only: any `sk_test_`/`rk_test_` key is the account's secret key and any
 * `pk_test_` key its publishable key; everything else, live keys included, is refused with Stripe's 401.
 */
export function authenticate(authorization: string | undefined, keyParam: unknown): Caller {
  if (authorization === undefined || authorization.trim() === '') {
    if (typeof keyParam === 'string' && keyParam !== '') {
      if (PUBLISHABLE_KEY.test(keyParam)) return { kind: 'publishable', key: keyParam };
      throw unauthorized(`Invalid API Key provided: ${masked(keyParam)}`);
    }
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const key = keyFromHeader(authorization);
  if (key === undefined) {
    throw unauthorized("Invalid API Key provided: the Authorization header must be 'Bearer <your API key>'.");
  }
  if (SECRET_KEY.test(key)) return { kind: 'secret', key };
  if (PUBLISHABLE_KEY.test(key)) return { kind: 'publishable', key };
  throw unauthorized(`Invalid API Key provided: ${masked(key)}`);
}

/** A publishable key reached an endpoint only a secret key may call. */
export const publishableKeyRefused = (): StripeApiError =>
  unauthorized('This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.');
