import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../../../lib/graphql';
import { shipmentsForOrders } from '../application/read-shipments';
import type { ShippingDependencies } from '../application/shipping-dependencies';
import type { Shipment } from '../domain/shipment';

export interface OrderRef {
  readonly id: string;
}

export interface ShippingContext extends BaseSubgraphContext {
  readonly deps: ShippingDependencies;
  readonly loaders: { readonly shipment: DataLoader<string, Shipment | null> };
}

/** `Order.shipment` for every order of one response in one BatchGetItem; a new loader per request (per caller). */
export function createShippingLoaders(deps: ShippingDependencies, caller: ShippingContext['caller']): ShippingContext['loaders'] {
  return { shipment: new DataLoader((orderIds: readonly string[]) => shipmentsForOrders(deps, caller, orderIds), { maxBatchSize: 100 }) };
}
