import { requireAdmin, type Caller } from '../../../lib/auth';
import { InvalidOrderTransitionError, visibleText, withOptimisticRetry } from '../../../lib/ddd';
import type { Order } from '../domain/order';
import type { ParcelTracking } from '../domain/order-events';
import type { CausingEvent } from '../domain/order-repository';
import { loadOrder } from './order-access';
import type { OrdersDependencies } from './orders-dependencies';

type Deps = Pick<OrdersDependencies, 'orders' | 'clock' | 'payments' | 'shipments'>;

export interface ShipOrderInput {
  readonly carrier: string;
  readonly trackingNumber: string;
}

/** What an admin types; Shipping checks a known carrier's number format and check digit (fulfilment.md). */
const TRACKING_TEXT = { min: 1, max: 100 } as const;

/**
 * Admin: the fulfilment half of the checkout saga (docs/architecture.md §4). The order must be CONFIRMED with a
 * shipping address and a contact email. Shipping checks the carrier and tracking number first (its refusal costs
 * nothing: the payment stays authorized). Money before goods: then the payment is captured (takePayment); a capture
 * the provider refuses is PAYMENT_FAILED and nothing ships, the order stays CONFIRMED. Then Shipping ships (SHIPPED,
 * with the carrier's tracking), then the order is SHIPPED with order.shipped. Every step is idempotent by order id,
 * so a failed call is simply repeated; if this process dies after Shipping shipped, shipment.shipped moves the order
 * on (shipOrderOnShipment).
 */
export async function shipOrder(deps: Deps, caller: Caller, id: string, input: ShipOrderInput): Promise<Order> {
  requireAdmin(caller, 'ship orders');
  const carrier = visibleText('carrier', input.carrier, TRACKING_TEXT);
  const trackingNumber = visibleText('trackingNumber', input.trackingNumber, TRACKING_TEXT);
  const order = await loadOrder(deps, id);
  const { shippingAddress } = order.assertReadyToShip();
  const command = { orderId: order.id, customerId: order.customerId, carrier, trackingNumber, address: shippingAddress.toJSON() };
  await deps.shipments.check(command);
  await takePayment(deps, order);
  const tracking = await deps.shipments.ship(command);
  return withOptimisticRetry(async () => {
    const current = await loadOrder(deps, id);
    // shipment.shipped may have moved it on already (the consumer raced this call): the same change, made once.
    if (current.status !== 'SHIPPED') {
      current.ship(tracking, deps.clock.now());
      await deps.orders.save(current);
    }
    return current;
  });
}

/**
 * Admin: finishes a CONFIRMED or SHIPPED order by hand (COMPLETED, order.completed: Rewards issues points, Catalog
 * sells the held stock) without telling Shipping. A CONFIRMED order's payment is captured first, as at shipOrder
 * (authorizations expire: an order completed without its capture would never be paid); a SHIPPED one was captured
 * when it shipped. A refused capture is PAYMENT_FAILED and the order stays CONFIRMED.
 */
export async function completeOrder(deps: Deps, caller: Caller, id: string): Promise<Order> {
  requireAdmin(caller, 'complete orders');
  const order = await loadOrder(deps, id);
  if (order.status === 'CONFIRMED') await takePayment(deps, order);
  return withOptimisticRetry(async () => {
    const current = await loadOrder(deps, id);
    current.complete(deps.clock.now());
    await deps.orders.save(current);
    return current;
  });
}

/**
 * The capture before an order's goods leave or it is finished: Payments captures the authorized payment (idempotent
 * by order id: a captured one is answered as captured). An order with no payment was confirmed by hand (a bank
 * transfer, say): nothing to capture. PAYMENT_FAILED (the authorization expired or was voided) and Payments'
 * unavailability reach the caller; nothing has changed then.
 * An order paid otherwise (confirmed by an admin) is not captured at all, not even asked: a card payment its customer
 * completed after the confirmation is Payments' to void, and if Payments has not heard of the confirmation yet (its
 * consumer behind or down), a capture asked for now would charge the customer a second time.
 */
