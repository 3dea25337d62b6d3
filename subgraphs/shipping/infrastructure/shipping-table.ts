import type { TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Shipping's single table:
 * - shipment rows         pk SHIPMENT#<orderId>               sk SHIPMENT  (one per order, read by order id)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX, pending ones listed through `outbox`
 */
export const shippingTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
