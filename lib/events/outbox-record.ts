import type { IndexDefinition } from '../dynamodb';
import type { AnyEventEnvelope } from './envelope';

/**
 * Outbox rows live in the owning context's table, written in the same TransactWriteItems as the aggregate
 * change. A sparse index lists the rows not yet published, oldest first, for the sweep; the relay deletes a
 * row once its event is on the bus.
 */
export const OUTBOX_INDEX: IndexDefinition = { name: 'outbox', partitionKey: 'outboxPk', sortKey: 'outboxSk' };

const PENDING = 'PENDING';

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
    outboxPk: PENDING,
    outboxSk: `${envelope.occurredAt}#${envelope.id}`,
    event: JSON.stringify(envelope),
  };
}

export const OUTBOX_PENDING_PARTITION = PENDING;

export function isOutboxItem(item: Record<string, unknown>): item is Record<string, unknown> & OutboxItem {
  return typeof item['pk'] === 'string' && item['pk'].startsWith('OUTBOX#') && typeof item['event'] === 'string';
}
