import { code as iso4217 } from 'currency-codes';
import { ValidationError, describeValue } from './errors';

/**
 * ISO 4217 currencies and their minor units, from the maintained ISO table (`currency-codes`, updated with each
 * ISO publication) rather than a hard-coded `/100`: JPY has 0 decimals, USD 2, KWD 3. Intl's figures follow CLDR,
 * which differs from ISO for some codes (IQD: CLDR 0, ISO 3), so they are not used.
 */
const SHAPE = /^[A-Z]{3}$/;

/** The number of decimals (minor units) of an ISO 4217 currency, or undefined for a code ISO does not list. */
export function minorUnitsOf(currency: string): number | undefined {
  if (!SHAPE.test(currency)) return undefined;
  const digits = iso4217(currency)?.digits;
  return typeof digits === 'number' ? digits : undefined;
}

/** Checks `currency` is an ISO 4217 code with defined minor units; BAD_USER_INPUT naming the field otherwise. */
export function assertCurrency(field: string, currency: string): string {
  if (minorUnitsOf(currency) === undefined) {
    throw new ValidationError(field, `${field} must be an ISO 4217 currency code such as USD, EUR or JPY, got ${describeValue(currency)}`, { value: currency });
  }
  return currency;
}

/** Whole currency units in an amount of minor units, rounded down: 12345 USD cents -> 123, 12345 JPY -> 12345. */
export function wholeUnits(amountMinor: number, currency: string): number {
  const digits = minorUnitsOf(currency);
  if (digits === undefined) throw new ValidationError('currency', `unknown currency ${describeValue(currency)}`, { value: currency });
  return Math.floor(amountMinor / 10 ** digits);
}
