import type { EventConsumer } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { cancelOrderOnExpiredHold, confirmOrderOnPayment } from '../application/change-order-status';
import type { OrdersDependencies } from '../application/orders-dependencies';
import type { ProductCacheInvalidator } from '../application/product-catalog';

export const ORDERS_CONSUMER_GROUP = 'orders';

/**
 * What Orders does with other contexts' events (DESIGN.md 4). The same consumers serve the local buses (memory,
 * Redis Streams) and the Lambda targets of EventBridge rules.
 */
export function ordersEventConsumers(
  deps: Pick<OrdersDependencies, 'orders' | 'clock'>,
  cache: ProductCacheInvalidator,
  logger: Logger,
): EventConsumer[] {
  return [
    {
      // Invalidation is idempotent by nature: dropping an entry twice is the same as once.
      group: ORDERS_CONSUMER_GROUP,
      types: ['product.updated', 'product.price.changed'],
      async handle(envelope) {
        if (envelope.type !== 'product.updated' && envelope.type !== 'product.price.changed') return;
        await cache.invalidateProducts([envelope.data.productId]);
        logger.debug({ productId: envelope.data.productId, eventId: envelope.id }, 'catalog cache entry invalidated');
      },
    },
    {
      // Stock changes change a product's available quantity: cached views of it are dropped by tag (product:<id>).
      group: ORDERS_CONSUMER_GROUP,
      types: ['stock.held', 'stock.released', 'stock.sold'],
      async handle(envelope) {
        if (envelope.type !== 'stock.held' && envelope.type !== 'stock.released' && envelope.type !== 'stock.sold') return;
        await cache.invalidateProducts(envelope.data.lines.map((line) => line.productId));
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
  ];
}
