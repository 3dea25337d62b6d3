import { useState, type FormEvent } from 'react';

/**
 * Carriers Shipping knows (it checks their tracking numbers and links to their tracking pages); any other carrier's
 * name may be typed, and ships without a link.
 */
const KNOWN_CARRIERS = ['UPS', 'FedEx', 'USPS', 'DHL', 'Amazon Logistics', 'OnTrac', 'Royal Mail', 'Canada Post'];

/** The admin's "ship" form for one order: carrier and tracking number, as shipOrder's ShipOrderInput takes them. */
export function ShipOrderForm({ orderId, busy, onShip, onCancel }: { orderId: string; busy: boolean; onShip: (input: { carrier: string; trackingNumber: string }) => void; onCancel: () => void }) {
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const ids = { carrier: `carrier-${orderId}`, tracking: `tracking-${orderId}`, carriers: `carriers-${orderId}` };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onShip({ carrier: carrier.trim(), trackingNumber: trackingNumber.trim() });
  };
  return (
    <form className="ship-form" aria-label={`Ship order ${orderId}`} onSubmit={submit}>
      <label htmlFor={ids.carrier}>Carrier</label>
      <input id={ids.carrier} list={ids.carriers} required maxLength={100} value={carrier} onChange={(event) => setCarrier(event.target.value)} />
      <datalist id={ids.carriers}>
        {KNOWN_CARRIERS.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <label htmlFor={ids.tracking}>Tracking number</label>
      <input id={ids.tracking} required maxLength={100} value={trackingNumber} onChange={(event) => setTrackingNumber(event.target.value)} />
      <button type="submit" className="primary" disabled={busy}>
        Ship
      </button>
      <button type="button" onClick={onCancel}>
        Not now
      </button>
    </form>
  );
}
