import type { ShardedList, TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Orders' single table:
 * - order rows            pk ORDER#<id>                       sk ORDER
 *     listed newest first through `byCustomer` (customerKey, placedKey) and `byCustomerStatus`, and for admins
 *     through `allOrders` (listShardKey, placedKey) and `allOrdersByStatus` (statusShardKey, placedKey), whose
 *     partitions are write-sharded: every order write lands in one of ORDER_LIST_SHARDS partitions, not one
 * - idempotency key rows  pk IDEMPOTENCY#<customerId>#<key>   sk IDEMPOTENCY (claimed in the order's transaction;
 *                                                                            expire through TTL, IDEMPOTENCY_KEY_TTL_SECONDS)
 *     PENDING orders with a payment deadline are listed by it through the sparse `paymentDue` index (paymentDuePk,
 *     paymentDueSk = <paymentDueAt>#<id>), write-sharded over PAYMENT_DUE_SHARDS: the deadline sweep reads it
 * - caps ledger rows      pk LIMITS#<customerId>                sk LEDGER and ORDER#<orderId> (dynamo-customer-limits.ts)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX
 */
export const ORDERS_INDEXES = {
  byCustomer: { name: 'byCustomer', partitionKey: 'customerKey', sortKey: 'placedKey' },
  byCustomerStatus: { name: 'byCustomerStatus', partitionKey: 'customerStatusKey', sortKey: 'placedKey' },
  allOrders: { name: 'allOrders', partitionKey: 'listShardKey', sortKey: 'placedKey' },
  allOrdersByStatus: { name: 'allOrdersByStatus', partitionKey: 'statusShardKey', sortKey: 'placedKey' },
  /** Sparse: only PENDING orders with a payment deadline carry its keys, so the deadline sweep sees no other. */
  paymentDue: { name: 'paymentDue', partitionKey: 'paymentDuePk', sortKey: 'paymentDueSk' },
} as const;

/** Shards of the admin order lists: 8 partitions take ~8,000 order writes per second before throttling. */
export const ORDER_LIST_SHARDS = 8;

/** Shards of the payment deadline list: every placed order is written to it. */
export const PAYMENT_DUE_SHARDS = 8;
export const paymentDueList: ShardedList = { name: 'PAYMENT_DUE', shards: PAYMENT_DUE_SHARDS };

/**
 * Customer ids (JWT `sub`) and idempotency keys may both contain `#`: a customer id in a key is escaped so the
 * first `#` after it always ends it. Unescaped, customer `a` with key `b#c` and customer `a#b` with key `c` would
 * share one key item, and one of them would be handed the other's order.
 */
export const escapeKeyPart = (value: string) => value.replaceAll('%', '%25').replaceAll('#', '%23');

export const allOrdersList: ShardedList = { name: 'ORDERS', shards: ORDER_LIST_SHARDS };
export const ordersWithStatusList = (status: string): ShardedList => ({ name: `ORDERS#${status}`, shards: ORDER_LIST_SHARDS });

export const ordersTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [ORDERS_INDEXES.byCustomer, ORDERS_INDEXES.byCustomerStatus, ORDERS_INDEXES.allOrders, ORDERS_INDEXES.allOrdersByStatus, ORDERS_INDEXES.paymentDue, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
