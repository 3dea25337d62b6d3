import { getAlpha2Codes } from 'i18n-iso-countries/index';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import * as z from 'zod/mini';

/**
 * The checkout's shipping address and email, checked in the browser before the order is placed, with the rules
 * Orders applies to PlaceOrderInput (the server stays the judge; these checks only spare a round trip and say which
 * field to fix): the same libraries (ISO 3166-1 alpha-2 from i18n-iso-countries, postal code formats from
 * postcode-validator, zod's email pattern) and the same bounds.
 */
export interface AddressDraft {
  readonly name: string;
  readonly line1: string;
  readonly line2: string;
  readonly city: string;
  readonly region: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface CheckoutDraft {
  readonly address: AddressDraft;
  readonly email: string;
}

/** PlaceOrderInput's shippingAddress (AddressInput) and email, ready to send. */
export interface CheckoutDetails {
  readonly shippingAddress: {
    readonly name: string;
    readonly line1: string;
    readonly line2: string | null;
    readonly city: string;
    readonly region: string | null;
    readonly postalCode: string;
    readonly country: string;
  };
  readonly email: string;
}

export type CheckoutField = keyof AddressDraft | 'email';
export type FieldErrors = Partial<Record<CheckoutField, string>>;

/** Orders' bounds (UPU S42 label lines; RFC 5321 address lengths). */
export const LIMITS = { name: 100, line: 100, city: 100, region: 100, postalCode: 16, email: 254, emailLocalPart: 64 } as const;

export const EMPTY_DRAFT: CheckoutDraft = { address: { name: '', line1: '', line2: '', city: '', region: '', postalCode: '', country: '' }, email: '' };

/** ISO 3166-1 alpha-2 codes, the country select's values. */
export const COUNTRY_CODES: readonly string[] = Object.keys(getAlpha2Codes());
const COUNTRIES: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** Controls, separators, bidi overrides and lone surrogates: never part of an address (Orders refuses them too). */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;
const EMAIL = z.email();

function text(value: string, label: string, max: number, required: boolean): { value: string; error?: string } {
  const clean = value.normalize('NFC').trim();
  if (required && clean === '') return { value: clean, error: `Enter the ${label}.` };
  if (INVISIBLE.test(clean)) return { value: clean, error: `The ${label} must be one line of visible text.` };
  if ([...clean].length > max) return { value: clean, error: `The ${label} may be at most ${max} characters.` };
  return { value: clean };
}

function email(value: string): { value: string; error?: string } {
  const clean = value.trim();
  if (clean === '') return { value: clean, error: 'Enter your email address: it is where your receipt and tracking link go.' };
  const at = clean.lastIndexOf('@');
  if (clean.length > LIMITS.email || at > LIMITS.emailLocalPart) return { value: clean, error: `An email address may be at most ${LIMITS.email} characters, with at most ${LIMITS.emailLocalPart} before the @.` };
  if (!z.safeParse(EMAIL, clean).success) return { value: clean, error: 'Enter an email address such as jane@example.com.' };
  return { value: clean };
}

function postalCode(value: string, country: string): { value: string; error?: string } {
  const checked = text(value, 'postal code', LIMITS.postalCode, true);
  if (checked.error) return checked;
  const code = checked.value.toUpperCase().replace(/\s+/g, ' ');
  if (COUNTRIES.has(country) && postcodeValidatorExistsForCountry(country) && !postcodeValidator(code, country)) {
    return { value: code, error: `${checked.value} is not a postal code of the country chosen (${country}).` };
  }
  return { value: code };
}

/** The details to send, or each field's problem in words (the first one to fix comes first). */
export function checkCheckout(draft: CheckoutDraft): { ok: true; details: CheckoutDetails } | { ok: false; errors: FieldErrors } {
  const { address } = draft;
  const country = address.country.trim().toUpperCase();
  const checked = {
    name: text(address.name, 'full name', LIMITS.name, true),
    line1: text(address.line1, 'street address', LIMITS.line, true),
    line2: text(address.line2, 'second address line', LIMITS.line, false),
    city: text(address.city, 'city', LIMITS.city, true),
    region: text(address.region, 'state, province or region', LIMITS.region, false),
    postalCode: postalCode(address.postalCode, country),
    country: COUNTRIES.has(country) ? { value: country } : { value: country, error: 'Choose the country.' },
    email: email(draft.email),
  } satisfies Record<CheckoutField, { value: string; error?: string }>;
  const errors: FieldErrors = {};
  for (const [field, result] of Object.entries(checked) as [CheckoutField, { value: string; error?: string }][]) {
    if (result.error) errors[field] = result.error;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    details: {
      shippingAddress: {
        name: checked.name.value,
        line1: checked.line1.value,
        line2: checked.line2.value || null,
        city: checked.city.value,
        region: checked.region.value || null,
        postalCode: checked.postalCode.value,
        country: checked.country.value,
      },
      email: checked.email.value,
    },
  };
}

/** The countries for the select, named in the shopper's language (Intl knows every region's name), sorted by name. */
export function countryOptions(locale?: string): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' });
  const options = COUNTRY_CODES.map((code) => ({ code, name: names.of(code) ?? code }));
  const collator = new Intl.Collator(locale);
  return options.sort((a, b) => collator.compare(a.name, b.name));
}
