import type { DomainEvent } from '../ddd';
import { currentCorrelationId } from '../logging';
import { envelopeFor, type AnyEventEnvelope } from './envelope';
import { outboxItem } from './outbox-record';
import type { EventType } from './schemas';

/** Told about events right after the transaction that wrote them committed (the relay's fast path). */
export type CommittedEventsListener = (envelopes: readonly AnyEventEnvelope[]) => void;

export interface PreparedOutbox {
  /** TransactWriteItems entries to add to the aggregate's own transaction. */
  readonly writes: readonly { Put: { TableName: string; Item: Record<string, unknown>; ConditionExpression: string } }[];
  readonly envelopes: readonly AnyEventEnvelope[];
  /** Call once the transaction has committed. */
  committed(): void;
}

/**
 * Turns an aggregate's recorded events into outbox rows for the same transaction (docs/architecture.md §4: "events are
 * written in the same DynamoDB transaction as the aggregate change"). Envelopes are validated here, so an
 * event that does not match its schema aborts the write instead of reaching consumers.
 */
export class OutboxWriter {
  private listeners: CommittedEventsListener[] = [];

  constructor(private readonly tableName: string) {}

  onCommitted(listener: CommittedEventsListener): void {
    this.listeners.push(listener);
  }

  prepare(events: readonly DomainEvent[]): PreparedOutbox {
    const correlationId = currentCorrelationId();
    const envelopes = events.map((event) => envelopeFor(event as DomainEvent<EventType>, correlationId) as AnyEventEnvelope);
    return {
      envelopes,
      writes: envelopes.map((envelope) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...outboxItem(envelope) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      committed: () => {
        if (envelopes.length === 0) return;
        for (const listener of this.listeners) listener(envelopes);
      },
    };
  }
}
