import type { Clock } from '../../../lib/ddd';
import type { ShipmentRepository } from '../domain/shipment-repository';
import type { CarrierDirectory } from './carriers';

/** What Shipping's use cases need from the outside world; built by the composition root. */
export interface ShippingDependencies {
  readonly shipments: ShipmentRepository;
  readonly carriers: CarrierDirectory;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** A shipment changes a handful of times in its life; a lost race is read again a few times before CONFLICT. */
export const SHIPMENT_RETRY = { retries: 3, backoffMs: 10 } as const;
