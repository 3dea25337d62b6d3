/**
 * A fact that happened inside an aggregate, recorded by the aggregate and persisted with it (outbox).
 * `type` is the public event name of docs/architecture.md §4; `data` is the event's payload, already in its wire shape.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  readonly occurredAt: string;
}

/**
 * Aggregates record their events while they change; the repository takes them in the same transaction as the
 * state change and clears them, so an event exists if and only if its change was committed.
 */
export abstract class AggregateRoot<TEvent extends DomainEvent = DomainEvent> {
  private pending: TEvent[] = [];

  protected record(event: TEvent): void {
    this.pending.push(event);
  }

  /** Events recorded since the last call; the caller (a repository) owns them from here on. */
  pullEvents(): TEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  peekEvents(): readonly TEvent[] {
    return this.pending;
  }
}
