import type { TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Catalog's single table:
 * - product rows       pk PRODUCT#<id>  sk PRODUCT, listed through `byCategory` and `allProducts`
 * - SKU claim rows     pk SKU#<sku>     sk SKU   (written in the product's transaction: SKUs stay unique)
 * - outbox rows        pk OUTBOX#<id>   sk OUTBOX, pending ones listed through `outbox`
 */
export const CATALOG_INDEXES = {
  byCategory: { name: 'byCategory', partitionKey: 'categoryKey', sortKey: 'listKey' },
  allProducts: { name: 'allProducts', partitionKey: 'typeKey', sortKey: 'listKey' },
} as const;

export const catalogTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [CATALOG_INDEXES.byCategory, CATALOG_INDEXES.allProducts, OUTBOX_INDEX],
};
