import { describe, expect, it } from '@jest/globals';
import { ErrorCode, ValidationError } from './errors';
import { assertCurrency, minorUnitsOf, wholeUnits } from './currency';
import { MAX_MONEY_AMOUNT, Money } from './money';

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('Money', () => {
  it('holds integer minor units and an ISO 4217 code', () => {
    const money = Money.of(1999, 'USD');
    expect(money.amount).toBe(1999);
    expect(money.currency).toBe('USD');
    expect(money.toJSON()).toEqual({ amount: 1999, currency: 'USD' });
    expect(Money.from({ amount: 0, currency: 'EUR' }).toJSON()).toEqual({ amount: 0, currency: 'EUR' });
  });

  it('rejects a negative amount, naming the field and the value', () => {
    const error = validationErrorOf(() => Money.of(-1, 'USD'));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('price.amount');
    expect(error.message).toBe('price.amount must not be negative, got -1');
    expect(error.details).toEqual({ field: 'price.amount', value: -1 });
  });

  it.each([19.99, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('rejects the non-integer amount %p', (amount) => {
    const error = validationErrorOf(() => Money.of(amount, 'USD'));
    expect(error.field).toBe('price.amount');
    expect(error.message).toMatch(/^price\.amount must be an integer number of minor units \(cents\), got /);
  });

  it.each(['usd', 'US', 'USDX', 'U5D', '', ' USD', 'ÜSD', 'XYZ', 'ABC'])('rejects the currency %p, naming the field and the value', (currency) => {
    const error = validationErrorOf(() => Money.of(100, currency));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('price.currency');
    expect(error.message).toBe(`price.currency must be an ISO 4217 currency code such as USD, EUR or JPY, got ${JSON.stringify(currency)}`);
  });

  it('accepts up to the largest GraphQL Int and refuses more, naming the limit and the value', () => {
    expect(MAX_MONEY_AMOUNT).toBe(2 ** 31 - 1);
    expect(Money.of(MAX_MONEY_AMOUNT, 'USD').amount).toBe(2_147_483_647);
    const error = validationErrorOf(() => Money.of(MAX_MONEY_AMOUNT + 1, 'USD'));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('price.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2147483648');
    expect(error.details).toEqual({ field: 'price.amount', value: 2_147_483_648, limit: 2_147_483_647 });
  });

  it('refuses a sum or product beyond the limit, naming the field it was told', () => {
    const big = Money.of(2_000_000_000, 'USD');
    expect(validationErrorOf(() => big.add(Money.of(200_000_000, 'USD'), 'total')).message).toBe(
      'total.amount must be at most 2147483647 minor units (the largest GraphQL Int), got 2200000000',
    );
    expect(validationErrorOf(() => Money.of(100_000_000, 'USD').multiply(22, 'items[0].lineTotal')).field).toBe('items[0].lineTotal.amount');
  });

  it('names the input path it was given', () => {
    expect(validationErrorOf(() => Money.from({ amount: 5, currency: 'eur' }, 'input.price')).field).toBe('input.price.currency');
    expect(validationErrorOf(() => Money.of(-5, 'EUR', 'unitPrice')).field).toBe('unitPrice.amount');
  });

  it('adds and multiplies within one currency and never mixes currencies', () => {
    expect(Money.of(150, 'USD').add(Money.of(250, 'USD')).toJSON()).toEqual({ amount: 400, currency: 'USD' });
    expect(Money.of(1999, 'USD').multiply(3).toJSON()).toEqual({ amount: 5997, currency: 'USD' });
    const mixed = validationErrorOf(() => Money.of(1, 'USD').add(Money.of(1, 'EUR')));
    expect(mixed.message).toBe('cannot combine USD with EUR: an amount never mixes currencies');
    expect(validationErrorOf(() => Money.of(1, 'USD').multiply(-1)).field).toBe('quantity');
    expect(validationErrorOf(() => Money.of(1, 'USD').multiply(1.5)).field).toBe('quantity');
  });

  it('compares by amount and currency', () => {
    expect(Money.of(100, 'USD').equals({ amount: 100, currency: 'USD' })).toBe(true);
    expect(Money.of(100, 'USD').equals({ amount: 101, currency: 'USD' })).toBe(false);
    expect(Money.of(100, 'USD').equals({ amount: 100, currency: 'EUR' })).toBe(false);
  });
});

describe('ISO 4217 minor units', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['HUF', 2],
    ['IQD', 3],
  ])('knows %s has %i decimals', (currency, digits) => {
    expect(minorUnitsOf(currency)).toBe(digits);
  });

  it('knows no decimals for codes ISO does not list or that are malformed', () => {
    expect(minorUnitsOf('XYZ')).toBeUndefined();
    expect(minorUnitsOf('usd')).toBeUndefined();
    expect(minorUnitsOf('US')).toBeUndefined();
  });

  it.each([
    [12_345, 'USD', 123],
    [12_345, 'JPY', 12_345],
    [12_345, 'KWD', 12],
    [99, 'USD', 0],
  ])('counts %i minor units of %s as %i whole units', (amount, currency, units) => {
    expect(wholeUnits(amount, currency)).toBe(units);
  });

  it('refuses an unknown currency with BAD_USER_INPUT naming the field', () => {
    const error = validationErrorOf(() => assertCurrency('input.price.currency', 'XYZ'));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('input.price.currency');
    expect(error.message).toBe('input.price.currency must be an ISO 4217 currency code such as USD, EUR or JPY, got "XYZ"');
  });
});
