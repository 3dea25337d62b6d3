import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, ErrorCode, ValidationError } from '../../../lib/ddd';
import { shardKeys } from '../../../lib/dynamodb';
import { processedKey } from '../../../lib/events';
import { RewardAccount } from '../domain/reward-account';
import { rewardsHarness, type RewardsHarness } from '../test-support/rewards-harness';
import { ACCOUNT_LIST_SHARDS, REWARDS_INDEXES, accountList } from './rewards-table';

/** DynamoRewardRepository against DynamoDB Local: one transaction per change, conditional on the version read. */

let h: RewardsHarness;
beforeAll(async () => {
  h = await rewardsHarness('reward-repo');
}, 60_000);
afterAll(() => h?.close());

let counter = 0;
const unique = (kind: string) => `${kind}-${(counter += 1)}`;
const at = (iso: string) => new Date(iso);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Stores a new account holding `points`, issued for one order at `when`. */
async function accountWith(customerId: string, points: number, when = at('2026-01-01T00:00:00.000Z')): Promise<void> {
  const account = RewardAccount.open(customerId);
  account.issueForOrder(unique('order'), { amount: points * 100, currency: 'USD' }, unique('tx'), when);
  await h.repository.save(account);
}

describe('save', () => {
  it('writes the account, its ledger entries and its events in one transaction, then reports them committed', async () => {
    const customerId = unique('customer');
    const account = RewardAccount.open(customerId);
    account.issueForOrder('order-a', { amount: 12_345, currency: 'USD' }, 'tx-a', at('2026-01-02T03:04:05.000Z'));
    const before = h.committed.length;

    await h.repository.save(account);

    const stored = await h.repository.findAccount(customerId);
    expect(stored?.snapshot()).toEqual({ customerId, balance: 123, lifetimePoints: 123, redeemedPoints: 0, expiredPoints: 0, version: 1 });
    expect(await h.ledger(customerId)).toEqual([
      { id: 'tx-a', customerId, type: 'ISSUED', points: 123, orderId: 'order-a', occurredAt: at('2026-01-02T03:04:05.000Z') },
    ]);
    const pending = (await h.pendingEvents()).filter((e) => e.data.customerId === customerId);
    expect(pending).toEqual([
      expect.objectContaining({ type: 'reward.issued', source: 'rewards', version: 1, data: { customerId, points: 123, balance: 123, orderId: 'order-a' } }),
    ]);
    expect(h.committed.slice(before)).toEqual(pending);
  });

  it('writes nothing when the account has no changes', async () => {
    const customerId = unique('customer');
    await accountWith(customerId, 10);
    const loaded = (await h.repository.findAccount(customerId))!;
    await h.repository.save(loaded);
    expect((await h.repository.findAccount(customerId))?.version).toBe(1);
  });

  it('refuses a change made on a stale version with ConcurrentModificationError, writing none of it', async () => {
    const customerId = unique('customer');
    await accountWith(customerId, 100);
    const first = (await h.repository.findAccount(customerId))!;
    const second = (await h.repository.findAccount(customerId))!;
    first.redeem(10, 'tx-first', at('2026-02-01T00:00:00.000Z'));
    second.redeem(20, 'tx-second', at('2026-02-01T00:00:01.000Z'));
    await h.repository.save(first);
    const committedBefore = h.committed.length;

    const error = await rejection(h.repository.save(second));

    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect((error as ConcurrentModificationError).code).toBe(ErrorCode.CONFLICT);
    expect((await h.repository.findAccount(customerId))?.snapshot()).toMatchObject({ balance: 90, redeemedPoints: 10, version: 2 });
    expect((await h.ledger(customerId)).map((t) => t.id)).not.toContain('tx-second');
    expect((await h.pendingEvents()).filter((e) => e.data.customerId === customerId && e.type === 'reward.redeemed')).toHaveLength(1);
    expect(h.committed.length).toBe(committedBefore);
  });

  it('refuses a second "new" account for the same customer', async () => {
    const customerId = unique('customer');
    const one = RewardAccount.open(customerId);
    const other = RewardAccount.open(customerId);
    one.issueForOrder('order-1', { amount: 1000, currency: 'USD' }, 'tx-1', at('2026-01-01T00:00:00.000Z'));
    other.issueForOrder('order-2', { amount: 2000, currency: 'USD' }, 'tx-2', at('2026-01-01T00:00:00.000Z'));
    await h.repository.save(one);
    expect(await rejection(h.repository.save(other))).toBeInstanceOf(ConcurrentModificationError);
    expect((await h.repository.findAccount(customerId))?.balance).toBe(10);
  });
});

