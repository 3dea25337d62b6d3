import type { RetryPolicy } from './backoff';
import type { AnyEventEnvelope } from './envelope';
import type { EventType } from './schemas';

/** Handles one delivery. Resolving acknowledges it; throwing makes the transport redeliver it later. */
export type EventHandler = (envelope: AnyEventEnvelope) => Promise<void>;

export interface EventConsumer {
  /**
   * The consuming context (e.g. `rewards`, `orders`). Deliveries are shared by a group: with several instances
   * of one context, each event is handled by one of them (Redis consumer groups, one EventBridge target).
   */
  readonly group: string;
  readonly types: readonly EventType[];
  readonly handle: EventHandler;
  /**
   * This consumer's attempts and backoff, instead of the bus's: a handler whose failures outlast the bus's
   * retries (a mail server down for a minute) asks for more attempts spaced further apart. Every transport that
   * delivers in-process honours it (memory, Redis Streams); on AWS the queue in front of the consumer carries it
   * (lib/events/sqs-delivery.ts: its visibility backoff, and the queue's maxReceiveCount).
   */
  readonly retry?: RetryPolicy;
  /**
   * How many deliveries this consumer may handle at once, and what must stay in order. Without it a transport hands
   * a consumer one delivery at a time, so a backlog drains at one handler's latency per event. With it the Redis
   * Streams transport handles up to `limit` deliveries of a batch at once, those with the same `key` (the aggregate
   * their handler writes, e.g. the customer's account) one after another in stream order, so they never contend for
   * that aggregate within one process. In-process delivery stays one at a time; on AWS the queue's Lambda
   * concurrency plays this part.
   */
  readonly concurrency?: ConsumerConcurrency;
}

export interface ConsumerConcurrency {
  /** Deliveries handled at once, 1 to 64. */
  readonly limit: number;
  /** Deliveries with the same key are handled one after another, in stream order. */
  readonly key: (envelope: AnyEventEnvelope) => string;
}

export interface Subscription {
  /** Stops taking new deliveries and waits for the ones in progress. */
  close(): Promise<void>;
}

/**
 * The one port behind which events travel (docs/architecture.md §4): EventBridge, Redis Streams or in-process.
 * Delivery is at least once; consumers deduplicate by envelope id.
 */
export interface EventBus {
  /** Validates every envelope, then puts them on the bus; resolves once the bus has accepted all of them. */
  publish(envelopes: readonly AnyEventEnvelope[]): Promise<void>;
  subscribe(consumer: EventConsumer): Promise<Subscription>;
  close(): Promise<void>;
}
