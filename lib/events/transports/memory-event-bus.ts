import type { Logger } from '../../logging';
import { backoffDelay, retryPolicy, type RetryPolicy } from '../backoff';
import { assertValidConsumer, consumerRetryPolicy } from '../consumer';
import type { DeadLetter, DeadLetterReader } from '../dead-letter';
import { parseEnvelope, type AnyEventEnvelope } from '../envelope';
import { EventBusClosedError } from '../errors';
import type { EventBus, EventConsumer, Subscription } from '../event-bus';
import { noEventMetrics, type EventMetrics } from '../event-metrics';
import { signedEventBody } from '../event-signature';
import { handleDelivery } from '../event-tracing';
import { readReceivedEvent, UNAUTHENTICATED_EVENT_LOG } from '../received-event';

export interface MemoryEventBusOptions {
  readonly logger: Logger;
  /** EVENT_SIGNING_SECRET: publish signs every envelope, every group verifies on receipt. */
  readonly signingSecret: string;
  /**
   * Handler calls per event before it is dead-lettered (docs/architecture.md §4: "dead-lettered after N attempts"),
   * for consumers without a retry policy of their own.
   */
  readonly maxAttempts?: number;
  readonly retryBackoff?: RetryPolicy['retryBackoff'];
  readonly metrics?: EventMetrics;
}

export const MEMORY_BUS_DEFAULTS = {
  maxAttempts: 5,
  retryBackoff: { initialMs: 1000, maxMs: 15_000 },
} as const;

const TRANSPORT = 'memory';

interface Delivery {
  readonly deliveredAs: string;
  /** Events travel as JSON text, as on a real wire: each group parses its own copy, validated on receipt. */
  readonly body: string;
  /** Handler calls made so far. */
  attempts: number;
}

/**
 * In-process transport for single-process runs and unit tests, with the semantics of the Redis transport:
 * every consumer group gets every event of its types, the members of a group share them, a failing handler is
 * retried with backoff and the event is dead-lettered after `maxAttempts`. It is not durable: events exist
 * only in this process, and a group with no open member when an event is published does not get it.
 */
export class MemoryEventBus implements EventBus, DeadLetterReader {
  private readonly groups = new Map<string, Member[]>();
  private readonly roundRobin = new Map<string, number>();
  private readonly dead = new Map<string, DeadLetter[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retry: RetryPolicy;
  private readonly metrics: EventMetrics;
  private closed = false;

  constructor(private readonly options: MemoryEventBusOptions) {
    this.retry = retryPolicy(options, MEMORY_BUS_DEFAULTS);
    this.metrics = options.metrics ?? noEventMetrics;
  }

  async publish(envelopes: readonly AnyEventEnvelope[]): Promise<void> {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'publish');
    // All or nothing: one invalid envelope rejects the batch before any of it is delivered. What travels is the
    // envelope as given (validation only checks it), so fields a producer added beyond the schema survive.
    const bodies = envelopes.map((envelope) => ({ deliveredAs: parseEnvelope(envelope).type, body: signedEventBody(envelope, this.options.signingSecret) }));
    for (const { deliveredAs, body } of bodies) {
      this.metrics.published(TRANSPORT, deliveredAs);
      this.receive(deliveredAs, body);
    }
  }

