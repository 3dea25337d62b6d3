import type { TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Orders' single table:
 * - order rows            pk ORDER#<id>                       sk ORDER
 *     listed newest first through `byCustomer` (customerKey, placedKey) and `byCustomerStatus`
 * - idempotency key rows  pk IDEMPOTENCY#<customerId>#<key>   sk IDEMPOTENCY (claimed in the order's transaction;
 *                                                                            expire through TTL, IDEMPOTENCY_KEY_TTL_SECONDS)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX
 */
export const ORDERS_INDEXES = {
  byCustomer: { name: 'byCustomer', partitionKey: 'customerKey', sortKey: 'placedKey' },
  byCustomerStatus: { name: 'byCustomerStatus', partitionKey: 'customerStatusKey', sortKey: 'placedKey' },
} as const;

export const ordersTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [ORDERS_INDEXES.byCustomer, ORDERS_INDEXES.byCustomerStatus, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
