import type { AddressInput } from '../../../lib/ddd';
import { checkShipment, deliverShipment, shipShipment, type ShipCommand } from '../application/shipment-commands';
import type { ShippingDependencies } from '../application/shipping-dependencies';
import type { Shipment } from '../domain/shipment';
import type { InternalRoute } from '../../../lib/internal-api/router';

/** One internal command: its route, the services that may call it, and what it does (lib/internal-api). */
export type { InternalRoute } from '../../../lib/internal-api/router';
/** Shipping's published representation of a shipment: what Orders' shipping client translates from. */
export function representShipment(shipment: Shipment) {
  const { tracking } = shipment;
  return {
    id: shipment.id,
    orderId: shipment.orderId,
    customerId: shipment.customerId,
    status: shipment.status,
    ...(tracking ? { carrier: tracking.carrier, trackingNumber: tracking.trackingNumber } : {}),
    ...(tracking?.trackingUrl ? { trackingUrl: tracking.trackingUrl } : {}),
    ...(shipment.address ? { address: shipment.address } : {}),
    createdAt: shipment.createdAt.toISOString(),
    ...(shipment.shippedAt ? { shippedAt: shipment.shippedAt.toISOString() } : {}),
    ...(shipment.deliveredAt ? { deliveredAt: shipment.deliveredAt.toISOString() } : {}),
  };
}

export type ShipmentRepresentation = ReturnType<typeof representShipment>;

/**
 * Shipping's internal command API (docs/architecture.md §4, the checkout saga), framework-neutral: the local server
 * and the Lambda handler serve the same routes. Only the Orders service may call them; both are idempotent by
 * order id, so Orders retries them freely.
 *   POST /internal/shipments/check    { orderId, customerId, carrier, trackingNumber, address } -> { carrier, trackingNumber, trackingUrl? }
 *                                     (what ship would record; nothing written: Orders asks before it captures)
 *   POST /internal/shipments/ship     { orderId, customerId, carrier, trackingNumber, address } -> the shipment, SHIPPED
 *   POST /internal/shipments/deliver  { orderId }                                                -> the shipment, DELIVERED
 */
export function shipmentCommandRoutes(deps: ShippingDependencies): InternalRoute[] {
  return [
    {
      method: 'POST',
      path: '/internal/shipments/check',
      callers: ['orders'],
      handle: async ({ body }) => await checkShipment(deps, shipCommand(body)),
    },
    {
      method: 'POST',
      path: '/internal/shipments/ship',
      callers: ['orders'],
      handle: async ({ body }) => representShipment(await shipShipment(deps, shipCommand(body))),
    },
    {
      method: 'POST',
      path: '/internal/shipments/deliver',
      callers: ['orders'],
      handle: async ({ body }) => representShipment(await deliverShipment(deps, { orderId: text(fields(body)['orderId']) })),
    },
  ];
}

/** The body's fields, with anything but a JSON object read as no fields at all (then refused by the use case). */
function fields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A string field as sent; anything else becomes '' so the use case refuses it with the field's name. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function shipCommand(body: unknown): ShipCommand {
  const input = fields(body);
  const address = fields(input['address']);
  const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const addressInput: AddressInput = {
    name: text(address['name']),
    line1: text(address['line1']),
    line2: optional(address['line2']),
    city: text(address['city']),
    region: optional(address['region']),
    postalCode: text(address['postalCode']),
    country: text(address['country']),
  };
  return {
    orderId: text(input['orderId']),
    customerId: text(input['customerId']),
    carrier: text(input['carrier']),
    trackingNumber: text(input['trackingNumber']),
    address: addressInput,
  };
}
