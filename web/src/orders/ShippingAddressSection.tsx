import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { SetShippingAddressDocument, type ShippingAddressFragment } from '../__generated__/graphql';
import { checkCheckout, EMPTY_DRAFT, type CheckoutDraft, type FieldErrors } from '../checkout/address';
import { AddressFields } from '../checkout/AddressFields';
import { ErrorMessage } from '../components/ErrorMessage';

const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });

/** An address as a label prints it: one line each, the country by name. */
export function AddressLines({ address }: { address: ShippingAddressFragment }) {
  const lines = [address.name, address.line1, address.line2, [address.postalCode, address.city].join(' '), address.region, regionNames.of(address.country) ?? address.country];
  return <address className="shipping-address">{lines.filter((line): line is string => Boolean(line)).join('\n')}</address>;
}

const draftOf = (address: ShippingAddressFragment | null | undefined): CheckoutDraft =>
  address
    ? {
        email: '',
        address: { name: address.name, line1: address.line1, line2: address.line2 ?? '', city: address.city, region: address.region ?? '', postalCode: address.postalCode, country: address.country },
      }
    : EMPTY_DRAFT;

/**
 * Where the order goes; its owner may give or correct it (and the contact email) until it ships
 * (setShippingAddress, PENDING or CONFIRMED), e.g. for an order placed by a client that did not ask for one.
 */
export function ShippingAddressSection({ orderId, address, editable }: { orderId: string; address: ShippingAddressFragment | null | undefined; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<CheckoutDraft>(() => draftOf(address));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [setShippingAddress, saving] = useMutation(SetShippingAddressDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    saving.reset();
    const checked = checkCheckout(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const saved = await setShippingAddress({ variables: { orderId, address: checked.details.shippingAddress, email: checked.details.email } }).catch(() => undefined);
    if (saved?.data) setEditing(false);
  };

  return (
    <>
      {address ? <AddressLines address={address} /> : <p>No shipping address yet: the order cannot ship without one.</p>}
      {editable && !editing ? (
        <button
          type="button"
          onClick={() => {
            setDraft(draftOf(address));
            setEditing(true);
          }}
        >
          {address ? 'Change the shipping address' : 'Add a shipping address'}
        </button>
      ) : null}
      {editable && editing ? (
        <form className="address-form" aria-label="Shipping address" noValidate onSubmit={(event) => void submit(event)}>
          <AddressFields draft={draft} errors={errors} onChange={setDraft} />
          <button type="submit" className="primary" disabled={saving.loading}>
            Save the address
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Keep the current one
          </button>
        </form>
      ) : null}
      <ErrorMessage error={saving.error} title="The address was not saved." />
    </>
  );
}