  /**
   * Takes an event that arrived as text from outside the process (a bridge, a replay). Nothing is checked
   * here: like every delivery its signature and schema are checked on receipt, and each group dead-letters it
   * when they fail.
   */
  receive(deliveredAs: string, body: string): void {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'publish');
    for (const group of this.groups.keys()) {
      this.route(group, { deliveredAs, body, attempts: 0 });
    }
  }

  async subscribe(consumer: EventConsumer): Promise<Subscription> {
    if (this.closed) throw new EventBusClosedError(TRANSPORT, 'subscribe');
    assertValidConsumer(consumer);
    const member = new Member(consumer, (m, delivery) => this.deliver(m, delivery));
    this.groups.set(consumer.group, [...(this.groups.get(consumer.group) ?? []), member]);
    return { close: () => this.leave(member) };
  }

  async deadLetters(group: string): Promise<DeadLetter[]> {
    return [...(this.dead.get(group) ?? [])];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const members = [...this.groups.values()].flat();
    this.groups.clear();
    await Promise.all(members.map((member) => member.close()));
  }

  private async leave(member: Member): Promise<void> {
    const remaining = (this.groups.get(member.consumer.group) ?? []).filter((m) => m !== member);
    if (remaining.length > 0) this.groups.set(member.consumer.group, remaining);
    else this.groups.delete(member.consumer.group);
    const undelivered = await member.close();
    // Like entries a Redis consumer never acked, what the member had queued goes to the rest of its group.
    for (const delivery of undelivered) this.route(member.consumer.group, delivery);
  }

  /** One member of the group takes the delivery, in turn among those subscribed to its type. */
  private route(group: string, delivery: Delivery): void {
    const candidates = (this.groups.get(group) ?? []).filter((m) => m.accepts(delivery.deliveredAs));
    if (candidates.length === 0) {
      if (delivery.attempts > 0) {
        this.options.logger.warn({ group, type: delivery.deliveredAs }, 'event dropped: its consumer group has no open member left');
      }
      return;
    }
    const turn = this.roundRobin.get(group) ?? 0;
    this.roundRobin.set(group, turn + 1);
    candidates[turn % candidates.length]!.enqueue(delivery);
  }

  private async deliver(member: Member, delivery: Delivery): Promise<void> {
    const { group } = member.consumer;
    const received = readReceivedEvent(delivery.body, delivery.deliveredAs, this.options.signingSecret);
    if (!received.ok) {
      if (received.unauthenticated) {
        this.options.logger.warn({ group, eventId: received.eventId, type: delivery.deliveredAs, reason: received.reason }, UNAUTHENTICATED_EVENT_LOG);
      }
      this.deadLetter(group, delivery, received.eventId, received.reason);
      return;
    }
    const { envelope } = received;
    const { maxAttempts, retryBackoff } = consumerRetryPolicy(member.consumer, this.retry);
    delivery.attempts += 1;
    try {
      await handleDelivery(envelope, { group, transport: TRANSPORT, metrics: this.metrics }, () => member.consumer.handle(envelope));
      this.metrics.delivered(TRANSPORT, group, envelope.type, 'handled');
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (delivery.attempts >= maxAttempts) {
        this.deadLetter(group, delivery, envelope.id, `handler failed on all ${delivery.attempts} attempts; last error: ${message}`);
        return;
      }
      this.metrics.delivered(TRANSPORT, group, envelope.type, 'retried');
      this.options.logger.warn({ group, eventId: envelope.id, type: envelope.type, attempt: delivery.attempts, err: error }, 'event handler failed; will retry');
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.route(group, delivery);
      }, backoffDelay(delivery.attempts, retryBackoff));
      this.timers.add(timer);
    }
  }

  private deadLetter(group: string, delivery: Delivery, eventId: string | undefined, reason: string): void {
    this.metrics.delivered(TRANSPORT, group, delivery.deliveredAs, 'dead_lettered');
    this.options.logger.error({ group, eventId, type: delivery.deliveredAs, reason }, 'event dead-lettered');
    const letters = this.dead.get(group) ?? [];
    letters.push({
      group,
      deliveredAs: delivery.deliveredAs,
      eventId,
      body: delivery.body,
      reason,
      attempts: delivery.attempts,
      deadLetteredAt: new Date().toISOString(),
    });
    this.dead.set(group, letters);
  }
}

/** One subscription: handles its deliveries one at a time, in arrival order. */
class Member {
  private readonly queue: Delivery[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly consumer: EventConsumer,
    private readonly deliver: (member: Member, delivery: Delivery) => Promise<void>,
  ) {}

  accepts(type: string): boolean {
    return !this.closed && (this.consumer.types as readonly string[]).includes(type);
  }

  enqueue(delivery: Delivery): void {
    this.queue.push(delivery);
    this.draining ??= this.drain();
  }

  /** Stops taking deliveries, waits for the one in progress, and hands back the ones not started. */
  async close(): Promise<Delivery[]> {
    this.closed = true;
    await this.draining;
    return this.queue.splice(0);
  }

  private async drain(): Promise<void> {
    // Handlers never run inside publish(): publishing resolves once the bus has the events, as on a real wire.
    await new Promise((resolve) => setImmediate(resolve));
    while (!this.closed) {
      const next = this.queue.shift();
      if (!next) break;
      await this.deliver(this, next);
    }
    this.draining = undefined;
  }
}
