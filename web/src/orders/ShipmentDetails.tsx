import type { OrderStatus, ShipmentDetailsFragment, ShipmentStatus } from '../__generated__/graphql';
import { DateTime } from '../components/DateTime';

const WORDS: Record<ShipmentStatus, string> = {
  READY: 'Being prepared for shipping',
  SHIPPED: 'On its way',
  DELIVERED: 'Delivered',
};

/** A link only to a web page: the URL comes from another service, and a `javascript:` URL would run here. */
function webUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Where the parcel is: status, carrier, tracking number and the carrier's tracking page (a new tab, no referrer). */
export function ShipmentDetails({ shipment, orderStatus }: { shipment: ShipmentDetailsFragment | null | undefined; orderStatus: OrderStatus }) {
  if (!shipment) {
    return <p className="shipment">{orderStatus === 'CANCELLED' ? 'Nothing is shipped: the order was cancelled.' : orderStatus === 'PENDING' ? 'Shipped once your payment is confirmed.' : 'Being prepared for shipping.'}</p>;
  }
  return (
    <dl className="shipment" aria-live="polite">
      <dt>Shipment</dt>
      <dd data-shipment-status={shipment.status}>{WORDS[shipment.status]}</dd>
      {shipment.carrier ? (
        <>
          <dt>Carrier</dt>
          <dd className="carrier">{shipment.carrier}</dd>
        </>
      ) : null}
      {shipment.trackingNumber ? (
        <>
          <dt>Tracking</dt>
          <dd className="tracking">
            {webUrl(shipment.trackingUrl) ? (
              <a href={webUrl(shipment.trackingUrl)} target="_blank" rel="noopener noreferrer">
                Track {shipment.trackingNumber} with {shipment.carrier ?? 'the carrier'}
              </a>
            ) : (
              shipment.trackingNumber
            )}
          </dd>
        </>
      ) : null}
      {shipment.shippedAt ? (
        <>
          <dt>Shipped</dt>
          <dd>
            <DateTime value={shipment.shippedAt} />
          </dd>
        </>
      ) : null}
      {shipment.deliveredAt ? (
        <>
          <dt>Delivered</dt>
          <dd>
            <DateTime value={shipment.deliveredAt} />
          </dd>
        </>
      ) : null}
    </dl>
  );
}
