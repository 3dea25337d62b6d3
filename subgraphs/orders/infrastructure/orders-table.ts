import type { ShardedList, TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Orders' single table:
 * - order rows            pk ORDER#<id>                       sk ORDER
 *     listed newest first through `byCustomer` (customerKey, placedKey) and `byCustomerStatus`, and for admins
 *     through `allOrders` (listShardKey, placedKey) and `allOrdersByStatus` (statusShardKey, placedKey), whose
 *     partitions are write-sharded: every order write lands in one of ORDER_LIST_SHARDS partitions, not one
 * - idempotency key rows  pk IDEMPOTENCY#<customerId>#<key>   sk IDEMPOTENCY (claimed in the order's transaction)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX
 */
export const ORDERS_INDEXES = {
  byCustomer: { name: 'byCustomer', partitionKey: 'customerKey', sortKey: 'placedKey' },
  byCustomerStatus: { name: 'byCustomerStatus', partitionKey: 'customerStatusKey', sortKey: 'placedKey' },
  allOrders: { name: 'allOrders', partitionKey: 'listShardKey', sortKey: 'placedKey' },
  allOrdersByStatus: { name: 'allOrdersByStatus', partitionKey: 'statusShardKey', sortKey: 'placedKey' },
} as const;

/** Shards of the admin order lists: 8 partitions take ~8,000 order writes per second before throttling. */
export const ORDER_LIST_SHARDS = 8;

export const allOrdersList: ShardedList = { name: 'ORDERS', shards: ORDER_LIST_SHARDS };
export const ordersWithStatusList = (status: string): ShardedList => ({ name: `ORDERS#${status}`, shards: ORDER_LIST_SHARDS });

export const ordersTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [ORDERS_INDEXES.byCustomer, ORDERS_INDEXES.byCustomerStatus, ORDERS_INDEXES.allOrders, ORDERS_INDEXES.allOrdersByStatus, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
