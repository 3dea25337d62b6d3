import { describe, expect, it } from '@jest/globals';
import { formatMoney, minorUnitDigits, sumMoney } from './money';

describe('formatMoney', () => {
  it('divides by the currency own minor unit, not a fixed 100', () => {
    expect(formatMoney({ amount: 12345, currency: 'USD' }, 'en-US')).toBe('$123.45');
    expect(formatMoney({ amount: 12345, currency: 'JPY' }, 'en-US')).toBe('¥12,345');
    expect(formatMoney({ amount: 12345, currency: 'KWD' }, 'en-US')).toBe('KWD\u00a012.345');
    expect(formatMoney({ amount: 5, currency: 'EUR' }, 'de-DE')).toBe('0,05\u00a0€');
  });

  it('knows the exponent of each currency', () => {
    expect([minorUnitDigits('USD'), minorUnitDigits('JPY'), minorUnitDigits('BHD')]).toEqual([2, 0, 3]);
  });
});

describe('sumMoney', () => {
  it('adds amounts of one currency and refuses to mix currencies', () => {
    expect(sumMoney([{ amount: 199, currency: 'USD' }, { amount: 1, currency: 'USD' }])).toEqual({ amount: 200, currency: 'USD' });
    expect(sumMoney([])).toBeUndefined();
    expect(() => sumMoney([{ amount: 1, currency: 'USD' }, { amount: 1, currency: 'EUR' }])).toThrow('cannot add EUR to USD');
  });
});
