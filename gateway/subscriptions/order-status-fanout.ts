import { ORDER_STATUS_EVENT_TYPES, type AnyEventEnvelope, type EventConsumer } from '../../lib/events';
import type { OrderStatusFeed } from './order-status-feed';
import type { OrderStatusMessage } from './order-status-message';

export const GATEWAY_CONSUMER_GROUP = 'gateway';

/** The subscription view of an order status event; null for any other event. */
export function toOrderStatusMessage(envelope: AnyEventEnvelope): OrderStatusMessage | null {
  switch (envelope.type) {
    case 'order.created':
      return {
        eventId: envelope.id,
        orderId: envelope.data.orderId,
        customerId: envelope.data.customerId,
        status: 'PENDING',
        previousStatus: null,
        at: envelope.occurredAt,
        ...(envelope.data.version !== undefined ? { version: envelope.data.version } : {}),
      };
    case 'order.confirmed':
    case 'order.shipped':
    case 'order.completed':
    case 'order.cancelled':
      return {
        eventId: envelope.id,
        orderId: envelope.data.orderId,
        customerId: envelope.data.customerId,
        status: envelope.data.status,
        previousStatus: envelope.data.previousStatus,
        at: envelope.occurredAt,
        ...(envelope.data.version !== undefined ? { version: envelope.data.version } : {}),
      };
    default:
      return null;
  }
}

/**
 * Takes order status events from the bus (one delivery per event for the gateway group, whichever instance
 * gets it) and broadcasts them on the feed, which reaches every gateway instance. In AWS the same function runs
 * as the target of the EventBridge rule for order status events.
 */
export function orderStatusFanout(feed: Pick<OrderStatusFeed, 'publish'>): EventConsumer {
  return {
    group: GATEWAY_CONSUMER_GROUP,
    types: ORDER_STATUS_EVENT_TYPES,
    async handle(envelope) {
      const message = toOrderStatusMessage(envelope);
      if (message) await feed.publish(message);
    },
  };
}