async function takePayment(deps: Pick<Deps, 'payments'>, order: Order): Promise<void> {
  if (order.paidOtherwise) return;
  await deps.payments.capture(order.id);
}

/**
 * Admin: SHIPPED -> COMPLETED once the carrier delivered. Shipping records the delivery first (DELIVERED,
 * shipment.delivered), then the order completes with order.completed (Rewards issues points, Catalog sells the held
 * stock). If this process dies in between, shipment.delivered completes the order (completeOrderOnDelivery).
 */
export async function markOrderDelivered(deps: Deps, caller: Caller, id: string): Promise<Order> {
  requireAdmin(caller, 'mark orders delivered');
  const order = await loadOrder(deps, id);
  if (order.status !== 'SHIPPED') {
    throw new InvalidOrderTransitionError(`order ${order.id} is ${order.status}; only a SHIPPED order can be marked delivered`, {
      orderId: order.id,
      from: order.status,
      to: 'COMPLETED',
    });
  }
  await deps.shipments.deliver(order.id);
  return withOptimisticRetry(async () => {
    const current = await loadOrder(deps, id);
    if (current.status !== 'COMPLETED') {
      current.complete(deps.clock.now());
      await deps.orders.save(current);
    }
    return current;
  });
}

/** What Shipping's events say about an order's parcel (lib/events/schemas.ts, shipment.*). */
export interface ShipmentNews {
  readonly orderId: string;
  readonly carrier?: string | undefined;
  readonly trackingNumber?: string | undefined;
  readonly trackingUrl?: string | undefined;
}

function trackingOf(news: ShipmentNews): ParcelTracking | undefined {
  return news.carrier && news.trackingNumber ? { carrier: news.carrier, trackingNumber: news.trackingNumber, trackingUrl: news.trackingUrl } : undefined;
}

/**
 * On `shipment.shipped`: the resume path of shipOrder. Shipping only ships when Orders asked it after the capture,
 * so a CONFIRMED order whose parcel left is one whose shipOrder stopped between Shipping's answer and its own save;
 * it becomes SHIPPED now. Any other status (already SHIPPED, or later), a redelivery, or an unknown order changes
 * nothing; the "processed" mark commits with the change.
 */
export async function shipOrderOnShipment(deps: Pick<Deps, 'orders' | 'clock'>, news: ShipmentNews, event: CausingEvent): Promise<'shipped' | 'ignored'> {
  const tracking = trackingOf(news);
  if (!tracking) return 'ignored';
  return withOptimisticRetry(async () => {
    const order = await deps.orders.findById(news.orderId);
    if (!order || order.status !== 'CONFIRMED') return 'ignored';
    order.ship(tracking, deps.clock.now());
    return (await deps.orders.save(order, event)) === 'saved' ? 'shipped' : 'ignored';
  });
}

/**
 * On `shipment.delivered`: the resume path of markOrderDelivered. A SHIPPED order completes; a CONFIRMED one (its
 * shipment.shipped not handled yet: events are not ordered on EventBridge) ships and completes in one write, its two
 * events in version order. Anything else changes nothing.
 */
export async function completeOrderOnDelivery(deps: Pick<Deps, 'orders' | 'clock'>, news: ShipmentNews, event: CausingEvent): Promise<'completed' | 'ignored'> {
  const tracking = trackingOf(news);
  return withOptimisticRetry(async () => {
    const order = await deps.orders.findById(news.orderId);
    if (!order) return 'ignored';
    if (order.status === 'CONFIRMED' && tracking) order.ship(tracking, deps.clock.now());
    if (order.status !== 'SHIPPED') return 'ignored';
    order.complete(deps.clock.now());
    return (await deps.orders.save(order, event)) === 'saved' ? 'completed' : 'ignored';
  });
}
