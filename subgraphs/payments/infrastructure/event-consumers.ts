import type { EventConsumer, EventType } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { compensateCancelledOrder, compensateConfirmedOrder } from '../application/compensate-payment';
import type { PaymentsDependencies } from '../application/payments-dependencies';

export const PAYMENTS_CONSUMER_GROUP = 'payments';

/**
 * The events Payments consumes: its consumer on the local buses subscribes to exactly these, and on AWS the rules of
 * its consumer function route exactly these (infra/lib/stacks/subgraphs-stack.ts).
 */
export const PAYMENTS_EVENT_TYPES = ['order.cancelled', 'order.confirmed'] as const satisfies readonly EventType[];

/**
 * What Payments does with other contexts' events (docs/architecture.md §4): the saga's compensations for an order
 * closed to card payment. A cancelled order's payment is voided before capture and refunded after; an order confirmed
 * without its card payment (by hand, or paid otherwise) is not charged by card as well. The same consumer serves the
 * local buses (memory, Redis Streams) and the Lambda target of the EventBridge rules.
 */
export function paymentsEventConsumers(deps: PaymentsDependencies, logger: Logger): EventConsumer[] {
  return [
    {
      group: PAYMENTS_CONSUMER_GROUP,
      types: PAYMENTS_EVENT_TYPES,
      async handle(envelope) {
        const causedBy = { consumer: PAYMENTS_CONSUMER_GROUP, eventId: envelope.id };
        if (envelope.type === 'order.cancelled') {
          const { orderId, reason, cause } = envelope.data;
          const outcome = await compensateCancelledOrder(deps, { orderId, reason }, causedBy);
          logger.info({ orderId, cause, eventId: envelope.id, outcome }, 'order.cancelled handled');
        } else if (envelope.type === 'order.confirmed') {
          const { orderId, confirmedBy } = envelope.data;
          const outcome = await compensateConfirmedOrder(deps, { orderId, confirmedBy }, causedBy);
          if (outcome === 'captured-already') {
            logger.warn(
              { orderId, confirmedBy, eventId: envelope.id, outcome },
              'the order was confirmed without its card payment, which was captured all the same when it shipped: check whether the customer paid twice',
            );
          } else logger.info({ orderId, confirmedBy, eventId: envelope.id, outcome }, 'order.confirmed handled');
        }
      },
    },
  ];
}
