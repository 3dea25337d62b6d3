import { getAlpha2Codes } from 'i18n-iso-countries/index';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import { ValidationError, describeValue } from './errors';
import { visibleText } from './text';

/** What a customer types as a postal address (the GraphQL `AddressInput`); nothing in it is trusted yet. */
export interface AddressInput {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | null;
  readonly city: string;
  readonly region?: string | null;
  readonly postalCode: string;
  readonly country: string;
}

/** A checked postal address, in its wire shape (the GraphQL `Address`, events, internal APIs). */
export interface AddressProps {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

/**
 * Bounds of each field, from what carriers' labels and the UPU's addressing standard (S42) hold: a line of an
 * address label takes about 35-40 characters, so 100 for a name or street leaves room for every script and
 * still keeps a label printable; postal codes are at most 10 characters worldwide (Iran, US ZIP+4), 16 leaves
 * room for spacing.
 */
export const ADDRESS_LIMITS = {
  name: 100,
  line: 100,
  city: 100,
  region: 100,
  postalCode: 16,
} as const;

/**
 * ISO 3166-1 alpha-2 codes from the maintained ISO table (`i18n-iso-countries`, loaded without its translations:
 * only the codes are needed). Only alpha-2: the same table also knows alpha-3 and numeric codes, which are not
 * what the contract asks for.
 */
const COUNTRIES: ReadonlySet<string> = new Set(Object.keys(getAlpha2Codes()));

/**
 * A postal address, part of the shared kernel like Money: Orders keeps the one its customer gave, Shipping the one
 * a parcel went to, and both mean the same thing by it. Every field is trimmed, NFC-normalised, bounded and free of
 * control characters; the country is an ISO 3166-1 alpha-2 code; the postal code has the format of its country
 * wherever `postcode-validator` knows that format, and is bounded visible text elsewhere (many countries have no
 * postal codes at all).
 */
export class Address implements AddressProps {
  readonly line2?: string;
  readonly region?: string;

  private constructor(
    readonly name: string,
    readonly line1: string,
    line2: string | undefined,
    readonly city: string,
    region: string | undefined,
    readonly postalCode: string,
    readonly country: string,
  ) {
    if (line2 !== undefined) this.line2 = line2;
    if (region !== undefined) this.region = region;
  }

  /**
   * @param field the input path used in error messages, e.g. `shippingAddress` or `address`.
   * @throws ValidationError naming the first field that is wrong (`address.postalCode`) and its value.
   */
  static of(input: AddressInput, field = 'address'): Address {
    const name = visibleText(`${field}.name`, input.name, { min: 1, max: ADDRESS_LIMITS.name });
    const line1 = visibleText(`${field}.line1`, input.line1, { min: 1, max: ADDRESS_LIMITS.line });
    const line2 = optionalText(`${field}.line2`, input.line2, ADDRESS_LIMITS.line);
    const city = visibleText(`${field}.city`, input.city, { min: 1, max: ADDRESS_LIMITS.city });
    const region = optionalText(`${field}.region`, input.region, ADDRESS_LIMITS.region);
    const country = countryCode(`${field}.country`, input.country);
    return new Address(name, line1, line2, city, region, postalCode(`${field}.postalCode`, input.postalCode, country), country);
  }

  /**
   * An address read back from the context's own storage, as it was checked and stored. Not checked again: the rules
   * are the input's (a postal code library's formats, the ISO country list) and change over time, and an order or
   * shipment accepted under them must still load after they did. Input from outside goes through `of`.
   */
  static restore(props: AddressProps): Address {
    return new Address(props.name, props.line1, props.line2 || undefined, props.city, props.region || undefined, props.postalCode, props.country);
  }

  toJSON(): AddressProps {
    return {
      name: this.name,
      line1: this.line1,
      ...(this.line2 !== undefined ? { line2: this.line2 } : {}),
      city: this.city,
      ...(this.region !== undefined ? { region: this.region } : {}),
      postalCode: this.postalCode,
      country: this.country,
    };
  }
}

/** An optional line: left out, null and blank all mean "none". */
function optionalText(field: string, value: string | null | undefined, max: number): string | undefined {
  if (value == null) return undefined;
  return visibleText(field, value, { max }) || undefined;
}

function countryCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !COUNTRIES.has(code)) {
    throw new ValidationError(field, `${field} must be an ISO 3166-1 alpha-2 country code such as US, DE or JP, got ${describeValue(value)}`, { value: value.slice(0, 200) });
  }
  return code;
}

/**
 * Upper case with single spaces, the way postal codes are printed (UPU S42), then checked against the country's
 * format where one is known: "sw1a  1aa" is GB's "SW1A 1AA", "1234" is no German postal code.
 */
function postalCode(field: string, value: string, country: string): string {
  const code = visibleText(field, value, { min: 1, max: ADDRESS_LIMITS.postalCode }).toUpperCase().replace(/\s+/g, ' ');
  if (postcodeValidatorExistsForCountry(country) && !postcodeValidator(code, country)) {
    throw new ValidationError(field, `${field} ${describeValue(value)} is not a valid postal code for ${country}`, { value: code, country });
  }
  return code;
}
