import { describe, expect, it } from '@jest/globals';
import { ADDRESS_LIMITS, Address, type AddressInput } from './address';
import { ErrorCode, ValidationError } from './errors';

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const springfield = { name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' } satisfies AddressInput;
const with_ = (change: Partial<AddressInput>): AddressInput => ({ ...springfield, ...change });

describe('Address', () => {
  it('keeps a valid address, in its wire shape without the optional lines it does not have', () => {
    expect(Address.of(springfield).toJSON()).toEqual({
      name: 'Jane Doe',
      line1: '742 Evergreen Terrace',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62704',
      country: 'US',
    });
    expect(Address.of(with_({ line2: 'Apt 4', region: undefined })).toJSON()).toEqual({
      name: 'Jane Doe',
      line1: '742 Evergreen Terrace',
      line2: 'Apt 4',
      city: 'Springfield',
      postalCode: '62704',
      country: 'US',
    });
  });

  it('trims, NFC-normalises, upper-cases the country and postal code, and treats blank optional lines as none', () => {
    const address = Address.of({ name: '  Jose\u0301 Núñez ', line1: ' 10 Downing St ', line2: '   ', city: ' London ', region: null, postalCode: ' sw1a   2aa ', country: ' gb ' });
    expect(address.toJSON()).toEqual({ name: 'José Núñez', line1: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' });
    expect(address.name).toBe('Jos\u00e9 Núñez');
    expect('line2' in address.toJSON()).toBe(false);
  });

  it('accepts every script, emoji with joiners included, within the bounds', () => {
    const address = Address.of({ name: '山田 太郎 👩‍👩‍👧', line1: '千代田1-1', city: '千代田区', region: '東京都', postalCode: '100-0001', country: 'JP' });
    expect(address.name).toBe('山田 太郎 👩‍👩‍👧');
    expect(address.postalCode).toBe('100-0001');
    expect(Address.of(with_({ line1: 'x'.repeat(ADDRESS_LIMITS.line) })).line1).toHaveLength(100);
  });

  it.each([
    ['US', '62704-1234', '62704-1234'],
    ['CA', 'k1a 0b1', 'K1A 0B1'],
    ['NL', '1012 ab', '1012 AB'],
    ['DE', '10115', '10115'],
    ['FR', '75008', '75008'],
    ['BR', '01310-100', '01310-100'],
  ])('accepts the %s postal code %p as %p', (country, postalCode, stored) => {
    expect(Address.of(with_({ country, postalCode })).postalCode).toBe(stored);
  });

  it.each([
    ['US', '6270', 'US'],
    ['US', '62704-12', 'US'],
    ['DE', '1234', 'DE'],
    ['GB', '12345', 'GB'],
    ['JP', '1000001', 'JP'],
    ['CA', 'D1A 0B1', 'CA'],
  ])('refuses the %s postal code %p, naming the field, the value and the country', (country, postalCode) => {
    const error = validationErrorOf(() => Address.of(with_({ country, postalCode })));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.field).toBe('address.postalCode');
    expect(error.message).toBe(`address.postalCode ${JSON.stringify(postalCode)} is not a valid postal code for ${country}`);
    expect(error.details).toEqual({ field: 'address.postalCode', value: postalCode, country });
  });

  it('takes any bounded postal code for a country whose format is not known (Hong Kong has none)', () => {
    expect(Address.of(with_({ country: 'HK', postalCode: '000000' })).postalCode).toBe('000000');
    expect(validationErrorOf(() => Address.of(with_({ country: 'HK', postalCode: 'x'.repeat(17) }))).message).toBe(
      `address.postalCode must be 1-16 characters, got 17 ("${'x'.repeat(17)}")`,
    );
  });

  it.each(['USA', 'XX', 'U', '', 'U S', '840', 'Deutschland'])('refuses the country %p, naming the field and the value', (country) => {
    const error = validationErrorOf(() => Address.of(with_({ country })));
    expect(error.field).toBe('address.country');
    expect(error.message).toBe(`address.country must be an ISO 3166-1 alpha-2 country code such as US, DE or JP, got ${JSON.stringify(country)}`);
  });

  it.each([
    ['name', ''],
    ['line1', '   '],
    ['city', ''],
    ['postalCode', ''],
  ] as const)('refuses an empty %s', (field, value) => {
    const error = validationErrorOf(() => Address.of(with_({ [field]: value })));
    expect(error.field).toBe(`address.${field}`);
    expect(error.message).toBe(`address.${field} must be 1-${field === 'postalCode' ? 16 : 100} characters, got 0 (${JSON.stringify(value.trim())})`);
  });

  it.each([
    ['name', 101, 'address.name must be 1-100 characters, got 101'],
    ['line1', 101, 'address.line1 must be 1-100 characters, got 101'],
    ['line2', 101, 'address.line2 must be at most 100 characters, got 101'],
    ['city', 101, 'address.city must be 1-100 characters, got 101'],
    ['region', 101, 'address.region must be at most 100 characters, got 101'],
  ] as const)('refuses a %s of %i characters', (field, length, message) => {
    const error = validationErrorOf(() => Address.of(with_({ [field]: 'a'.repeat(length) })));
    expect(error.field).toBe(`address.${field}`);
    expect(error.message).toBe(`${message} ("${'a'.repeat(76)}...)`);
    expect(error.details?.['value']).toBe(`${'a'.repeat(101)}`);
  });

  it.each([
    ['a newline', 'Jane\nDoe', '"Jane\\nDoe"'],
    ['a NUL', 'Jane\u0000', '"Jane\\u0000"'],
    ['a right-to-left override', 'Jane\u202Eeod', '"Jane\u202Eeod"'],
    ['a line separator', 'Jane\u2028Doe', '"Jane\u2028Doe"'],
    ['a lone surrogate', 'Jane\uD800', '"Jane\\ud800"'],
  ])('refuses a name with %s', (_label, name, shown) => {
    const error = validationErrorOf(() => Address.of(with_({ name })));
    expect(error.field).toBe('address.name');
    expect(error.message).toBe(`address.name must be one line of visible text without control characters, got ${shown}`);
  });

  it('names the input path it is given, and the first wrong field in the order of the input', () => {
    const error = validationErrorOf(() => Address.of(with_({ city: '', country: 'ZZ' }), 'shippingAddress'));
    expect(error.field).toBe('shippingAddress.city');
    expect(error.message).toBe('shippingAddress.city must be 1-100 characters, got 0 ("")');
  });

  it('restores a stored address as it was stored, without the input rules (they may have changed since)', () => {
    expect(Address.restore(Address.of(springfield).toJSON()).toJSON()).toEqual(Address.of(springfield).toJSON());
    const stored = { name: 'Max Mustermann', line1: 'Unter den Linden 1', line2: '', city: 'Berlin', postalCode: '1011', country: 'DD' };
    expect(Address.restore(stored).toJSON()).toEqual({ name: 'Max Mustermann', line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '1011', country: 'DD' });
  });
});
