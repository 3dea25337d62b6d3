import type { Shipment } from './shipment';

/** Identifies an event a consumer is handling, so its effect and its "processed" mark commit together. */
export interface CausingEvent {
  readonly consumer: string;
  readonly eventId: string;
}

/**
 * Persistence port for shipments. A save writes the shipment and its events (outbox), and the causing event's
 * processed mark when there is one, in one transaction conditional on the version read (a new shipment: on there
 * being none for its order yet). It throws ConcurrentModificationError when the shipment changed, or was created,
 * meanwhile, and answers 'duplicate' when the causing event was handled before.
 */
export interface ShipmentRepository {
  findByOrderId(orderId: string): Promise<Shipment | null>;
  /** The shipments of these orders that exist, in any order. */
  findByOrderIds(orderIds: readonly string[]): Promise<Shipment[]>;
  save(shipment: Shipment, causedBy?: CausingEvent): Promise<'saved' | 'duplicate'>;
}
