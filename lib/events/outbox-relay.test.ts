import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { testDynamoClients, uniquePrefix } from '../../test/support/services';
import type { DomainEvent } from '../ddd';
import { ensureTable, type TableDefinition } from '../dynamodb';
import { createLogger } from '../logging';
import type { AnyEventEnvelope } from './envelope';
import { EventBusUnavailableError } from './errors';
import type { EventBus } from './event-bus';
import { OUTBOX_INDEX, outboxItem, outboxKey } from './outbox-record';
import { OutboxRelay, type OutboxTarget } from './outbox-relay';
import { relayStreamRecords, type OutboxStreamRecord, type StreamAttributeValue } from './outbox-stream-relay';
import { OutboxWriter } from './outbox-writer';
import type { EventType } from './schemas';
import { sampleEnvelope } from './testing/fixtures';
import { waitFor } from './testing/wait-for';
import { recorder } from './transports/event-bus.contract';
import { MemoryEventBus } from './transports/memory-event-bus';
import { TEST_EVENT_SIGNING_SECRET } from './testing/fixtures';

const logger = createLogger({ service: 'outbox-relay-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
const { client, doc } = testDynamoClients();
const prefix = uniquePrefix('outbox');
const definition: TableDefinition = { partitionKey: 'pk', sortKey: 'sk', indexes: [OUTBOX_INDEX] };
let tableCount = 0;
let tableName = '';

/** Each test gets its own table, so one test's leftover rows never reach another's sweep. */
beforeEach(async () => {
  tableCount += 1;
  tableName = `${prefix}${tableCount}`;
  await ensureTable(client, tableName, definition);
}, 60_000);
afterAll(() => client.destroy());

/** The port, refusing everything: a bus that is down. */
const unavailableBus: EventBus = {
  publish: async () => {
    throw new EventBusUnavailableError('the bus is down');
  },
  subscribe: async () => {
    throw new EventBusUnavailableError('the bus is down');
  },
  close: async () => undefined,
};

function domainEvent(type: EventType, occurredAt: Date, data: Record<string, unknown> = {}): DomainEvent {
  return { type, data: sampleEnvelope(type, data).data, occurredAt: occurredAt.toISOString() };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Commits an aggregate row and its events in one transaction, as the repositories do; returns the envelopes. */
async function commit(writer: OutboxWriter, aggregateId: string, events: readonly DomainEvent[]): Promise<readonly AnyEventEnvelope[]> {
  const outbox = writer.prepare(events);
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: tableName, Item: { pk: `AGGREGATE#${aggregateId}`, sk: 'AGGREGATE', aggregateId } } }, ...outbox.writes],
    }),
  );
  outbox.committed();
  return outbox.envelopes;
}

async function outboxRow(eventId: string): Promise<Record<string, unknown> | undefined> {
  const result = await doc.send(new GetCommand({ TableName: tableName, Key: outboxKey(eventId), ConsistentRead: true }));
  return result.Item;
}

