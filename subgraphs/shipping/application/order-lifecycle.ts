import { withOptimisticRetry } from '../../../lib/ddd';
import { Shipment } from '../domain/shipment';
import type { CausingEvent } from '../domain/shipment-repository';
import { SHIPMENT_RETRY, type ShippingDependencies } from './shipping-dependencies';

/** An order as Orders' status events describe it. */
export interface OrderFact {
  readonly orderId: string;
  readonly customerId: string;
}

export type PrepareOutcome = 'created' | 'exists' | 'duplicate';
export type WithdrawOutcome = 'withdrawn' | 'withdrawn-before-creation' | 'unchanged' | 'shipped-already' | 'never-confirmed' | 'duplicate';

/**
 * On `order.confirmed`: the order's shipment, READY, with shipment.created. One per order: when it exists already
 * (a redelivery, the ship command got there first, or the order was cancelled and its cancellation arrived first)
 * nothing changes.
 */
export function prepareShipment(deps: ShippingDependencies, order: OrderFact, causedBy: CausingEvent): Promise<PrepareOutcome> {
  return withOptimisticRetry(async () => {
    if (await deps.shipments.findByOrderId(order.orderId)) return 'exists';
    const shipment = Shipment.prepare({ id: deps.newId(), orderId: order.orderId, customerId: order.customerId, now: deps.clock.now() });
    return (await deps.shipments.save(shipment, causedBy)) === 'saved' ? 'created' : 'duplicate';
  }, SHIPMENT_RETRY);
}

/**
 * On `order.cancelled`: a READY shipment is withdrawn (its order will never ship). An order cancelled while
 * PENDING never had one and never will. For one cancelled while CONFIRMED whose shipment does not exist yet
 * (order.confirmed not handled yet: events may arrive out of order), the shipment is stored withdrawn, so that
 * order.confirmed, when it comes, creates nothing. A shipment that left already stays as it is.
 */
export function withdrawShipment(
  deps: ShippingDependencies,
  order: OrderFact & { readonly previousStatus: string },
  causedBy: CausingEvent,
): Promise<WithdrawOutcome> {
  if (order.previousStatus === 'PENDING') return Promise.resolve('never-confirmed');
  return withOptimisticRetry(async () => {
    const now = deps.clock.now();
    const existing = await deps.shipments.findByOrderId(order.orderId);
    if (existing && (existing.status === 'SHIPPED' || existing.status === 'DELIVERED')) return 'shipped-already';
    if (existing && !existing.withdraw(now)) return 'unchanged';
    const shipment = existing ?? Shipment.withdrawnBeforeCreation({ id: deps.newId(), orderId: order.orderId, customerId: order.customerId, now });
    if ((await deps.shipments.save(shipment, causedBy)) === 'duplicate') return 'duplicate';
    return existing ? 'withdrawn' : 'withdrawn-before-creation';
  }, SHIPMENT_RETRY);
}
