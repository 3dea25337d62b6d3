import type { AddressProps } from '../../../lib/ddd';
import type { ParcelTracking } from '../domain/order-events';

/** Shipping's commands, as Orders' fulfilment sees them. Both are idempotent by order id, so a retry is safe. */
export interface ShipmentCommands {
  /**
   * The order's shipment leaves with a carrier: the tracking as Shipping recorded it (carrier and number normalised,
   * the carrier's tracking link when it knows one). BAD_USER_INPUT for a number that does not fit a known carrier.
   */
  ship(command: {
    readonly orderId: string;
    readonly customerId: string;
    readonly carrier: string;
    readonly trackingNumber: string;
    readonly address: AddressProps;
  }): Promise<ParcelTracking>;
  /** The carrier delivered the order's shipment. */
  deliver(orderId: string): Promise<void>;
}
