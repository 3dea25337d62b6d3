import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { testDynamoClients, uniquePrefix } from '../../test/support/services';
import type { DomainEvent } from '../ddd';
import { ensureTable, shardKeys, type TableDefinition } from '../dynamodb';
import { createLogger } from '../logging';
import type { AnyEventEnvelope } from './envelope';
import type { EventBus } from './event-bus';
import { OUTBOX_INDEX, OUTBOX_SHARDS, PENDING_OUTBOX, outboxKey } from './outbox-record';
import { OutboxRelay } from './outbox-relay';
import { allPendingOutboxItems } from './outbox-store';
import { OutboxWriter } from './outbox-writer';
import { sampleEnvelope } from './testing/fixtures';
import { waitFor } from './testing/wait-for';

/**
 * The pending outbox is write-sharded (issue: one `PENDING` partition caps a context at ~1,000 events/s): rows
 * spread over every shard, the sweep still reads them oldest first across shards, rows a kept data directory
 * wrote in the old unsharded format are still published, and the relay keeps commit order on the bus without
 * publishing a row twice when the sweep runs alongside the publish after commit.
 */
const logger = createLogger({ service: 'outbox-sharding-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
const { client, doc } = testDynamoClients();
const tableName = `${uniquePrefix('outbox-shards')}table`;
const definition: TableDefinition = { partitionKey: 'pk', sortKey: 'sk', indexes: [OUTBOX_INDEX] };

beforeAll(() => ensureTable(client, tableName, definition), 60_000);
afterAll(() => client.destroy());

/** Records what reaches the bus, in order; each publish waits for `held` (a bus that answers when told to). */
function recordingBus(held: Promise<void> = Promise.resolve()): EventBus & { published: AnyEventEnvelope[]; publishing: number } {
  const published: AnyEventEnvelope[] = [];
  const bus = {
    published,
    publishing: 0,
    async publish(envelopes: readonly AnyEventEnvelope[]) {
      bus.publishing += 1;
      await held;
      published.push(...envelopes);
    },
    subscribe: async () => ({ close: async () => undefined }),
    close: async () => undefined,
  };
  return bus;
}

async function commit(writer: OutboxWriter, events: readonly DomainEvent[]): Promise<readonly AnyEventEnvelope[]> {
  const outbox = writer.prepare(events);
  await doc.send(new TransactWriteCommand({ TransactItems: [...outbox.writes] }));
  outbox.committed();
  return outbox.envelopes;
}

const event = (occurredAt: Date, orderId: string, type: 'order.confirmed' | 'order.completed' = 'order.confirmed'): DomainEvent => ({
  type,
  data: sampleEnvelope(type, { orderId }).data,
  occurredAt: occurredAt.toISOString(),
});

async function rowsPerPartition(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const partition of [...shardKeys(PENDING_OUTBOX), 'PENDING']) {
    let start: Record<string, unknown> | undefined;
    let count = 0;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: OUTBOX_INDEX.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': OUTBOX_INDEX.partitionKey },
          ExpressionAttributeValues: { ':p': partition },
          ExclusiveStartKey: start,
        }),
      );
      count += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    counts.set(partition, count);
  }
  return counts;
}

const relays: OutboxRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

