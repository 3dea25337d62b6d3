import type { ShardedList, TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Catalog's single table:
 * - product rows       pk PRODUCT#<id>  sk PRODUCT, listed through `byCategory` and `allProducts`
 * - SKU claim rows     pk SKU#<sku>     sk SKU   (written in the product's transaction: SKUs stay unique)
 * - stock hold rows    pk HOLD#<orderId> sk HOLD (written in one transaction with the products' stock figures);
 *                      unclaimed ones listed by expiry through `holdExpiry`, write-sharded over HOLD_EXPIRY_SHARDS
 * - processed-event rows pk PROCESSED#<consumer>#<eventId> sk PROCESSED (expire through TTL)
 * - outbox rows        pk OUTBOX#<id>   sk OUTBOX, pending ones listed through `outbox`
 */
export const CATALOG_INDEXES = {
  byCategory: { name: 'byCategory', partitionKey: 'categoryKey', sortKey: 'listKey' },
  allProducts: { name: 'allProducts', partitionKey: 'typeKey', sortKey: 'listKey' },
  /** Sparse: only holds no order has claimed carry its keys, so the expiry sweep never sees a claimed one. */
  holdExpiry: { name: 'holdExpiry', partitionKey: 'holdExpiryPk', sortKey: 'holdExpirySk' },
} as const;

/** Every placement writes a hold: spread over 8 partitions like the outbox, read by scatter, oldest first. */
export const HOLD_EXPIRY_SHARDS = 8;
export const unclaimedHolds: ShardedList = { name: 'HOLDS', shards: HOLD_EXPIRY_SHARDS };

export const catalogTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [CATALOG_INDEXES.byCategory, CATALOG_INDEXES.allProducts, CATALOG_INDEXES.holdExpiry, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
