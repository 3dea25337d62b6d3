import type { EventConsumer } from '../../../lib/events';
import { PRODUCT_CHANGE_EVENT_TYPES, productIdsChangedBy } from '../../../lib/events/product-changes';
import type { Logger } from '../../../lib/logging';
import { cancelOrderOnExpiredHold, confirmOrderOnAuthorization, confirmOrderOnPayment } from '../application/change-order-status';
import { completeOrderOnDelivery, shipOrderOnShipment } from '../application/fulfil-order';
import type { OrdersDependencies } from '../application/orders-dependencies';
import type { ProductCacheInvalidator } from '../application/product-catalog';

export const ORDERS_CONSUMER_GROUP = 'orders';

/**
 * What Orders does with other contexts' events (docs/architecture.md §4). The same consumers serve the local buses (memory,
 * Redis Streams) and the Lambda targets of EventBridge rules.
 */
export function ordersEventConsumers(
  deps: Pick<OrdersDependencies, 'orders' | 'clock'>,
  cache: ProductCacheInvalidator,
  logger: Logger,
): EventConsumer[] {
  return [
    {
      // Cached views of the products an event changed (details, price, stock) are dropped by tag (product:<id>),
      // by the one mapping every product cache uses (lib/events/product-changes.ts). Invalidation is idempotent by
      // nature: dropping an entry twice is the same as once.
      group: ORDERS_CONSUMER_GROUP,
      types: PRODUCT_CHANGE_EVENT_TYPES,
      async handle(envelope) {
        const productIds = productIdsChangedBy(envelope);
        await cache.invalidateProducts(productIds);
        logger.debug({ productIds, eventId: envelope.id, type: envelope.type }, 'catalog cache entries invalidated');
        if (envelope.type === 'stock.released' && envelope.data.reason === 'expired') {
          const outcome = await cancelOrderOnExpiredHold(deps, envelope.data.orderId, { consumer: ORDERS_CONSUMER_GROUP, eventId: envelope.id });
          logger.warn({ orderId: envelope.data.orderId, eventId: envelope.id, outcome }, 'stock hold expired');
        }
      },
    },
    {
      group: ORDERS_CONSUMER_GROUP,
      types: ['payment.completed'],
      async handle(envelope) {
        if (envelope.type !== 'payment.completed') return;
        const outcome = await confirmOrderOnPayment(deps, envelope.data.orderId, { consumer: ORDERS_CONSUMER_GROUP, eventId: envelope.id });
        logger.info({ orderId: envelope.data.orderId, eventId: envelope.id, outcome }, 'payment.completed handled');
      },
    },
    {
      // The checkout saga (docs/architecture.md §4): an authorized payment of the order's total confirms it.
      group: ORDERS_CONSUMER_GROUP,
      types: ['payment.authorized'],
      async handle(envelope) {
        if (envelope.type !== 'payment.authorized') return;
        const { orderId, amount, paymentId } = envelope.data;
        const outcome = await confirmOrderOnAuthorization(deps, { orderId, amount }, { consumer: ORDERS_CONSUMER_GROUP, eventId: envelope.id });
        if (outcome === 'amount-mismatch') logger.error({ orderId, paymentId, amount, eventId: envelope.id }, 'an authorization does not match its order total; the order stays PENDING');
        else logger.info({ orderId, paymentId, eventId: envelope.id, outcome }, 'payment.authorized handled');
      },
    },
    {
      // The resume paths of shipOrder and markOrderDelivered (docs/architecture.md §4): Shipping's news moves on an
      // order whose command stopped between Shipping's answer and Orders' own save. Mostly these find the order
      // already moved on, and change nothing.
      group: ORDERS_CONSUMER_GROUP,
      types: ['shipment.shipped', 'shipment.delivered'],
      async handle(envelope) {
        if (envelope.type !== 'shipment.shipped' && envelope.type !== 'shipment.delivered') return;
        const causedBy = { consumer: ORDERS_CONSUMER_GROUP, eventId: envelope.id };
        const outcome = envelope.type === 'shipment.shipped' ? await shipOrderOnShipment(deps, envelope.data, causedBy) : await completeOrderOnDelivery(deps, envelope.data, causedBy);
        logger[outcome === 'ignored' ? 'debug' : 'warn']({ orderId: envelope.data.orderId, eventId: envelope.id, type: envelope.type, outcome }, 'shipment news handled');
      },
    },
  ];
}
