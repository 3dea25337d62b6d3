import { minorUnitsOf } from '../../lib/ddd/currency';
import { invalidRequest } from './errors';

/**
 * Stripe's minimum charge amounts in minor units (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts);
 * currencies not listed here take any positive amount.
 */
const MINIMUM: Readonly<Record<string, number>> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30, hkd: 400,
  huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200, sek: 300, sgd: 50, thb: 1000,
};
/** Stripe's ceiling for one charge: eight digits of minor units ($999,999.99). */
const MAXIMUM = 99_999_999;

/** An amount as Stripe prints it in messages: `$0.50`, `¥50`. */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = minorUnitsOf(code) ?? 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}

/** A currency as Stripe stores it (lower case), refused unless ISO 4217 knows it. */
export function checkCurrency(raw: string): string {
  const currency = raw.toLowerCase();
  if (minorUnitsOf(currency.toUpperCase()) === undefined) {
    throw invalidRequest(`Invalid currency: ${raw}. Use a three-letter ISO 4217 currency code in lower case, such as usd.`, { param: 'currency' });
  }
  return currency;
}

/** A PaymentIntent's amount within Stripe's per-currency minimum and its maximum. */
export function checkChargeAmount(amount: number, currency: string): void {
  const minimum = MINIMUM[currency] ?? 1;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, { code: 'amount_too_small', param: 'amount' });
  }
  if (amount > MAXIMUM) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAXIMUM, currency)}`, { code: 'amount_too_large', param: 'amount' });
  }
}
