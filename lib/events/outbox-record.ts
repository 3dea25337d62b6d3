import { shardKey, type IndexDefinition, type ShardedList } from '../dynamodb';
import type { AnyEventEnvelope } from './envelope';

/**
 * Outbox rows live in the owning context's table, written in the same TransactWriteItems as the aggregate
 * change. A sparse index lists the rows not yet published, oldest first, for the sweep; the relay deletes a
 * row once its event is on the bus.
 */
export const OUTBOX_INDEX: IndexDefinition = { name: 'outbox', partitionKey: 'outboxPk', sortKey: 'outboxSk' };

/** The partition every pending row shared before the list was sharded; rows a kept data directory holds stay there. */
const LEGACY_PENDING = 'PENDING';

/**
 * Every event of a context gets a pending row, so one partition for all of them would cap a context at about
 * 1,000 events per second (one GSI partition's write limit). Rows spread over OUTBOX_SHARDS partitions by their
 * event id (`PENDING#0`...`PENDING#7`); the sweep reads them all, oldest first (lib/dynamodb/sharded-index.ts).
 */
export const OUTBOX_SHARDS = 8;

export const PENDING_OUTBOX: ShardedList = { name: 'PENDING', shards: OUTBOX_SHARDS, legacyPartitions: [LEGACY_PENDING] };

export interface OutboxItem {
  readonly pk: string;
  readonly sk: string;
  readonly outboxPk: string;
  readonly outboxSk: string;
  /** The envelope as JSON text: stored verbatim, so what is published is byte-for-byte what was committed. */
  readonly event: string;
}

export function outboxKey(eventId: string): { pk: string; sk: string } {
  return { pk: `OUTBOX#${eventId}`, sk: 'OUTBOX' };
}

export function outboxItem(envelope: AnyEventEnvelope): OutboxItem {
  return {
    ...outboxKey(envelope.id),
    outboxPk: shardKey(PENDING_OUTBOX, envelope.id),
    outboxSk: `${envelope.occurredAt}#${envelope.id}`,
    event: JSON.stringify(envelope),
  };
}

export function isOutboxItem(item: Record<string, unknown>): item is Record<string, unknown> & OutboxItem {
  return typeof item['pk'] === 'string' && item['pk'].startsWith('OUTBOX#') && typeof item['event'] === 'string';
}
