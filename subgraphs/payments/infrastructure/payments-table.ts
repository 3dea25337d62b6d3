import type { TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Payments' single table:
 * - payment rows            pk ORDER#<orderId>                  sk PAYMENT    (one payment per order)
 * - closed-order rows       pk ORDER#<orderId>                  sk CLOSED     (closedAs CANCELLED, or CONFIRMED without
 *                                                                             its card payment: no payment starts, and a
 *                                                                             late authorization is voided)
 * - processed-event rows    pk PROCESSED#<consumer>#<eventId>   sk PROCESSED  (Orders' events and Stripe's webhook
 *                                                                             events alike; expire through TTL)
 * - outbox rows             pk OUTBOX#<id>                      sk OUTBOX
 */
export const paymentsTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