describe('OutboxRelay', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function harness(options: { minAgeMs?: number; bus?: EventBus } = {}) {
    const memory = new MemoryEventBus({ logger, signingSecret: TEST_EVENT_SIGNING_SECRET, maxAttempts: 5, retryBackoff: { initialMs: 10, maxMs: 40 } });
    const received = recorder();
    await memory.subscribe({ group: 'observer', types: ['product.created', 'product.updated', 'order.completed'], handle: received.handle });
    const target: OutboxTarget = { bus: options.bus ?? memory, doc, tableName, logger };
    const relay = new OutboxRelay({ ...target, minAgeMs: options.minAgeMs ?? 30_000 });
    cleanups.push(async () => {
      await relay.stop();
      await memory.close();
    });
    return { relay, received, target, writer: new OutboxWriter(tableName) };
  }

  it('publishes a committed transaction’s events right after commit and deletes their rows', async () => {
    const { relay, received, writer } = await harness();
    relay.attach(writer);
    const [envelope] = await commit(writer, 'fast-1', [domainEvent('product.created', new Date(), { productId: 'fast-1' })]);

    await waitFor('the event on the bus', () => received.calls.length === 1);
    expect(received.calls).toEqual([envelope]);
    await waitFor('the outbox row to be deleted', async () => (await outboxRow(envelope!.id)) === undefined);
    expect((await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'AGGREGATE#fast-1', sk: 'AGGREGATE' } }))).Item).toBeDefined();
  });

  it('sweeps rows left by a crash between commit and publish, oldest first, leaving rows younger than minAgeMs', async () => {
    const { relay, received, writer } = await harness({ minAgeMs: 30_000 });
    // No relay attached: the process "died" right after the commit.
    const [older] = await commit(writer, 'crash-1', [domainEvent('product.created', minutesAgo(3), { productId: 'crash-1' })]);
    const [old] = await commit(writer, 'crash-2', [domainEvent('product.updated', minutesAgo(2), { productId: 'crash-2' })]);
    const [fresh] = await commit(writer, 'crash-3', [domainEvent('product.created', new Date(), { productId: 'crash-3' })]);
    expect(await outboxRow(older!.id)).toBeDefined();

    expect(await relay.sweep()).toBe(2);
    await waitFor('the two old events on the bus', () => received.calls.length === 2);
    expect(received.calls.map((e) => e.id)).toEqual([older!.id, old!.id]);
    expect(await outboxRow(older!.id)).toBeUndefined();
    expect(await outboxRow(old!.id)).toBeUndefined();
    expect(await outboxRow(fresh!.id)).toMatchObject({ event: JSON.stringify(fresh) });

    expect(await relay.sweep()).toBe(0);
    expect(received.calls).toHaveLength(2);
  });

  it('keeps the rows when publishing fails, after commit and in the sweep, and publishes them once the bus is back', async () => {
    const down = await harness({ bus: unavailableBus, minAgeMs: 0 });
    down.relay.attach(down.writer);
    const envelopes = await commit(down.writer, 'down-1', [
      domainEvent('order.completed', minutesAgo(1), { orderId: 'down-1' }),
      domainEvent('order.completed', minutesAgo(1), { orderId: 'down-2' }),
    ]);
    await down.relay.stop();
    await expect(down.relay.sweep()).rejects.toThrow(EventBusUnavailableError);
    for (const envelope of envelopes) expect(await outboxRow(envelope.id)).toBeDefined();

    const up = await harness({ minAgeMs: 0 });
    await up.relay.sweep();
    await waitFor('both events on the bus', () => up.received.calls.filter((e) => e.type === 'order.completed').length === 2);
    expect(up.received.calls.map((e) => e.id).sort()).toEqual(envelopes.map((e) => e.id).sort());
    for (const envelope of envelopes) expect(await outboxRow(envelope.id)).toBeUndefined();
  });

  it('sweeps periodically between start() and stop()', async () => {
    const { relay, received, writer, target } = await harness({ minAgeMs: 0 });
    const [envelope] = await commit(writer, 'periodic-1', [domainEvent('product.updated', minutesAgo(1), { productId: 'periodic-1' })]);
    relay.start(50);
    await waitFor('the swept event on the bus', () => received.calls.some((e) => e.id === envelope!.id));
    await waitFor('its row to be deleted', async () => (await outboxRow(envelope!.id)) === undefined);
    await relay.stop();

    const stoppedSweeps = jest.spyOn(relay, 'sweep');
    const [later] = await commit(writer, 'periodic-2', [domainEvent('product.updated', minutesAgo(1), { productId: 'periodic-2' })]);
    // The barrier: a second relay on the same interval, with a cut-off too old for any row here, sweeping three
    // times. A timer the stopped relay had left armed was set earlier for the same 50 ms, so it would have fired
    // before the witness's second sweep.
    const witness = new OutboxRelay({ ...target, minAgeMs: 3_600_000 });
    const witnessSweeps = jest.spyOn(witness, 'sweep');
    witness.start(50);
    try {
      await waitFor('three sweeps of the witness relay', () => witnessSweeps.mock.calls.length >= 3);
    } finally {
      await witness.stop();
    }
    expect(stoppedSweeps).not.toHaveBeenCalled();
    expect(await outboxRow(later!.id)).toBeDefined();
    expect(await relay.sweep()).toBe(1);
  });

  it('parks a row whose event no longer validates instead of failing every sweep', async () => {
    const { relay, received } = await harness({ minAgeMs: 0 });
    const broken = outboxItem(sampleEnvelope('product.created', {}, minutesAgo(10)));
    const event = JSON.stringify({ ...JSON.parse(broken.event), data: { productId: 'p' } });
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...broken, event } }));
    const eventId = broken.pk.slice('OUTBOX#'.length);

    await relay.sweep();
    const row = await outboxRow(eventId);
    expect(row).toMatchObject({ pk: broken.pk, outboxProblem: expect.stringContaining('data.sku') });
    expect(row).not.toHaveProperty('outboxPk');
    expect(received.calls.some((e) => e.id === eventId)).toBe(false);
  });
});

describe('relayStreamRecords', () => {
  const image = (item: Record<string, unknown>): Record<string, StreamAttributeValue> =>
    Object.fromEntries(Object.entries(item).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: String(value) }]));

  it('publishes the outbox rows of INSERT records through publish-then-delete, ignoring every other record', async () => {
    const bus = new MemoryEventBus({ logger, signingSecret: TEST_EVENT_SIGNING_SECRET });
    const received = recorder();
    await bus.subscribe({ group: 'observer', types: ['order.completed', 'product.created'], handle: received.handle });
    const writer = new OutboxWriter(tableName);
    const [envelope] = await commit(writer, 'stream-1', [domainEvent('order.completed', new Date(), { orderId: 'stream-1' })]);
    const row = await outboxRow(envelope!.id);

    const records: OutboxStreamRecord[] = [
      { eventName: 'INSERT', dynamodb: { NewImage: image(row!) } },
      { eventName: 'INSERT', dynamodb: { NewImage: image({ pk: 'AGGREGATE#stream-1', sk: 'AGGREGATE', aggregateId: 'stream-1', version: 1 }) } },
      { eventName: 'MODIFY', dynamodb: { NewImage: image(row!) } },
      { eventName: 'REMOVE', dynamodb: {} },
    ];
    const result = await relayStreamRecords({ bus, doc, tableName, logger }, records);

    expect(result).toEqual({ published: 1, ignored: 3 });
    await waitFor('the event on the bus', () => received.calls.length === 1);
    expect(received.calls).toEqual([envelope]);
    expect(await outboxRow(envelope!.id)).toBeUndefined();
    await bus.close();
  });

  it('rejects when publishing fails and leaves the row, so Lambda retries the batch', async () => {
    const writer = new OutboxWriter(tableName);
    const [envelope] = await commit(writer, 'stream-2', [domainEvent('product.created', new Date(), { productId: 'stream-2' })]);
    const row = await outboxRow(envelope!.id);
    await expect(
      relayStreamRecords({ bus: unavailableBus, doc, tableName, logger }, [{ eventName: 'INSERT', dynamodb: { NewImage: image(row!) } }]),
    ).rejects.toThrow(EventBusUnavailableError);
    expect(await outboxRow(envelope!.id)).toBeDefined();
  });
});
