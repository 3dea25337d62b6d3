import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../../lib/ddd';
import { ensureTable, type DynamoClients } from '../../../lib/dynamodb';
import { OutboxWriter, allPendingOutboxItems, type AnyEventEnvelope } from '../../../lib/events';
import { testDynamoClients, uniquePrefix } from '../../../test/support/services';
import type { RewardsDependencies } from '../application/rewards-dependencies';
import type { RewardTransaction } from '../domain/reward-transaction';
import { DynamoRewardRepository } from '../infrastructure/dynamo-reward-repository';
import { rewardsTable } from '../infrastructure/rewards-table';

/** Rewards' outbox only ever holds its own events. */
export type RewardEnvelope = Extract<AnyEventEnvelope, { type: 'reward.issued' | 'reward.redeemed' | 'reward.expired' }>;

/** A clock the test sets by hand: points are made "old" by issuing them in the past, not by waiting a year. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
  advanceMs(ms: number): void {
    this.ms += ms;
  }
}

export interface RewardsHarness {
  readonly dynamo: DynamoClients;
  /** TABLE_PREFIX of a configuration whose Rewards table is this harness's table. */
  readonly tablePrefix: string;
  readonly tableName: string;
  readonly clock: ManualClock;
  readonly outbox: OutboxWriter;
  readonly repository: DynamoRewardRepository;
  readonly deps: RewardsDependencies;
  /** Envelopes the outbox writer reported committed, in commit order. */
  readonly committed: RewardEnvelope[];
  /** Outbox rows still pending in the table (nothing relays them here). */
  pendingEvents(): Promise<RewardEnvelope[]>;
  /** Every ledger row of a customer, newest first, read straight from the table. */
  ledger(customerId: string): Promise<RewardTransaction[]>;
  close(): void;
}

/** Rewards' real repository on its own table in the run's DynamoDB Local, with a manual clock and no relay. */
export async function rewardsHarness(label: string, start = new Date('2026-01-15T12:00:00.000Z')): Promise<RewardsHarness> {
  const dynamo = testDynamoClients();
  const tablePrefix = uniquePrefix(label);
  const tableName = `${tablePrefix}rewards`;
  await ensureTable(dynamo.client, tableName, rewardsTable);
  const outbox = new OutboxWriter(tableName);
  const committed: RewardEnvelope[] = [];
  outbox.onCommitted((envelopes) => committed.push(...(envelopes as readonly RewardEnvelope[])));
  const repository = new DynamoRewardRepository(dynamo.doc, tableName, outbox);
  const clock = new ManualClock(start.getTime());
  return {
    dynamo,
    tablePrefix,
    tableName,
    clock,
    outbox,
    repository,
    deps: { rewards: repository, clock, newId: randomUUID },
    committed,
    async pendingEvents() {
      const items = await allPendingOutboxItems(dynamo.doc, tableName);
      return items.map((item) => JSON.parse(String(item['event'])) as RewardEnvelope);
    },
    async ledger(customerId) {
      const items = await queryAll(dynamo, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tx)',
        ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':tx': 'TX#' },
        ScanIndexForward: false,
        ConsistentRead: true,
      });
      return items.map((item) => ({
        id: String(item['id']),
        customerId: String(item['customerId']),
        type: item['type'] as RewardTransaction['type'],
        points: Number(item['points']),
        orderId: item['orderId'] === undefined ? undefined : String(item['orderId']),
        occurredAt: new Date(String(item['occurredAt'])),
      }));
    },
    close() {
      dynamo.client.destroy();
    },
  };
}

async function queryAll(dynamo: DynamoClients, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await dynamo.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}
