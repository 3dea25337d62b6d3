import type { DomainEvent } from '../../../lib/ddd';

/** Payload of the events Shipping publishes (docs/architecture.md §4); the wire schema lives in lib/events. */
export interface ShipmentEventData {
  readonly orderId: string;
  readonly shipmentId: string;
  readonly customerId: string;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly trackingUrl?: string;
  /** When the change happened (ISO 8601). */
  readonly at: string;
}

export type ShipmentEvent = DomainEvent<'shipment.created' | 'shipment.shipped' | 'shipment.delivered', ShipmentEventData>;
