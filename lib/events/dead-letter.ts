/**
 * An event a consumer group gave up on: it did not match its schema, or its handler failed on every allowed
 * attempt. Kept verbatim (as received), so an operator can inspect, fix and republish it.
 */
export interface DeadLetter {
  readonly group: string;
  /** The event type it was delivered as (the stream or route it arrived on). */
  readonly deliveredAs: string;
  /** The envelope's id when the body could be read that far. */
  readonly eventId: string | undefined;
  /** The event exactly as it arrived. */
  readonly body: string;
  readonly reason: string;
  /** Deliveries made before giving up; 0 for an event rejected before reaching the handler the first time. */
  readonly attempts: number;
  readonly deadLetteredAt: string;
}

/** Transports that keep dead letters where this process can read them (memory, Redis Streams). */
export interface DeadLetterReader {
  deadLetters(group: string): Promise<DeadLetter[]>;
}
