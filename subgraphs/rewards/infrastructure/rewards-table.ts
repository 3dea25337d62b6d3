import type { TableDefinition } from '../../../lib/dynamodb';
import { OUTBOX_INDEX } from '../../../lib/events';

/**
 * Rewards' single table:
 * - account rows          pk CUSTOMER#<id>                    sk ACCOUNT   (listed through `accounts` for the expiry job)
 * - ledger rows           pk CUSTOMER#<id>                    sk TX#<occurredAt>#<txId>   (newest first by sort key)
 * - order issuance rows   pk ORDER#<orderId>                  sk ISSUANCE  (at most one per order: a conditional put)
 * - processed-event rows  pk PROCESSED#<consumer>#<eventId>   sk PROCESSED (expire through TTL)
 * - outbox rows           pk OUTBOX#<id>                      sk OUTBOX
 */
export const REWARDS_INDEXES = {
  accounts: { name: 'accounts', partitionKey: 'accountListKey', sortKey: 'customerId' },
} as const;

export const rewardsTable: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [REWARDS_INDEXES.accounts, OUTBOX_INDEX],
  timeToLiveAttribute: 'expiresAt',
};
