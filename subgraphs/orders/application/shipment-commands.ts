import type { AddressProps } from '../../../lib/ddd';
import type { ParcelTracking } from '../domain/order-events';

/** An order's parcel handed to a carrier: what the admin typed and where it goes. */
export interface ShipCommand {
  readonly orderId: string;
  readonly customerId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly address: AddressProps;
}

/** Shipping's commands, as Orders' fulfilment sees them. Both are idempotent by order id, so a retry is safe. */
export interface ShipmentCommands {
  /**
   * What `ship` with the same command would record, without shipping: Shipping's refusals (BAD_USER_INPUT for a
   * number that does not fit a known carrier, CONFLICT for a shipment that left with other tracking) come before any
   * money is taken. Writes nothing.
   */
  check(command: ShipCommand): Promise<ParcelTracking>;
  /**
   * The order's shipment leaves with a carrier: the tracking as Shipping recorded it (carrier and number normalised,
   * the carrier's tracking link when it knows one). BAD_USER_INPUT for a number that does not fit a known carrier.
   */
  ship(command: ShipCommand): Promise<ParcelTracking>;
  /** The carrier delivered the order's shipment. */
  deliver(orderId: string): Promise<void>;
}
