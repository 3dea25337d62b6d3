import type { EventConsumer } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { prepareShipment, withdrawShipment } from '../application/order-lifecycle';
import type { ShippingDependencies } from '../application/shipping-dependencies';

export const SHIPPING_CONSUMER_GROUP = 'shipping';

/**
 * What Shipping does with Orders' events (docs/architecture.md §4): a confirmed order gets its shipment, READY; a
 * cancelled one's READY shipment is withdrawn. Each effect commits with the event's processed mark, so a redelivery
 * changes nothing. The same consumer serves the local buses and the Lambda target of the EventBridge rule.
 */
export function shippingEventConsumers(deps: ShippingDependencies, logger: Logger): EventConsumer[] {
  return [
    {
      group: SHIPPING_CONSUMER_GROUP,
      types: ['order.confirmed', 'order.cancelled'],
      async handle(envelope) {
        const causedBy = { consumer: SHIPPING_CONSUMER_GROUP, eventId: envelope.id };
        if (envelope.type === 'order.confirmed') {
          const { orderId, customerId } = envelope.data;
          const outcome = await prepareShipment(deps, { orderId, customerId }, causedBy);
          logger.info({ orderId, eventId: envelope.id, outcome }, 'order.confirmed handled');
        } else if (envelope.type === 'order.cancelled') {
          const { orderId, customerId, previousStatus } = envelope.data;
          const outcome = await withdrawShipment(deps, { orderId, customerId, previousStatus }, causedBy);
          // A parcel already with the carrier cannot be called back from here: someone has to act on it.
          if (outcome === 'shipped-already') logger.warn({ orderId, eventId: envelope.id }, 'an order was cancelled after its shipment left');
          else logger.info({ orderId, eventId: envelope.id, outcome }, 'order.cancelled handled');
        }
      },
    },
  ];
}
