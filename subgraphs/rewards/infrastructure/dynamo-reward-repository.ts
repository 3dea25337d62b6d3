import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, type Page, type PageRequest } from '../../../lib/ddd';
import { batchGetAll, cursor, queryShardedIndexPage, shardKey, transactWrite, transactionCancellationCodes } from '../../../lib/dynamodb';
import { processedEventPut, wasAlreadyProcessed, type OutboxWriter } from '../../../lib/events';
import { RewardAccount } from '../domain/reward-account';
import type { CausingEvent, IssuanceResult, OrderIssuance, RewardRepository } from '../domain/reward-repository';
import type { RewardTransaction, RewardTransactionType } from '../domain/reward-transaction';
import { REWARDS_INDEXES, accountList } from './rewards-table';

interface AccountRow {
  pk: string;
  sk: 'ACCOUNT';
  /** The account's shard of the `accounts` list (ACCOUNT#0..7; plain ACCOUNT on rows written before sharding). */
  accountListKey: string;
  customerId: string;
  balance: number;
  lifetimePoints: number;
  redeemedPoints: number;
  expiredPoints: number;
  version: number;
}

interface TransactionRow {
  pk: string;
  sk: string;
  id: string;
  customerId: string;
  type: RewardTransactionType;
  points: number;
  orderId?: string;
  occurredAt: string;
}

interface IssuanceRow {
  pk: string;
  sk: 'ISSUANCE';
  orderId: string;
  customerId: string;
  points: number;
}

const accountKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'ACCOUNT' as const });
const issuanceKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ISSUANCE' as const });
/**
 * Ledger rows sort newest first by time, then by the account version that wrote them: two changes in the same
 * millisecond still list in the order they happened (each save of an account bumps its version).
 */
const transactionSortKey = (occurredAt: Date, accountVersion: number, index: number, id: string) =>
  `TX#${occurredAt.toISOString()}#${String(accountVersion).padStart(12, '0')}.${String(index).padStart(3, '0')}#${id}`;

type TransactItems = Parameters<typeof transactWrite>[1];

/** Reward accounts and their ledger in DynamoDB: every change is one transaction, conditional on the version read. */
export class DynamoRewardRepository implements RewardRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: OutboxWriter,
  ) {}

  async findAccount(customerId: string): Promise<RewardAccount | null> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: accountKey(customerId), ConsistentRead: true }));
    const row = result.Item as AccountRow | undefined;
    return row
      ? RewardAccount.restore({
          customerId: row.customerId,
          balance: row.balance,
          lifetimePoints: row.lifetimePoints,
          redeemedPoints: row.redeemedPoints,
          expiredPoints: row.expiredPoints,
          version: row.version,
        })
      : null;
  }

  async save(account: RewardAccount): Promise<void> {
    const writes = this.accountWrites(account);
    if (writes.items.length === 0) return;
    try {
      await transactWrite(this.doc, writes.items);
    } catch (error) {
      throw this.translate(error, account);
    }
    writes.committed();
  }

  async saveIssuance(account: RewardAccount, issuance: OrderIssuance, causedBy: CausingEvent): Promise<IssuanceResult> {
    const writes = this.accountWrites(account);
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...issuanceKey(issuance.orderId), orderId: issuance.orderId, customerId: issuance.customerId, points: issuance.points },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      processedEventPut(this.tableName, causedBy.consumer, causedBy.eventId),
      ...writes.items,
    ];
    try {
      await transactWrite(this.doc, items);
    } catch (error) {
      if (wasAlreadyProcessed(error, 1)) return 'duplicate-event';
      if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'already-issued';
      throw this.translate(error, account);
    }
    writes.committed();
    return 'issued';
  }

  async findIssuances(orderIds: readonly string[]): Promise<OrderIssuance[]> {
    const unique = [...new Set(orderIds)];
    if (unique.length === 0) return [];
    // Strongly consistent: a client reading rewardPoints right after its reward.issued event must see it.
    const rows = await batchGetAll<IssuanceRow>(this.doc, this.tableName, unique.map(issuanceKey), { consistentRead: true });
    return rows.map((row) => ({ orderId: row.orderId, customerId: row.customerId, points: row.points }));
  }

  async listTransactions(customerId: string, page: PageRequest): Promise<Page<RewardTransaction>> {
    const partition = `CUSTOMER#${customerId}`;
    const start = cursor.decode(page.after, { attributes: ['pk', 'sk'], fixed: { pk: partition }, prefixes: { sk: 'TX#' } });
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tx)',
        ExpressionAttributeValues: { ':pk': partition, ':tx': 'TX#' },
        ExclusiveStartKey: start,
        ScanIndexForward: false,
        Limit: page.first + 1,
      }),
    );
    const rows = (result.Items ?? []) as TransactionRow[];
    return {
      edges: rows.slice(0, page.first).map((row) => ({ node: toTransaction(row), cursor: cursor.encode({ pk: row.pk, sk: row.sk }) })),
      hasNextPage: rows.length > page.first,
    };
  }

  async pointsIssuedBefore(customerId: string, cutoff: Date): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: '#type = :issued',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':from': 'TX#', ':to': `TX#${cutoff.toISOString()}`, ':issued': 'ISSUED' },
          ProjectionExpression: 'points',
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of result.Items ?? []) total += (item as { points: number }).points;
      start = result.LastEvaluatedKey;
    } while (start);
    return total;
  }

  listAccountIds(page: PageRequest): Promise<Page<string>> {
    return queryShardedIndexPage(this.doc, {
      tableName: this.tableName,
      index: REWARDS_INDEXES.accounts,
      list: accountList,
      page,
      toNode: (row: AccountRow) => row.customerId,
    });
  }

  /** The account row (conditional on the version read), its new ledger rows and its outbox rows. */
  private accountWrites(account: RewardAccount): { items: TransactItems; committed(): void } {
    const transactions = account.pullTransactions();
    const events = account.pullEvents();
    if (transactions.length === 0 && events.length === 0) return { items: [], committed: () => undefined };
    const state = account.snapshot();
    const outbox = this.outbox.prepare(events);
    const row: AccountRow = {
      ...accountKey(state.customerId),
      accountListKey: shardKey(accountList, state.customerId),
      customerId: state.customerId,
      balance: state.balance,
      lifetimePoints: state.lifetimePoints,
      redeemedPoints: state.redeemedPoints,
      expiredPoints: state.expiredPoints,
      version: state.version + 1,
    };
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: row,
          ...(state.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': state.version } }),
        },
      },
      ...transactions.map((transaction, index) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            pk: `CUSTOMER#${transaction.customerId}`,
            sk: transactionSortKey(transaction.occurredAt, state.version + 1, index, transaction.id),
            id: transaction.id,
            customerId: transaction.customerId,
            type: transaction.type,
            points: transaction.points,
            ...(transaction.orderId ? { orderId: transaction.orderId } : {}),
            occurredAt: transaction.occurredAt.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...outbox.writes,
    ];
    return { items, committed: () => outbox.committed() };
  }

  private translate(error: unknown, account: RewardAccount): unknown {
    if (transactionCancellationCodes(error) !== undefined) {
      return new ConcurrentModificationError(`the reward account of ${account.customerId} changed meanwhile; retry with its current state`);
    }
    return error;
  }
}

function toTransaction(row: TransactionRow): RewardTransaction {
  return {
    id: row.id,
    customerId: row.customerId,
    type: row.type,
    points: row.points,
    orderId: row.orderId,
    occurredAt: new Date(row.occurredAt),
  };
}
