import type { EventConsumer } from '../../../lib/events';
import type { Logger } from '../../../lib/logging';
import { compensateCancelledOrder } from '../application/compensate-payment';
import type { PaymentsDependencies } from '../application/payments-dependencies';

export const PAYMENTS_CONSUMER_GROUP = 'payments';

/**
 * What Payments does with other contexts' events (docs/architecture.md §4). The same consumers serve the local buses
 * (memory, Redis Streams) and the Lambda target of the EventBridge rule.
 */
export function paymentsEventConsumers(deps: PaymentsDependencies, logger: Logger): EventConsumer[] {
  return [
    {
      // The saga's compensation: a cancelled order's payment is voided before capture and refunded after.
      group: PAYMENTS_CONSUMER_GROUP,
      types: ['order.cancelled'],
      async handle(envelope) {
        if (envelope.type !== 'order.cancelled') return;
        const { orderId, reason, cause } = envelope.data;
        const outcome = await compensateCancelledOrder(deps, { orderId, reason }, { consumer: PAYMENTS_CONSUMER_GROUP, eventId: envelope.id });
        logger.info({ orderId, cause, eventId: envelope.id, outcome }, 'order.cancelled handled');
      },
    },
  ];
}
