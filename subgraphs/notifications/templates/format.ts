import { minorUnitsOf, type MoneyProps } from '../../../lib/ddd';

/**
 * An amount as a customer reads it, in the order's currency, with the currency's own minor units (ISO 4217 via
 * lib/ddd/currency.ts: USD 2, JPY 0, KWD 3). The amount is turned into an exact decimal string first, so no
 * floating-point division ever touches it (Intl formats decimal strings exactly).
 */
export function formatMoney(money: MoneyProps): string {
  const digits = minorUnitsOf(money.currency) ?? 2;
  const minor = String(Math.abs(Math.trunc(money.amount))).padStart(digits + 1, '0');
  const decimal = digits === 0 ? minor : `${minor.slice(0, -digits)}.${minor.slice(-digits)}`;
  const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl accepts exact decimal strings (ECMA-402 "Intl.NumberFormat v3"); its typings still say number.
  return formatter.format(decimal as unknown as number);
}

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A moment for a customer whose time zone is unknown: said in UTC, and said so. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
}

/** How an order is named in subjects: the start of its id, which is enough to tell a customer's orders apart. */
export function orderReference(orderId: string): string {
  const compact = orderId.replace(/[^A-Za-z0-9]/g, '');
  return (compact.length > 0 ? compact : 'order').slice(0, 8).toUpperCase();
}
