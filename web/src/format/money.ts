/** Money as the graph carries it: an integer number of the currency's minor units (docs/architecture.md §2). */
export interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The number of minor units in one major unit is the currency's own (ISO 4217 exponent: USD 2, JPY 0, KWD 3),
 * which Intl knows as the currency's default fraction digits, so nothing assumes cents.
 */
export function minorUnitDigits(currency: string): number {
  return formatterFor(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(money: MoneyValue, locale?: string): string {
  const formatter = formatterFor(money.currency, locale);
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(money.amount / 10 ** digits);
}

/** The sum of several amounts of one currency; undefined for none, an error when currencies are mixed. */
export function sumMoney(values: readonly MoneyValue[]): MoneyValue | undefined {
  const first = values[0];
  if (!first) return undefined;
  let amount = 0;
  for (const value of values) {
    if (value.currency !== first.currency) throw new RangeError(`cannot add ${value.currency} to ${first.currency}`);
    amount += value.amount;
  }
  return { amount, currency: first.currency };
}
