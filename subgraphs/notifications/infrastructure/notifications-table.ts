import type { TableDefinition } from '../../../lib/dynamodb';

/**
 * Notifications' table, its delivery records (the idempotency store of docs/notifications.md):
 * - delivery rows  pk DELIVERY#<eventId>  sk RECIPIENT#<role>   one per event and recipient, expiring through TTL
 *                  orderKey ORDER#<orderId>, orderSortKey <createdAt>#<eventId>#<role>: an order's emails, oldest first
 * Notifications publishes no events, so it has no outbox.
 */
export const NOTIFICATIONS_INDEXES = {
  byOrder: { name: 'byOrder', partitionKey: 'orderKey', sortKey: 'orderSortKey' },
} as const;

export const notificationsTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [NOTIFICATIONS_INDEXES.byOrder],
  timeToLiveAttribute: 'expiresAt',
};

/**
 * How long a delivery record is kept: well past any redelivery (the longest retry policy spans minutes, a queue
 * keeps a message 14 days) and any replay of an archived event an operator would run.
 */
export const DELIVERY_RECORD_TTL_DAYS = 90;
