import type { ShardedList, TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Rewards' single table:
 * - account rows          pk CUSTOMER#<id>                    sk ACCOUNT   (listed through `accounts` for the expiry job,
 *                         on ACCOUNT_LIST_SHARDS write-sharded partitions: every balance change rewrites the row's key)
 * - ledger rows           pk CUSTOMER#<id>                    sk TX#<occurredAt>#<txId>   (newest first by sort key)
 * - order issuance rows   pk ORDER#<orderId>                  sk ISSUANCE  (at most one per order: a conditional put)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX
 */
export const REWARDS_INDEXES = {
  accounts: { name: 'accounts', partitionKey: 'accountListKey', sortKey: 'customerId' },
} as const;

/**
 * Every balance change rewrites its account row, and with it the row's `accounts` index entry: one partition
 * for every account would cap all balance changes at about 1,000 per second. Accounts spread over 8 partitions
 * by customer id; accounts written before the sharding stay readable under `ACCOUNT` until their next change.
 */
export const ACCOUNT_LIST_SHARDS = 8;
export const accountList: ShardedList = { name: 'ACCOUNT', shards: ACCOUNT_LIST_SHARDS, legacyPartitions: ['ACCOUNT'] };

export const rewardsTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [REWARDS_INDEXES.accounts, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
