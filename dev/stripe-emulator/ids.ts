import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  let token = '';
  for (let i = 0; i < length; i += 1) token += ALPHABET[randomInt(ALPHABET.length)];
  return token;
}

/**
 * Ids in Stripe's form: a type prefix and 24 base-62 characters (`pi_3PgafyB7WZ01zgkWSjxsAJo3`). Random rather than
 * counted, so ids from one run are never mistaken for another's after a reset or restart.
 */
export const newId = (prefix: 'pi' | 'ch' | 're' | 'evt' | 'pm' | 'we' | 'wd'): string => `${prefix}_${randomToken(24)}`;

/** Request ids are shorter in Stripe's answers (`req_dI720cM2IT5HG3`). */
export const newRequestId = (): string => `req_${randomToken(14)}`;

/** `<intent id>_secret_<25 characters>`: Stripe.js finds the intent id in the secret's first part. */
export const newClientSecret = (paymentIntentId: string): string => `${paymentIntentId}_secret_${randomToken(25)}`;

/** Unix seconds, the unit of every `created` and `canceled_at` field. */
export const unixNow = (): number => Math.floor(Date.now() / 1000);
