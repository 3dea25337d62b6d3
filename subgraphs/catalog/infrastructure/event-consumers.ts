import type { EventConsumer } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import type { CatalogDependencies } from '../application/catalog-dependencies';
import { claimHold, releaseHeldStock, sellHeldStock } from '../application/stock-hold-lifecycle';

export const CATALOG_CONSUMER_GROUP = 'catalog';

/**
 * What Catalog does with Orders' events (docs/architecture.md §4): the order's creation claims its stock hold, a cancellation
 * releases it, a completion sells it. Each effect commits with the event's processed mark, so a redelivery
 * changes nothing. The same consumer serves the local buses and the Lambda target of the EventBridge rule.
 */
export function catalogEventConsumers(deps: Pick<CatalogDependencies, 'holds' | 'clock'>, logger: Logger): EventConsumer[] {
  return [
    {
      group: CATALOG_CONSUMER_GROUP,
      types: ['order.created', 'order.cancelled', 'order.completed'],
      async handle(envelope) {
        const causedBy = { consumer: CATALOG_CONSUMER_GROUP, eventId: envelope.id };
        let outcome: string;
        switch (envelope.type) {
          case 'order.created':
            outcome = await claimHold(deps, envelope.data.orderId, causedBy);
            break;
          case 'order.cancelled':
            outcome = await releaseHeldStock(deps, envelope.data.orderId, causedBy);
            break;
          case 'order.completed':
            outcome = await sellHeldStock(deps, envelope.data.orderId, causedBy);
            break;
          default:
            return;
        }
        logger.info({ orderId: envelope.data.orderId, eventId: envelope.id, type: envelope.type, outcome }, 'stock hold event handled');
      },
    },
  ];
}
