import { useMemo } from 'react';
import { countryOptions, LIMITS, type CheckoutDraft, type CheckoutField, type FieldErrors } from './address';

interface FieldSpec {
  readonly field: Exclude<CheckoutField, 'country' | 'email'>;
  readonly label: string;
  readonly autoComplete: string;
  readonly max: number;
  readonly optional?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { field: 'name', label: 'Full name', autoComplete: 'shipping name', max: LIMITS.name },
  { field: 'line1', label: 'Street address', autoComplete: 'shipping address-line1', max: LIMITS.line },
  { field: 'line2', label: 'Apartment, suite, etc. (optional)', autoComplete: 'shipping address-line2', max: LIMITS.line, optional: true },
  { field: 'city', label: 'City', autoComplete: 'shipping address-level2', max: LIMITS.city },
  { field: 'region', label: 'State, province or region (optional)', autoComplete: 'shipping address-level1', max: LIMITS.region, optional: true },
  { field: 'postalCode', label: 'Postal code', autoComplete: 'shipping postal-code', max: LIMITS.postalCode },
];

function FieldError({ field, errors }: { field: CheckoutField; errors: FieldErrors }) {
  const error = errors[field];
  return error ? (
    <p className="field-error" id={`checkout-${field}-error`}>
      {error}
    </p>
  ) : null;
}

/** Describes a field by its error, and marks it invalid, while it has one (WCAG 3.3.1). */
const errorProps = (field: CheckoutField, errors: FieldErrors) =>
  errors[field] ? { 'aria-invalid': true, 'aria-describedby': `checkout-${field}-error` } : {};

/** The shipping address and email inputs, with the browser's autofill tokens (HTML "shipping" section) and each field's error. */
export function AddressFields({ draft, errors, onChange }: { draft: CheckoutDraft; errors: FieldErrors; onChange: (draft: CheckoutDraft) => void }) {
  const countries = useMemo(() => countryOptions(), []);
  const setAddress = (field: keyof CheckoutDraft['address'], value: string) => onChange({ ...draft, address: { ...draft.address, [field]: value } });
  return (
    <>
      {FIELDS.map((spec) => (
        <div className="field" key={spec.field}>
          <label htmlFor={`checkout-${spec.field}`}>{spec.label}</label>
          <input
            id={`checkout-${spec.field}`}
            name={spec.field}
            autoComplete={spec.autoComplete}
            maxLength={spec.max}
            required={!spec.optional}
            value={draft.address[spec.field]}
            onChange={(event) => setAddress(spec.field, event.target.value)}
            {...errorProps(spec.field, errors)}
          />
          <FieldError field={spec.field} errors={errors} />
        </div>
      ))}
      <div className="field">
        <label htmlFor="checkout-country">Country</label>
        <select id="checkout-country" name="country" autoComplete="shipping country" required value={draft.address.country} onChange={(event) => setAddress('country', event.target.value)} {...errorProps('country', errors)}>
          <option value="">Choose a country…</option>
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
        <FieldError field="country" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="checkout-email">Email</label>
        <input
          id="checkout-email"
          name="email"
          type="email"
          autoComplete="email"
          maxLength={LIMITS.email}
          required
          value={draft.email}
          onChange={(event) => onChange({ ...draft, email: event.target.value })}
          {...errorProps('email', errors)}
        />
        <FieldError field="email" errors={errors} />
      </div>
    </>
  );
}
