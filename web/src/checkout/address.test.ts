import { describe, expect, it } from '@jest/globals';
import { checkCheckout, countryOptions, EMPTY_DRAFT, type CheckoutDraft } from './address';

const valid: CheckoutDraft = {
  address: { name: ' Ada Lovelace ', line1: '12 St James’s Square', line2: '', city: 'London', region: '', postalCode: 'sw1y  4jh', country: 'gb' },
  email: ' ada@Example.com ',
};

describe('checkCheckout', () => {
  it('gives the details to send: trimmed, the postal code as printed, the country upper case, blanks as null', () => {
    expect(checkCheckout(valid)).toEqual({
      ok: true,
      details: {
        shippingAddress: { name: 'Ada Lovelace', line1: '12 St James’s Square', line2: null, city: 'London', region: null, postalCode: 'SW1Y 4JH', country: 'GB' },
        email: 'ada@Example.com',
      },
    });
  });

  it('names every missing field in words', () => {
    expect(checkCheckout(EMPTY_DRAFT)).toEqual({
      ok: false,
      errors: {
        name: 'Enter the full name.',
        line1: 'Enter the street address.',
        city: 'Enter the city.',
        postalCode: 'Enter the postal code.',
        country: 'Choose the country.',
        email: 'Enter your email address: it is where your receipt and tracking link go.',
      },
    });
  });

  it('refuses a postal code of another country, an unknown country, a bad email, control characters and overlong lines', () => {
    const check = (address: Partial<CheckoutDraft['address']>, email = valid.email) => checkCheckout({ address: { ...valid.address, ...address }, email });
    expect(check({ country: 'DE', postalCode: '1234' })).toEqual({ ok: false, errors: { postalCode: '1234 is not a postal code of the country chosen (DE).' } });
    expect(check({ country: 'XX' })).toEqual({ ok: false, errors: { country: 'Choose the country.' } });
    expect(check({}, 'ada@example')).toEqual({ ok: false, errors: { email: 'Enter an email address such as jane@example.com.' } });
    expect(check({}, `${'a'.repeat(65)}@example.com`)).toEqual({ ok: false, errors: { email: 'An email address may be at most 254 characters, with at most 64 before the @.' } });
    expect(check({ line2: 'Flat 1\u202Eevil' })).toEqual({ ok: false, errors: { line2: 'The second address line must be one line of visible text.' } });
    expect(check({ city: 'x'.repeat(101) })).toEqual({ ok: false, errors: { city: 'The city may be at most 100 characters.' } });
    // Where postcode-validator knows no format, any bounded visible text is a postal code (many countries have none).
    expect(check({ country: 'AE', postalCode: '00000' })).toMatchObject({ ok: true });
  });
});

describe('countryOptions', () => {
  it('lists every ISO 3166-1 alpha-2 code once, named in the given language and sorted by name', () => {
    const options = countryOptions('en');
    expect(options).toHaveLength(250);
    expect(new Set(options.map((option) => option.code)).size).toBe(250);
    expect(options.find((option) => option.code === 'DE')).toEqual({ code: 'DE', name: 'Germany' });
    expect(options[0]).toEqual({ code: 'AF', name: 'Afghanistan' });
    expect(countryOptions('de').find((option) => option.code === 'DE')).toEqual({ code: 'DE', name: 'Deutschland' });
  });
});