describe('the sharded pending outbox', () => {
  it('spreads 400 pending rows over all 8 shards and none into the old single partition', async () => {
    const writer = new OutboxWriter(tableName);
    const base = Date.now() - 60_000;
    for (let batch = 0; batch < 40; batch += 1) {
      await commit(writer, Array.from({ length: 10 }, (_, n) => event(new Date(base + batch * 10 + n), `spread-${batch}-${n}`)));
    }
    const counts = await rowsPerPartition();
    expect(counts.get('PENDING')).toBe(0);
    const perShard = shardKeys(PENDING_OUTBOX).map((partition) => counts.get(partition) ?? 0);
    expect(perShard).toHaveLength(OUTBOX_SHARDS);
    expect(perShard.reduce((sum, n) => sum + n, 0)).toBe(400);
    // A fair share is 50; random event ids keep every shard well within 25..75 (over 3.5 standard deviations).
    for (const count of perShard) {
      expect(count).toBeGreaterThanOrEqual(25);
      expect(count).toBeLessThanOrEqual(75);
    }

    // The sweep reads every shard and publishes oldest first across them.
    const bus = recordingBus();
    const relay = new OutboxRelay({ bus, doc, tableName, logger, minAgeMs: 0, pageSize: 25, maxPagesPerSweep: 100 });
    relays.push(relay);
    expect(await relay.sweep()).toBe(400);
    const times = bus.published.map((envelope) => envelope.occurredAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(bus.published.map((envelope) => envelope.id)).size).toBe(400);
    expect(await allPendingOutboxItems(doc, tableName)).toEqual([]);
  });

  it('still publishes rows a kept data directory wrote to the unsharded PENDING partition, in time order with new ones', async () => {
    const old = sampleEnvelope('order.created', { orderId: 'legacy-1' }, new Date(Date.now() - 120_000));
    // Exactly what the previous release wrote: one shared partition.
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...outboxKey(old.id), outboxPk: 'PENDING', outboxSk: `${old.occurredAt}#${old.id}`, event: JSON.stringify(old) },
      }),
    );
    const [newer] = await commit(new OutboxWriter(tableName), [event(new Date(Date.now() - 60_000), 'legacy-2')]);
    expect((await rowsPerPartition()).get('PENDING')).toBe(1);

    const bus = recordingBus();
    const relay = new OutboxRelay({ bus, doc, tableName, logger, minAgeMs: 0 });
    relays.push(relay);
    expect(await relay.sweep()).toBe(2);
    expect(bus.published.map((envelope) => envelope.id)).toEqual([old.id, newer!.id]);
    expect((await rowsPerPartition()).get('PENDING')).toBe(0);
  });
});

describe('the relay keeps commit order', () => {
  it('publishes transactions committed while a publish is on the wire after it, in commit order', async () => {
    // The first publish stays on the wire until every transaction has committed.
    let release: () => void = () => undefined;
    const bus = recordingBus(new Promise<void>((resolve) => (release = resolve)));
    const writer = new OutboxWriter(tableName);
    const relay = new OutboxRelay({ bus, doc, tableName, logger, minAgeMs: 60_000 });
    relays.push(relay);
    relay.attach(writer);
    const committed: string[] = [];
    try {
      for (let n = 0; n < 12; n += 1) {
        const [envelope] = await commit(writer, [event(new Date(), 'ordered-1', n % 2 === 0 ? 'order.confirmed' : 'order.completed')]);
        committed.push(envelope!.id);
      }
      expect(bus.publishing).toBe(1);
    } finally {
      release();
    }
    await waitFor('every event on the bus', () => bus.published.length === 12);
    expect(bus.published.map((envelope) => envelope.id)).toEqual(committed);
    await waitFor('their rows deleted', async () => (await allPendingOutboxItems(doc, tableName)).length === 0);
  });

  it('does not publish again the rows the publish after commit is handling while a sweep runs', async () => {
    // A bus that holds the publish after commit on the wire until released: the rows stay pending meanwhile, and
    // the sweep sees them however long it takes.
    let release: () => void = () => undefined;
    const bus = recordingBus(new Promise<void>((resolve) => (release = resolve)));
    const writer = new OutboxWriter(tableName);
    const relay = new OutboxRelay({ bus, doc, tableName, logger, minAgeMs: 0 });
    relays.push(relay);
    relay.attach(writer);
    try {
      const envelopes = await commit(writer, [event(new Date(Date.now() - 1000), 'race-1'), event(new Date(Date.now() - 999), 'race-1', 'order.completed')]);
      await waitFor('the publish after commit on the wire', () => bus.publishing === 1);
      expect(await allPendingOutboxItems(doc, tableName)).toHaveLength(2);
      expect(await relay.sweep()).toBe(0);
      expect(bus.publishing).toBe(1);
      release();
      await waitFor('the events on the bus', () => bus.published.length === 2);
      await waitFor('their rows deleted', async () => (await allPendingOutboxItems(doc, tableName)).length === 0);
      expect(await relay.sweep()).toBe(0);
      expect(bus.published.map((envelope) => envelope.id)).toEqual(envelopes.map((envelope) => envelope.id));
    } finally {
      release();
    }
  });
});
