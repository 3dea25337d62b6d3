import { isAdmin, type Caller } from '../../../lib/auth';
import type { Shipment } from '../domain/shipment';
import type { ShippingDependencies } from './shipping-dependencies';

/**
 * The shipment of each order, in the order of `orderIds` (DataLoader-shaped): null when the order has none (not
 * confirmed yet, or cancelled before it shipped: a withdrawn shipment), and null for an order the caller may not
 * see. Only the order's owner and admins see its shipment, like the order itself; Shipping knows the owner from
 * Orders' events and commands.
 */
export async function shipmentsForOrders(deps: Pick<ShippingDependencies, 'shipments'>, caller: Caller, orderIds: readonly string[]): Promise<(Shipment | null)[]> {
  if (caller === null) return orderIds.map(() => null);
  const shipments = await deps.shipments.findByOrderIds(orderIds);
  const byOrder = new Map(shipments.map((shipment) => [shipment.orderId, shipment]));
  return orderIds.map((orderId) => {
    const shipment = byOrder.get(orderId);
    if (!shipment?.isVisible) return null;
    return shipment.isOwnedBy(caller.sub) || isAdmin(caller) ? shipment : null;
  });
}