describe('saveIssuance', () => {
  async function issue(customerId: string, orderId: string, total: number, eventId: string) {
    const account = (await h.repository.findAccount(customerId)) ?? RewardAccount.open(customerId);
    const points = account.issueForOrder(orderId, { amount: total, currency: 'USD' }, unique('tx'), h.clock.now());
    return h.repository.saveIssuance(account, { orderId, customerId, points }, { consumer: 'rewards', eventId });
  }

  it('issues once per order: a second event for the order and a redelivered event write nothing', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');

    expect(await issue(customerId, orderId, 12_345, 'event-1')).toBe('issued');
    expect(await issue(customerId, orderId, 12_345, 'event-2')).toBe('already-issued');
    expect(await issue(customerId, orderId, 12_345, 'event-1')).toBe('duplicate-event');

    expect((await h.repository.findAccount(customerId))?.snapshot()).toMatchObject({ balance: 123, lifetimePoints: 123, version: 1 });
    expect(await h.ledger(customerId)).toHaveLength(1);
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 123 }]);
    expect((await h.pendingEvents()).filter((e) => e.data.customerId === customerId)).toHaveLength(1);
  });

  it('marks the event processed, with a TTL, in the same transaction', async () => {
    const customerId = unique('customer');
    const eventId = unique('event');
    await issue(customerId, unique('order'), 5000, eventId);
    const row = await h.dynamo.doc.send(new GetCommand({ TableName: h.tableName, Key: processedKey('rewards', eventId), ConsistentRead: true }));
    expect(row.Item).toMatchObject({ consumer: 'rewards', eventId });
    const ttl = Number(row.Item?.['expiresAt']);
    const days = (ttl * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('records an order worth no points as issued with 0, without creating an account', async () => {
    const customerId = unique('customer');
    const orderId = unique('order');
    expect(await issue(customerId, orderId, 99, unique('event'))).toBe('issued');
    expect(await h.repository.findIssuances([orderId])).toEqual([{ orderId, customerId, points: 0 }]);
    expect(await h.repository.findAccount(customerId)).toBeNull();
    expect(await issue(customerId, orderId, 99, unique('event'))).toBe('already-issued');
  });

  it('writes neither the issuance nor the processed mark when the account changed meanwhile', async () => {
    const customerId = unique('customer');
    await accountWith(customerId, 50);
    const stale = (await h.repository.findAccount(customerId))!;
    const fresh = (await h.repository.findAccount(customerId))!;
    fresh.redeem(5, unique('tx'), h.clock.now());
    await h.repository.save(fresh);

    const orderId = unique('order');
    const eventId = unique('event');
    const points = stale.issueForOrder(orderId, { amount: 10_000, currency: 'USD' }, unique('tx'), h.clock.now());
    const error = await rejection(h.repository.saveIssuance(stale, { orderId, customerId, points }, { consumer: 'rewards', eventId }));

    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect(await h.repository.findIssuances([orderId])).toEqual([]);
    const processed = await h.dynamo.doc.send(new GetCommand({ TableName: h.tableName, Key: processedKey('rewards', eventId), ConsistentRead: true }));
    expect(processed.Item).toBeUndefined();
    // A retry against the fresh state goes through.
    expect(await issue(customerId, orderId, 10_000, eventId)).toBe('issued');
    expect((await h.repository.findAccount(customerId))?.balance).toBe(145);
  });
});

describe('findIssuances', () => {
  it('finds the issued orders among any number of ids (over the 100 keys of one BatchGetItem), ignoring duplicates', async () => {
    const customerId = unique('customer');
    const issued: string[] = [];
    let account = RewardAccount.open(customerId);
    for (let i = 0; i < 3; i += 1) {
      const orderId = unique('order');
      issued.push(orderId);
      account.issueForOrder(orderId, { amount: 100 * (i + 1), currency: 'USD' }, unique('tx'), h.clock.now());
      await h.repository.saveIssuance(account, { orderId, customerId, points: i + 1 }, { consumer: 'rewards', eventId: unique('event') });
      account = (await h.repository.findAccount(customerId))!;
    }
    const unknown = Array.from({ length: 150 }, (_, i) => `unknown-order-${i}`);
    const found = await h.repository.findIssuances([...unknown, issued[2]!, issued[0]!, issued[2]!, issued[1]!]);
    expect(found.sort((a, b) => a.points - b.points)).toEqual([
      { orderId: issued[0], customerId, points: 1 },
      { orderId: issued[1], customerId, points: 2 },
      { orderId: issued[2], customerId, points: 3 },
    ]);
    expect(await h.repository.findIssuances([])).toEqual([]);
  });
});

describe('listTransactions', () => {
  it('lists ledger entries newest first, page by page', async () => {
    const customerId = unique('customer');
    const account = RewardAccount.open(customerId);
    for (let day = 1; day <= 5; day += 1) {
      account.issueForOrder(`order-day-${day}`, { amount: day * 100, currency: 'USD' }, `tx-${day}`, at(`2026-01-0${day}T00:00:00.000Z`));
    }
    await h.repository.save(account);
    const reloaded = (await h.repository.findAccount(customerId))!;
    reloaded.redeem(2, 'tx-redeem', at('2026-01-06T00:00:00.000Z'));
    await h.repository.save(reloaded);

    const first = await h.repository.listTransactions(customerId, { first: 4, after: undefined });
    expect(first.edges.map((e) => [e.node.type, e.node.points, e.node.orderId])).toEqual([
      ['REDEEMED', 2, undefined],
      ['ISSUED', 5, 'order-day-5'],
      ['ISSUED', 4, 'order-day-4'],
      ['ISSUED', 3, 'order-day-3'],
    ]);
    expect(first.hasNextPage).toBe(true);
    const second = await h.repository.listTransactions(customerId, { first: 4, after: first.edges.at(-1)!.cursor });
    expect(second.edges.map((e) => e.node.id)).toEqual(['tx-2', 'tx-1']);
    expect(second.hasNextPage).toBe(false);
    expect(second.edges[1]!.node).toEqual({ id: 'tx-1', customerId, type: 'ISSUED', points: 1, orderId: 'order-day-1', occurredAt: at('2026-01-01T00:00:00.000Z') });
  });

  it("refuses another customer's cursor with BAD_USER_INPUT", async () => {
    const owner = unique('customer');
    await accountWith(owner, 3);
    await accountWith(unique('customer'), 3);
    const page = await h.repository.listTransactions(owner, { first: 1, after: undefined });
    const error = await rejection(h.repository.listTransactions(unique('customer'), { first: 1, after: page.edges[0]!.cursor }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});

describe('pointsIssuedBefore', () => {
  it('sums ISSUED entries strictly before the cutoff, leaving out redemptions, expiries and later issuances', async () => {
    const customerId = unique('customer');
    const account = RewardAccount.open(customerId);
    account.issueForOrder('order-1', { amount: 10_000, currency: 'USD' }, 'tx-1', at('2025-01-01T00:00:00.000Z'));
    account.issueForOrder('order-2', { amount: 2_000, currency: 'USD' }, 'tx-2', at('2025-02-01T00:00:00.000Z'));
    account.redeem(30, 'tx-3', at('2025-02-15T00:00:00.000Z'));
    account.issueForOrder('order-4', { amount: 700, currency: 'USD' }, 'tx-4', at('2025-03-01T00:00:00.000Z'));
    await h.repository.save(account);

    expect(await h.repository.pointsIssuedBefore(customerId, at('2024-12-31T23:59:59.999Z'))).toBe(0);
    expect(await h.repository.pointsIssuedBefore(customerId, at('2025-01-01T00:00:00.000Z'))).toBe(0);
    expect(await h.repository.pointsIssuedBefore(customerId, at('2025-01-01T00:00:00.001Z'))).toBe(100);
    expect(await h.repository.pointsIssuedBefore(customerId, at('2025-03-01T00:00:00.000Z'))).toBe(120);
    expect(await h.repository.pointsIssuedBefore(customerId, at('2026-01-01T00:00:00.000Z'))).toBe(127);
  });
});

describe('listAccountIds', () => {
  it('pages through every account once, and nothing else', async () => {
    const created = Array.from({ length: 5 }, () => unique('listed-customer'));
    for (const customerId of created) await accountWith(customerId, 1);
    const ids = await listAll(2);
    expect(ids).toEqual(expect.arrayContaining(created));
    expect(new Set(ids).size).toBe(ids.length);
    const accounts = await Promise.all(ids.map((id) => h.repository.findAccount(id)));
    expect(accounts.every((account) => account !== null)).toBe(true);
    // An issuance with no account (0 points) is not an account.
    await h.dynamo.doc.send(new PutCommand({ TableName: h.tableName, Item: { pk: 'ORDER#x', sk: 'ISSUANCE', orderId: 'x', customerId: 'nobody', points: 0 } }));
    const again = await listAll(3);
    expect(again.sort()).toEqual([...ids].sort());
    expect(again).not.toContain('nobody');
  });

  it('spreads account writes over every shard of the accounts list, and still lists accounts stored before sharding', async () => {
    const customers = Array.from({ length: 160 }, () => unique('sharded-customer'));
    for (const customerId of customers) await accountWith(customerId, 1);
    const perShard: number[] = [];
    for (const partition of shardKeys(accountList)) {
      const result = await h.dynamo.doc.send(
        new QueryCommand({
          TableName: h.tableName,
          IndexName: REWARDS_INDEXES.accounts.name,
          KeyConditionExpression: '#p = :p AND begins_with(#s, :prefix)',
          ExpressionAttributeNames: { '#p': REWARDS_INDEXES.accounts.partitionKey, '#s': REWARDS_INDEXES.accounts.sortKey },
          ExpressionAttributeValues: { ':p': partition, ':prefix': 'sharded-customer' },
        }),
      );
      perShard.push(result.Items?.length ?? 0);
    }
    expect(perShard).toHaveLength(ACCOUNT_LIST_SHARDS);
    expect(perShard.reduce((sum, n) => sum + n, 0)).toBe(160);
    // A fair share is 20 each; the stable hash of these ids keeps every shard busy.
    for (const count of perShard) expect(count).toBeGreaterThanOrEqual(8);

    // An account row exactly as the release before sharding wrote it: one shared ACCOUNT partition.
    await h.dynamo.doc.send(
      new PutCommand({
        TableName: h.tableName,
        Item: { pk: 'CUSTOMER#legacy-account', sk: 'ACCOUNT', accountListKey: 'ACCOUNT', customerId: 'legacy-account', balance: 3, lifetimePoints: 3, redeemedPoints: 0, expiredPoints: 0, version: 1 },
      }),
    );
    const listed = await listAll(50);
    expect(listed).toEqual(expect.arrayContaining([...customers, 'legacy-account']));
    expect(listed).toEqual([...listed].sort());
    // Its next balance change moves it to its shard.
    const legacy = (await h.repository.findAccount('legacy-account'))!;
    legacy.redeem(1, unique('tx'), h.clock.now());
    await h.repository.save(legacy);
    const row = await h.dynamo.doc.send(new GetCommand({ TableName: h.tableName, Key: { pk: 'CUSTOMER#legacy-account', sk: 'ACCOUNT' } }));
    expect(shardKeys(accountList)).toContain(row.Item?.['accountListKey']);
  });

  async function listAll(pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await h.repository.listAccountIds({ first: pageSize, after });
      expect(page.edges.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page.edges.map((e) => e.node));
      if (!page.hasNextPage) return ids;
      after = page.edges.at(-1)!.cursor;
    }
  }
});
