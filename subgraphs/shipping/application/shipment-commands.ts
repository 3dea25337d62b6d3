import { Address, ConflictError, NotFoundError, describeValue, guard, withOptimisticRetry, type AddressInput } from '../../../lib/ddd';
import { Shipment } from '../domain/shipment';
import type { Tracking } from '../domain/tracking';
import { SHIPMENT_RETRY, type ShippingDependencies } from './shipping-dependencies';

/** Ids as the event contract bounds them (lib/events/schemas.ts). */
const ID = { min: 1, max: 200 } as const;

export interface ShipCommand {
  readonly orderId: string;
  readonly customerId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly address: AddressInput;
}

/**
 * Orders' ship command (the admin's shipOrder, after the payment was captured): the order's shipment goes
 * SHIPPED with its carrier, tracking number and link, and the address it goes to; shipment.shipped. Idempotent by
 * order id: repeated with the same carrier and number it answers the shipment as it is. When order.confirmed has
 * not been handled yet the shipment is created here, in the same write.
 */
export async function shipShipment(deps: ShippingDependencies, command: ShipCommand): Promise<Shipment> {
  return withOptimisticRetry(async () => {
    const { shipment, changed } = await shipmentShipped(deps, command);
    if (changed) await deps.shipments.save(shipment);
    return shipment;
  }, SHIPMENT_RETRY);
}

/**
 * Orders' check before it captures (shipOrder: nothing is charged for a parcel that cannot leave): the ship command
 * without its write. It refuses exactly what the ship command would refuse now (a number that does not fit its
 * carrier, a bad address, a shipment shipped with other tracking or withdrawn) and answers the tracking it would
 * record. Writes nothing, so it is safe to repeat.
 */
export async function checkShipment(deps: ShippingDependencies, command: ShipCommand): Promise<Tracking> {
  return (await shipmentShipped(deps, command)).tracking;
}

/** The order's shipment as the ship command leaves it (in memory), the tracking, and whether that is a change to write. */
async function shipmentShipped(deps: ShippingDependencies, command: ShipCommand): Promise<{ shipment: Shipment; tracking: Tracking; changed: boolean }> {
  const orderId = guard.text('orderId', command.orderId, ID);
  const customerId = guard.text('customerId', command.customerId, ID);
  const tracking = deps.carriers.tracking(command.carrier, command.trackingNumber);
  const address = Address.of(command.address, 'address');
  const now = deps.clock.now();
  const shipment = (await deps.shipments.findByOrderId(orderId)) ?? Shipment.prepare({ id: deps.newId(), orderId, customerId, now });
  if (!shipment.isOwnedBy(customerId)) {
    throw new ConflictError(`order ${orderId} belongs to another customer than ${describeValue(customerId)}`, { orderId, customerId });
  }
  return { shipment, tracking, changed: shipment.ship(tracking, address, now) };
}

/** Orders' deliver command (markOrderDelivered): SHIPPED -> DELIVERED, shipment.delivered; idempotent by order id. */
export async function deliverShipment(deps: ShippingDependencies, command: { readonly orderId: string }): Promise<Shipment> {
  const orderId = guard.text('orderId', command.orderId, ID);
  return withOptimisticRetry(async () => {
    const shipment = await deps.shipments.findByOrderId(orderId);
    if (!shipment) throw new NotFoundError(`order ${describeValue(orderId)} has no shipment`, { orderId });
    if (shipment.deliver(deps.clock.now())) await deps.shipments.save(shipment);
    return shipment;
  }, SHIPMENT_RETRY);
}

